/**
 * Scenario 2, in-app latency (README.md#benchmarks, issue 8): 1,000 users each with one connected
 * HeraldClient; notifications sent one per request (`POST /v1/notifications`) at a steady,
 * open-loop rate, round-robin over the users. Measured per repetition: p50 and p99 from the
 * request's start to the frame's arrival at the client, and delivered frames/s (frames received
 * / time from the first send to the last frame). Baseline: bench/hub.ts with the same clients,
 * users, payloads and rate.
 *
 * Targets: p99 ≤ 3 × the hub's p99; frames/s ≥ 0.5 × the hub's (issue 8). At the low rate (issue 20
 * section 2): p50 ≤ 5 × and p99 ≤ 20 × the hub's.
 *
 * Second baseline (issue 20 section 4): Socket.IO 4 with connection-state recovery on
 * (bench/socketio-hub.ts), same users, payloads and rates, with Socket.IO's own client; target:
 * Herald's p99 at the low rate ≤ 3 × Socket.IO's.
 *
 * Before that series, the same clients get one stream at a low rate (`lowRate`) that the local
 * runtime sustains, reported next to the hub at the same rate: at 1,000/s Herald's local runtime
 * saturates (its whole Worker, every Durable Object and the D1/Queues simulators share one
 * workerd thread), and a saturated run's latencies measure its backlog, not its path.
 *
 * Herald's low-rate stream starts once the warm-up's inboxes were evicted: the warm-up touches
 * every inbox within a second or two, so workerd evicts them all together ~10 s later, a burst
 * that stalls its one thread for 0.3–3.5 s (280 ms of CPU per 1,000 objects, measured by
 * bench/floor, docs/cost.md#the-local-floor-of-the-in-app-path) and, inside the stream, lands in
 * its p99. At 50/s over 1,000 users each inbox is touched every 20 s, so the steady state is
 * every notification waking its object, with evictions spread out.
 */
import type { FleetUser } from "../lib/clients.ts";
import { connectFleet, connectSocketIoFleet } from "../lib/clients.ts";
import { openObjectDatabases, userToken, withServer, workerdProcess, type BenchContext } from "../lib/herald.ts";
import { startHub, startSocketIoHub } from "../lib/hub-process.ts";
import { JsonClient } from "../lib/http.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { MAX_IN_FLIGHT, runStream, settle, Stream, type RunResult } from "../lib/open-loop.ts";
import { now } from "../lib/stats.ts";
import { until } from "../../scripts/local-server.ts";

function sizes(quick: boolean) {
  return quick
    ? { users: 100, notifications: 200, ratePerSecond: 500, repetitions: 2, drainMs: 8000, lowRate: 50, lowNotifications: 200 }
    : { users: 1000, notifications: 10_000, ratePerSecond: 1000, repetitions: 3, drainMs: 30_000, lowRate: 50, lowNotifications: 1500 };
}

/**
 * API keys the sender rotates through. Each key has its own rate-limit counter (docs/api.md#rate-limits: 10,000
 * requests per 10 s by default), and the limiter is not what this scenario measures: four keys
 * keep 1,000 requests/s at a quarter of the limit.
 */
const API_KEYS = 4;

/** The low-rate stream (see module comment) and the repetitions at the target rate. */
interface Series {
  low: RunResult;
  runs: RunResult[];
}

/**
 * Connects the fleet to `base`, warms up with one notification per user (every inbox exists and
 * every client got a frame), runs the low-rate stream, then the repetitions. A repetition whose
 * frames did not all arrive (the server is saturated at this rate) ends the series: its backlog
 * would run into the next.
 */
