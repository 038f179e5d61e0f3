/**
 * Scenario `cost` (docs/cost.md, README.md#cost-per-operation, issue 20 section 1): what each public operation
 * costs on Cloudflare's billed meters, and its price per million at list prices. Herald runs with
 * `COST_TRACE=true` (src/lib/cost-trace.ts): each operation is repeated from a zeroed ledger, then
 * the ledger (`GET /dev/cost`) is read once everything it caused — consumers, inbox alarms,
 * mirror flushes — has settled, and divided by the repetitions. Worker CPU is workerd's CPU time
 * over the same repetitions (/proc utime + stime); locally that process also runs the D1 and
 * Queues simulators, so it is an upper bound of what Workers would bill.
 *
 * The deterministic counts are held to bounds in CI by test/integration/cost-bounds.test.ts.
 */
import { createServer, type Server } from "node:http";
import { connectFleet } from "../lib/clients.ts";
import { cpuMs, inAppCpu } from "../lib/in-app-cpu.ts";
import { JsonClient } from "../lib/http.ts";
import { openD1, userToken, withServer, workerdProcess, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { sleep } from "../lib/stats.ts";
import { until } from "../../scripts/local-server.ts";
import { withoutCounterFlushes } from "../../src/lib/cost-flushes.ts";

/** What `GET /dev/cost` answers (the `CostLedger` of src/lib/cost-trace.ts, the counters the bench reads). */
interface CostLedger {
  worker: { fetches: number; queueBatches: number };
  d1: { roundTrips: number; statements: number; rowsRead: number; rowsWritten: number };
  queues: { sends: number; messages: number; units: number };
  durableObjects: { rpc: number; fetches: number; webSocketMessages: number; alarms: number; rowsRead: number; rowsWritten: number; alarmWrites: number };
  statements: Record<string, { count: number; rowsRead: number; rowsWritten: number }>;
}

/** The statements that wrote and read the most rows, per operation: where an operation's rows go. */
function heaviest(ledger: CostLedger, count: number, top = 4): string {
  const entries = Object.entries(ledger.statements);
  const list = (key: "rowsWritten" | "rowsRead") =>
    entries
      .filter(([, v]) => v[key] > 0)
      .sort(([, a], [, b]) => b[key] - a[key])
      .slice(0, top)
      .map(([sql, v]) => `${(v[key] / count).toFixed(1)} × ${sql.slice(0, 60)}`)
      .join("; ");
  return `written: ${list("rowsWritten")} — read: ${list("rowsRead")}`;
}

/**
 * Workers Paid list prices in USD per million units, read 2026-11-29 from
 * developers.cloudflare.com: workers/platform/pricing (requests, CPU ms), d1/platform/pricing
 * (rows), queues/platform/pricing (operations: each 64 KB written, read or deleted),
 * durable-objects/platform/pricing (requests; SQLite rows read and written).
 */
export const PRICES_PER_MILLION = {
  workerRequests: 0.3,
  workerCpuMs: 0.02,
  d1RowsRead: 0.001,
  d1RowsWritten: 1.0,
  queueOperations: 0.4,
  durableObjectRequests: 0.15,
  durableObjectRowsRead: 0.001,
  durableObjectRowsWritten: 1.0,
} as const;

/** One operation's figures, per operation. */
export interface OperationCost {
  name: string;
  workerRequests: number;
  cpuMs: number;
  d1RoundTrips: number;
  d1Statements: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  queueMessages: number;
  queueOperations: number;
  durableObjectRequests: number;
  doRowsRead: number;
  doRowsWritten: number;
  /** USD per million operations. */
  pricePerMillion: number;
}

/**
 * Per-operation figures and their price from a ledger covering `count` operations (and
 * `ledgerReads` GETs of the ledger itself), the counter flushes left out ({@link withoutCounterFlushes}).
 */
function priced(name: string, ledger: CostLedger, count: number, cpu: number, ledgerReads = 1): OperationCost {
  const per = (n: number) => n / count;
  const l = withoutCounterFlushes(ledger).own;
  const cost = {
    name,
    workerRequests: per(l.worker.fetches - ledgerReads + l.worker.queueBatches),
    cpuMs: per(cpu),
    d1RoundTrips: per(l.d1.roundTrips),
    d1Statements: per(l.d1.statements),
    d1RowsRead: per(l.d1.rowsRead),
    d1RowsWritten: per(l.d1.rowsWritten),
    queueMessages: per(l.queues.messages),
    // Each 64 KB unit is written once, read once and deleted once (no retries in this run).
    queueOperations: per(l.queues.units * 3),
    // Incoming WebSocket messages are billed at 20:1.
    durableObjectRequests: per(l.durableObjects.rpc + l.durableObjects.fetches + l.durableObjects.alarms + l.durableObjects.webSocketMessages / 20),
    doRowsRead: per(l.durableObjects.rowsRead),
    doRowsWritten: per(l.durableObjects.rowsWritten + l.durableObjects.alarmWrites),
    pricePerMillion: 0,
  };
  const p = PRICES_PER_MILLION;
  cost.pricePerMillion =
    cost.workerRequests * p.workerRequests +
    cost.cpuMs * p.workerCpuMs +
    cost.d1RowsRead * p.d1RowsRead +
    cost.d1RowsWritten * p.d1RowsWritten +
    cost.queueOperations * p.queueOperations +
    cost.durableObjectRequests * p.durableObjectRequests +
    cost.doRowsRead * p.durableObjectRowsRead +
    cost.doRowsWritten * p.durableObjectRowsWritten;
  return cost;
}

function sizes(quick: boolean) {
  return quick ? { singles: 20, behaviours: 50, messages: 20, batchUsers: 1000, broadcastUsers: 1000 } : { singles: 200, behaviours: 300, messages: 100, batchUsers: 1000, broadcastUsers: 1000 };
}

/** Longer than the queues' 1 s batch timeout: what an operation caused has run by then. */
const SETTLE_MS = 3000;

/** A webhook endpoint on 127.0.0.1 that answers 204 to everything. */
async function startSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` };
}

/** Runs the `cpu` scenario (issue 20 section 2): {@link inAppCpu} for 100 clients and 1,000 notifications. */
export async function inAppCpuScenario(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  ctx.log("cpu: workerd CPU per in-app notification, 1,000 closed-loop POSTs to 100 connected clients");
  const { cpuMs: cpuPerNotification } = await inAppCpu(ctx, 100, 1000, { name: "cost-cpu" });
  ctx.log(`  in-app CPU: ${cpuPerNotification.toFixed(2)} ms of workerd CPU per notification`);
  return {
    rows: [resultRow("cost", "in-app CPU per notification (1,000 closed-loop POSTs, 100 clients acking)", "ms", [cpuPerNotification], null, { kind: "absolute", op: "<=", value: 2 })],
    notes: ["cpu: workerd's CPU time (/proc utime + stime) from the first of 1,000 closed-loop POSTs (one in flight per client) until every frame arrived and the consumers settled (3 s), divided by 1,000; workerd also runs the local D1, Queues and rate-limiter simulators."],
  };
}

/** Runs the `cost` scenario and returns its rows and notes. */
export async function costPerOperation(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[]; costs: OperationCost[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`cost: ${size.singles} single notifications end to end, a ${size.batchUsers}-item batch, ${size.behaviours} behaviour events, ${size.messages} topic messages, a broadcast to ${size.broadcastUsers}`);
  const sink = await startSink();
  const { out: costs, breakdowns } = await withServer(
    ctx,
    "cost-herald",
    async (server) => {
      // Fresh connections per operation (see `measure`): a keep-alive connection left idle through
      // the settling wait was seen reset by workerd under load.
      let api = new JsonClient(server.base, server.apiKey, 8);
      const dev = () => new JsonClient(server.base, null, 1);
      const d1 = openD1(server);
      const pid = workerdProcess(server);
      const out: OperationCost[] = [];
      const breakdowns: string[] = [];
      /** Zeroes the ledger, runs `operation`, waits for its background work, and prices it per `count`. */
      const measure = async (name: string, count: number, operation: () => Promise<void>) => {
        await sleep(SETTLE_MS);
        api.close();
        api = new JsonClient(server.base, server.apiKey, 8);
        const ledgerClient = dev();
        if ((await ledgerClient.send("DELETE", "/dev/cost")).status !== 204) throw new Error("the cost tracer is off");
        ledgerClient.close();
        const cpuBefore = cpuMs(pid);
        await operation();
        await sleep(SETTLE_MS);
        const cpu = cpuMs(pid) - cpuBefore;
        const reader = dev();
        const ledger = await reader.json<CostLedger>("GET", "/dev/cost", 200);
        reader.close();
        out.push(priced(name, ledger, count, cpu));
        const { flushes } = withoutCounterFlushes(ledger);
        breakdowns.push(`cost: ${name}, rows per operation by statement — ${heaviest(ledger, count)}`);
        breakdowns.push(`cost: ${name}: counter flushes left out of its figures — ${flushes.count} flushes writing ${flushes.rowsWritten} D1 rows over ${count} operations run one after another (at most one flush a second per isolate under load)`);
        ctx.log(`  ${name}: ${JSON.stringify(out.at(-1))}`);
      };
      try {
        // 1. Single in-app notifications with Idempotency-Key, each accepted, delivered, acked and read.
        const userId = "cost-single";
        const statusOf = d1.prepare<[string], { status: string }>(`SELECT in_app_status AS status FROM notifications WHERE id = ?`);
        let arrived: ((id: string) => void) | null = null;
        const fleet = await connectFleet(server.base, [{ userId, token: await userToken(server.jwtSecret, userId) }], (_, frame) => arrived?.(frame.notification.id));
        try {
          await measure("single in-app notification, end to end", size.singles, async () => {
            for (let k = 0; k < size.singles; k++) {
              const frame = new Promise<string>((resolve) => (arrived = resolve));
              const { id } = await api.json<{ id: string }>("POST", "/v1/notifications", 202, { userId, title: "Hello", body: `Message ${k}` }, { "idempotency-key": `cost-single-${k}` });
              if ((await frame) !== id) throw new Error("frames out of order");
              fleet.clients[0]!.markRead([id]);
              await until(`${id} read in D1`, () => statusOf.get(id)?.status === "read", 30_000, 5);
            }
          });
        } finally {
          fleet.close();
        }

        // 2. One 1,000-item batch to 1,000 users (fresh inboxes), dispatched into them.
        const dispatched = d1.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM notifications WHERE idempotency_key LIKE ? AND dispatched_at IS NOT NULL`);
        await measure("batch item (1,000-item batch, 1,000 users)", size.batchUsers, async () => {
          const items = Array.from({ length: size.batchUsers }, (_, i) => ({ idempotencyKey: `cost-batch-${i}`, userId: `cost-batch-${i}`, title: `Item ${i}` }));
          await api.json("POST", "/v1/notifications/batch", 200, { items });
          await until("the batch dispatched", () => dispatched.get("cost-batch-%")!.n === size.batchUsers, 120_000, 50);
        });

        // 3. Behaviour events, one per request.
        const applied = d1.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM behaviours WHERE user_id LIKE 'cost-actor-%'`);
        await measure("behaviour event", size.behaviours, async () => {
          for (let k = 0; k < size.behaviours; k++) await api.json("POST", "/v1/behaviours", 202, { userId: `cost-actor-${k}`, targetId: `post-${k}`, type: "like" });
          await until("behaviours applied", () => applied.get()!.n === size.behaviours, 60_000, 20);
        });

        // 4. Topic messages to one webhook subscription.
        await api.json("PUT", "/v1/topics/cost.orders", 201);
        await api.json("POST", "/v1/topics/cost.orders/subscriptions", 201, { kind: "webhook", url: sink.url });
        const completed = d1.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM messages WHERE status = 'completed'`);
        await measure("topic message to a webhook", size.messages, async () => {
          for (let k = 0; k < size.messages; k++) await api.json("POST", "/v1/topics/cost.orders/messages", 202, { payload: { type: "order.shipped", orderId: `o_${k}` } });
          await until("messages delivered", () => completed.get()!.n === size.messages, 60_000, 20);
        });

        // 5. One broadcast to a topic of 1,000 subscribers (fresh inboxes).
        await api.json("PUT", "/v1/topics/cost.audience", 201);
        await api.json("PUT", "/v1/topics/cost.audience/subscribers", 200, { userIds: Array.from({ length: size.broadcastUsers }, (_, i) => `cost-sub-${i}`) });
        const broadcastDone = d1.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM broadcasts WHERE status = 'completed'`);
        await measure("broadcast recipient (1,000 subscribers)", size.broadcastUsers, async () => {
          await api.json("POST", "/v1/notifications", 202, { topic: "cost.audience", title: "To everyone" });
          await until("the broadcast fanned out", () => broadcastDone.get()!.n === 1, 120_000, 50);
        });
        return { out, breakdowns };
      } finally {
        d1.close();
        api.close();
      }
    },
    { vars: { COST_TRACE: "true", ALLOW_DEV_TOKENS: "true", ALLOW_HTTP_WEBHOOKS: "true" } },
  );
  sink.server.close();

  const rows = [
    ...costs.flatMap((c) => [
    resultRow("cost", `${c.name}: price`, "$/million", [c.pricePerMillion], null, c.name.startsWith("single") ? { kind: "absolute", op: "<=", value: 5 } : { kind: "report" }),
    resultRow("cost", `${c.name}: D1 round trips`, "per op", [c.d1RoundTrips], null, { kind: "report" }),
    resultRow("cost", `${c.name}: rows written (D1 + DO)`, "per op", [c.d1RowsWritten + c.doRowsWritten], null, { kind: "report" }),
    resultRow("cost", `${c.name}: Worker CPU (workerd)`, "ms", [c.cpuMs], null, { kind: "report" }),
    ]),
  ];
  const table = costs.map(
    (c) =>
      `${c.name}: ${c.workerRequests.toFixed(3)} Worker requests, ${c.cpuMs.toFixed(2)} CPU ms, D1 ${c.d1RoundTrips.toFixed(3)} round trips / ${c.d1Statements.toFixed(3)} statements / ${c.d1RowsRead.toFixed(1)} rows read / ${c.d1RowsWritten.toFixed(1)} written, ` +
      `${c.queueMessages.toFixed(3)} queue messages (${c.queueOperations.toFixed(3)} operations), ${c.durableObjectRequests.toFixed(2)} DO requests, DO rows ${c.doRowsRead.toFixed(1)} read / ${c.doRowsWritten.toFixed(1)} written → $${c.pricePerMillion.toFixed(2)} per million`,
  );
  return {
    rows,
    notes: [
      `cost: list prices of ${JSON.stringify(PRICES_PER_MILLION)} USD per million (Workers Paid, read 2026-11-29); CPU is workerd's, D1 and Queues simulators included (an upper bound); Durable Object duration is left out (hibernating objects, a few ms of wall time per request: under $0.01 per million).`,
      ...table.map((t) => `cost: ${t}`),
      ...breakdowns,
    ],
    costs,
  };
}