async function measure(
  label: string,
  base: string,
  apiKeys: readonly (string | null)[],
  users: readonly FleetUser[],
  size: ReturnType<typeof sizes>,
  log: (text: string) => void,
  connect: typeof connectFleet | typeof connectSocketIoFleet = connectFleet,
  afterWarmUp: () => Promise<void> = async () => {},
): Promise<Series> {
  let stream = new Stream(0, users.length);
  const fleet: { readonly drops: number; close(): void } = await connect(base, users, (_, frame, at) => stream.onFrame(frame, at), { timeoutMs: 120_000 });
  const apis = apiKeys.map((key) => new JsonClient(base, key, 64 / apiKeys.length));
  try {
    await runStream(apis, users, stream, size.ratePerSecond, size.drainMs);
    await settle(stream, size.drainMs);
    await afterWarmUp();
    stream = new Stream(size.repetitions + 1, size.lowNotifications);
    const low = await runStream(apis, users, stream, size.lowRate, size.drainMs);
    log(`  ${label} at ${size.lowRate}/s: p50 ${low.p50.toFixed(1)} ms, p99 ${low.p99.toFixed(1)} ms, ${Math.round(low.framesPerSecond)} frames/s, ${low.received} of ${low.requested} frames`);
    await settle(stream, size.drainMs);
    const results: RunResult[] = [];
    for (let r = 1; r <= size.repetitions; r++) {
      stream = new Stream(r, size.notifications);
      const result = await runStream(apis, users, stream, size.ratePerSecond, size.drainMs);
      results.push(result);
      log(
        `  ${label} repetition ${r}/${size.repetitions}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${Math.round(result.framesPerSecond)} frames/s` +
          (result.received < result.requested ? ` — saturated: ${result.sent} of ${result.requested} sent, ${result.received} frames within ${size.drainMs / 1000} s after the last send` : ""),
      );
      if (result.received < result.requested) break;
      await settle(stream, size.drainMs);
    }
    if (fleet.drops > 0) throw new Error(`${fleet.drops} client connections dropped during the runs`);
    return { low, runs: results };
  } finally {
    fleet.close();
    apis.forEach((api) => api.close());
  }
}

/** A note on a saturated series: how many frames arrived in time, and that its latencies are lower bounds. */
function saturation(label: string, runs: RunResult[]): string {
  const last = runs.at(-1);
  if (!last || last.received === last.requested) return "";
  return (
    ` ${label} was saturated: with at most ${MAX_IN_FLIGHT} requests in flight it took ${last.sent} of ${last.requested} requests in the sending window, ` +
    `and ${last.received} of their frames arrived in time (series stopped after ${runs.length} repetition(s)); missing frames count with the time waited, so its latencies are lower bounds.`
  );
}

/** Runs scenario 2 and returns its rows and notes. */
export async function inAppLatency(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`in-app latency: ${size.users} clients, ${size.repetitions} × ${size.notifications} notifications at ${size.ratePerSecond}/s`);

  const herald = await withServer(
    ctx,
    "latency-herald",
    async (server) => {
      const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `lat-${i}`, token: await userToken(server.jwtSecret, `lat-${i}`) })));
      const workerd = workerdProcess(server);
      // See the module comment: the warm-up's inboxes leave together; the low-rate stream starts after.
      const evicted = async () => {
        // Two may stay open: the idle-memory scenario sees 2 after its objects hibernate. A wait
        // that times out only logs it: the stream then runs as it did before this wait.
        const started = now();
        await until("the warm-up's inboxes to be evicted", () => openObjectDatabases(workerd) <= 2, 60_000, 500).catch(() => {});
        ctx.log(`  herald: ${openObjectDatabases(workerd)} object databases open ${((now() - started) / 1000).toFixed(1)} s after the warm-up`);
      };
      return measure("herald", server.base, server.apiKeys, users, size, ctx.log, connectFleet, evicted);
    },
    { apiKeyCount: API_KEYS },
  );

  const hub = await startHub();
  const untrack = ctx.track(hub);
  let baseline: Series;
  try {
    // The hub reads only the token's subject, so any signing secret will do.
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `lat-${i}`, token: await userToken("hub", `lat-${i}`) })));
    baseline = await measure("hub", hub.base, Array.from({ length: API_KEYS }, () => null), users, size, ctx.log);
  } finally {
    await hub.stop();
    untrack();
  }

  // The peer users would pick (issue 20 section 4): Socket.IO with connection-state recovery on.
  const socketIoHub = await startSocketIoHub();
  const untrackSocketIo = ctx.track(socketIoHub);
  let socketIo: Series;
  try {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `lat-${i}`, token: await userToken("hub", `lat-${i}`) })));
    socketIo = await measure("socket.io", socketIoHub.base, Array.from({ length: API_KEYS }, () => null), users, size, ctx.log, connectSocketIoFleet);
  } finally {
    await socketIoHub.stop();
    untrackSocketIo();
  }

  const pick = (runs: RunResult[], key: keyof RunResult) => runs.map((r) => r[key]);
  const hubName = "Node ws hub";
  const socketIoName = "Socket.IO 4 (recovery on)";
  const at = `at ${size.lowRate}/s`;
  return {
    rows: [
      resultRow("in-app latency", "p50 request → frame", "ms", pick(herald.runs, "p50"), { name: hubName, samples: pick(baseline.runs, "p50") }, { kind: "report" }),
      resultRow("in-app latency", "p99 request → frame", "ms", pick(herald.runs, "p99"), { name: hubName, samples: pick(baseline.runs, "p99") }, { kind: "ratio", op: "<=", value: 3 }),
      resultRow("in-app latency", "delivered", "frames/s", pick(herald.runs, "framesPerSecond"), { name: hubName, samples: pick(baseline.runs, "framesPerSecond") }, { kind: "ratio", op: ">=", value: 0.5 }),
      resultRow("in-app latency", `p50 request → frame ${at}`, "ms", [herald.low.p50], { name: hubName, samples: [baseline.low.p50] }, { kind: "ratio", op: "<=", value: 5 }),
      resultRow("in-app latency", `p99 request → frame ${at}`, "ms", [herald.low.p99], { name: hubName, samples: [baseline.low.p99] }, { kind: "ratio", op: "<=", value: 20 }),
      resultRow("in-app latency", "p50 request → frame", "ms", pick(herald.runs, "p50"), { name: socketIoName, samples: pick(socketIo.runs, "p50") }, { kind: "report" }),
      resultRow("in-app latency", "p99 request → frame", "ms", pick(herald.runs, "p99"), { name: socketIoName, samples: pick(socketIo.runs, "p99") }, { kind: "report" }),
      resultRow("in-app latency", "delivered", "frames/s", pick(herald.runs, "framesPerSecond"), { name: socketIoName, samples: pick(socketIo.runs, "framesPerSecond") }, { kind: "report" }),
      resultRow("in-app latency", `p50 request → frame ${at}`, "ms", [herald.low.p50], { name: socketIoName, samples: [socketIo.low.p50] }, { kind: "report" }),
      resultRow("in-app latency", `p99 request → frame ${at}`, "ms", [herald.low.p99], { name: socketIoName, samples: [socketIo.low.p99] }, { kind: "ratio", op: "<=", value: 3 }),
    ],
    notes: [
      `in-app latency: ${size.users} connected clients (one per user), ${size.notifications} notifications per repetition at ${size.ratePerSecond}/s, one per POST; ` +
        `a repetition waits ${size.drainMs / 1000} s after its last send. Before them, one stream of ${size.lowNotifications} at ${size.lowRate}/s (a rate the local runtime sustains; ` +
        `Herald received ${herald.low.received} of ${herald.low.requested} frames, the hub ${baseline.low.received}).` +
        saturation("Herald", herald.runs) +
        saturation("the hub", baseline.runs) +
        saturation("Socket.IO", socketIo.runs) +
        ` Socket.IO received ${socketIo.low.received} of ${socketIo.low.requested} at ${size.lowRate}/s.`,
    ],
  };
}
