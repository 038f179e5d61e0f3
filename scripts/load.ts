/**
 * `npm run load` (issue 9): starts Herald locally (wrangler dev on 127.0.0.1, fresh state, see
 * scripts/local-server.ts), connects 500 WebSocket clients (packages/client, one per user), sends
 * 50,000 mixed HTTP requests from 64 concurrent senders — behaviour events single and batched,
 * notifications single and in batches of 25 (some replayed with their idempotency keys), inbox
 * reads with user tokens — then checks that every accepted item is stored exactly once and
 * delivered: each notification once in D1 and once to its user's client (and acked there, so
 * `delivered`), each behaviour once in the per-target summaries. Prints the outcomes by status
 * and problem code, the request rate held, and what was lost or doubled (must be nothing).
 *
 * Bounded: `LOAD_REQUESTS` requests (default 50,000), a whole-run deadline, 127.0.0.1 only.
 * Exits 1 when anything was lost or doubled, on any 5xx or network error, or past the deadline;
 * always stops the server it started. Runs unbundled under Node ≥ 22 type stripping.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeraldClient, type ServerFrame } from "../packages/client/src/index.ts";
import { buildWorker, startLocalServer, tail, until, type LocalServer } from "./local-server.ts";

const TOTAL_REQUESTS = Number(process.env.LOAD_REQUESTS ?? 50_000);
const USERS = 500;
/** Requests in flight at once. */
const CONCURRENCY = 64;
/** API keys to spread server requests over: each has its own 10,000-per-10 s counter (docs/api.md#rate-limits). */
const API_KEYS = 4;
const NOTIFICATION_BATCH = 25;
const BEHAVIOUR_BATCH = 50;
const TARGETS = 100;
const BEHAVIOUR_TYPES = ["like", "favorite", "follow", "share", "view", "comment"] as const;
/** Share of each kind of request in the mix (the rest of the 50,000 after minting tokens). */
const MIX = { behaviour: 0.4, inboxRead: 0.3, notification: 0.2, behaviourBatch: 0.05, notificationBatch: 0.05 } as const;
/** Share of notification requests and batches that replay an earlier one with the same key(s) and body. */
const REPLAY_SHARE = 0.05;
const REQUEST_TIMEOUT_MS = 30_000;
/** Ceiling for the queues to drain and every client to hold and ack its notifications. */
const SETTLE_MS = 300_000;
const RUN_DEADLINE_MS = 30 * 60_000;

type Kind = keyof typeof MIX;
type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;

const workDir = mkdtempSync(join(tmpdir(), "herald-load-"));
let server: LocalServer | null = null;
const clients: HeraldClient[] = [];

function cleanup(): void {
  for (const client of clients) client.close();
  server?.kill();
  server = null;
  rmSync(workDir, { recursive: true, force: true });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Outcomes by `status code` (problem code for errors), network errors; latencies in ms by kind of request. */
const outcomes = new Map<string, number>();
const latencies = new Map<string, number[]>();
let sent = 0;
const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

/** One HTTP call; records its outcome. @returns the response and its parsed JSON body, or null on a network error. */
async function call(kind: string, base: string, auth: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  sent++;
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    latencies.set(kind, [...(latencies.get(kind) ?? []), performance.now() - started]);
    tally(res.ok ? String(res.status) : `${res.status} ${String(json?.code ?? "?")}`);
    return { res, json };
  } catch (error) {
    tally(`network ${error instanceof Error ? error.name : "error"}`);
    return null;
  }
}

/** What the run accepted, to check against what is stored and delivered. */
const accepted = {
  /** userId → notification ids accepted for that user. */
  notifications: new Map<string, Set<string>>(),
  /** idempotency key → the body sent and the id it got, for replays. */
  keys: new Map<string, { body: Record<string, unknown>; id: string }>(),
  batches: [] as { items: { idempotencyKey: string; userId: string; title: string }[]; ids: string[] }[],
  /** `target\0type` → users that did it (the active behaviours, all `add`). */
  behaviours: new Map<string, Set<string>>(),
  behaviourEvents: 0,
  replays: 0,
  /** Replays answered with another id than the first request got. */
  replayMismatches: 0,
};

function acceptNotification(userId: string, id: string) {
  let ids = accepted.notifications.get(userId);
  if (!ids) accepted.notifications.set(userId, (ids = new Set()));
  ids.add(id);
}

function acceptBehaviour(e: { userId: string; targetId: string; type: string }) {
  const key = `${e.targetId}\u0000${e.type}`;
  let users = accepted.behaviours.get(key);
  if (!users) accepted.behaviours.set(key, (users = new Set()));
  users.add(e.userId);
  accepted.behaviourEvents++;
}

/** The request plan: kinds in random order, `TOTAL_REQUESTS` minus the token mints. */
function plan(total: number): Kind[] {
  const kinds = Object.entries(MIX).flatMap(([kind, share]) => Array.from({ length: Math.round(total * share) }, () => kind as Kind));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.slice(0, total);
}

async function main() {
  const runId = Date.now().toString(36);
  console.log(`Starting Herald locally (wrangler dev, fresh state in ${workDir}) …`);
  server = await startLocalServer({ workDir, script: buildWorker(join(workDir, "dist")), apiKeyCount: API_KEYS });
  const { base, apiKeys } = server;
  let keyTurn = 0;
  const apiKey = () => apiKeys[keyTurn++ % apiKeys.length]!;

  // Users, their tokens (counted in the total), and one connected client each.
  const users = Array.from({ length: USERS }, (_, i) => `load_${runId}_${i}`);
  const tokens = new Map<string, string>();
  const received = new Map<string, Map<string, number>>(users.map((u) => [u, new Map()]));
  for (let i = 0; i < users.length; i += CONCURRENCY) {
    await Promise.all(
      users.slice(i, i + CONCURRENCY).map(async (userId) => {
        const r = await call("token", base, apiKey(), "POST", `/v1/users/${userId}/tokens`, { ttlSeconds: 86_400 });
        if (r?.res.status !== 201) throw new Error(`token for ${userId}: ${r?.res.status}`);
        tokens.set(userId, String(r.json!.token));
      }),
    );
  }
  const connected = Date.now();
  for (let i = 0; i < users.length; i += 50) {
    await Promise.all(
      users.slice(i, i + 50).map((userId) => {
        const client = new HeraldClient({ baseUrl: base, token: tokens.get(userId)!, since: 0, backoff: { initialMs: 200, maxMs: 5000 } });
        clients.push(client);
        const hello = new Promise<void>((resolve) => client.on("hello", () => resolve()));
        client.on("notification", (frame: NotificationFrame) => {
          const seen = received.get(userId)!;
          seen.set(frame.notification.id, (seen.get(frame.notification.id) ?? 0) + 1);
        });
        client.connect();
        return within(hello, 60_000, `the hello of ${userId}`);
      }),
    );
  }
  console.log(`${USERS} tokens minted and ${USERS} WebSocket clients connected in ${((Date.now() - connected) / 1000).toFixed(1)} s.`);

  const kinds = plan(TOTAL_REQUESTS - USERS);
  let batchNo = 0;
  let noteNo = 0;
  const behaviourEvent = () => ({ userId: pick(users), targetId: `post_${Math.floor(Math.random() * TARGETS)}`, type: pick(BEHAVIOUR_TYPES) });

  async function run(kind: Kind): Promise<void> {
    switch (kind) {
      case "behaviour": {
        const e = behaviourEvent();
        if ((await call(kind, base, apiKey(), "POST", "/v1/behaviours", e))?.res.status === 202) acceptBehaviour(e);
        return;
      }
      case "behaviourBatch": {
        const events = Array.from({ length: BEHAVIOUR_BATCH }, behaviourEvent);
        if ((await call(kind, base, apiKey(), "POST", "/v1/behaviours/batch", { events }))?.res.status === 202) events.forEach(acceptBehaviour);
        return;
      }
      case "inboxRead": {
        const userId = pick(users);
        await call(kind, base, tokens.get(userId)!, "GET", Math.random() < 0.5 ? "/v1/me/notifications?limit=20" : "/v1/me/notifications/unread-count");
        return;
      }
      case "notification": {
        const earlier = accepted.keys.size > 0 && Math.random() < REPLAY_SHARE ? pick([...accepted.keys]) : null;
        const [key, body] = earlier ? [earlier[0], earlier[1].body] : [`load-${runId}-${noteNo++}`, { userId: pick(users), title: `single ${noteNo}` }];
        const r = await call(kind, base, apiKey(), "POST", "/v1/notifications", body, { "idempotency-key": key });
        if (r?.res.status !== 202) return;
        const id = String(r.json!.id);
        if (earlier) {
          accepted.replays++;
          if (id !== earlier[1].id || r.res.headers.get("idempotent-replayed") !== "true") accepted.replayMismatches++;
          return;
        }
        accepted.keys.set(key, { body, id });
        acceptNotification(String(body.userId), id);
        return;
      }
      case "notificationBatch": {
        const earlier = accepted.batches.length > 0 && Math.random() < REPLAY_SHARE ? pick(accepted.batches) : null;
        const b = batchNo++;
        const items = earlier?.items ?? Array.from({ length: NOTIFICATION_BATCH }, (_, j) => ({ idempotencyKey: `load-${runId}-b${b}-${j}`, userId: pick(users), title: `batch ${b}.${j}` }));
        const r = await call(kind, base, apiKey(), "POST", "/v1/notifications/batch", { items });
        if (r?.res.status !== 200) return;
        const results = r.json!.results as { status: string; notificationId: string | null }[];
        if (earlier) {
          accepted.replays++;
          if (results.some((x, j) => x.status !== "duplicate" || x.notificationId !== earlier.ids[j])) accepted.replayMismatches++;
          return;
        }
        // Items `failed` (transient) are not accepted; a caller would resend them.
        const ids = results.map((x) => x.notificationId ?? "");
        results.forEach((x, j) => x.status === "created" && acceptNotification(items[j]!.userId, x.notificationId!));
        if (results.every((x) => x.status === "created")) accepted.batches.push({ items, ids });
        return;
      }
    }
  }

  console.log(`Sending ${kinds.length} mixed requests from ${CONCURRENCY} concurrent senders …`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < kinds.length; i = next++) await run(kinds[i]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const accepted202 = [...accepted.notifications.values()].reduce((n, ids) => n + ids.size, 0);
  console.log(`Sent in ${seconds.toFixed(1)} s. Waiting for every client to hold its ${accepted202} notifications …`);

  // Delivered: every accepted notification reached its user's client, none twice.
  const settleStart = Date.now();
  await until(
    "every client to hold its accepted notifications",
    () => users.every((u) => [...(accepted.notifications.get(u) ?? [])].every((id) => received.get(u)!.has(id))),
    SETTLE_MS,
    500,
  ).catch((error: unknown) => console.error(String(error)));
  const missingOnClients = users.reduce((n, u) => n + [...(accepted.notifications.get(u) ?? [])].filter((id) => !received.get(u)!.has(id)).length, 0);
  const twiceOnClients = users.reduce((n, u) => n + [...received.get(u)!.values()].filter((c) => c > 1).length, 0);
  const strayOnClients = users.reduce((n, u) => n + [...received.get(u)!.keys()].filter((id) => !accepted.notifications.get(u)?.has(id)).length, 0);

  // Stored once and `delivered`: each user's notifications in D1, all pages, against what was accepted.
  const verifyKey = apiKeys[0]!;
  const stored = async (userId: string) => {
    const rows: { id: string; idempotencyKey: string | null; deliveries: { channel: string; status: string }[] }[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const res: Response = await fetch(`${base}/v1/users/${userId}/notifications?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
        headers: { authorization: `Bearer ${verifyKey}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const page = (await res.json()) as { items: typeof rows; nextCursor: string | null };
      rows.push(...page.items);
      cursor = page.nextCursor;
    }
    return rows;
  };
  let storedRows = new Map<string, Awaited<ReturnType<typeof stored>>>();
  await until(
    "every stored notification to be delivered",
    async () => {
      storedRows = new Map();
      for (let i = 0; i < users.length; i += 25) {
        const pages = await Promise.all(users.slice(i, i + 25).map(stored));
        users.slice(i, i + 25).forEach((u, j) => storedRows.set(u, pages[j]!));
      }
      return [...storedRows.values()].every((rows) => rows.every((r) => r.deliveries.find((d) => d.channel === "in_app")?.status === "delivered"));
    },
    Math.max(30_000, SETTLE_MS - (Date.now() - settleStart)),
    2000,
  ).catch((error: unknown) => console.error(String(error)));
  let missingInD1 = 0;
  let extraInD1 = 0;
  let notDelivered = 0;
  let keysStoredTwice = 0;
  for (const u of users) {
    const rows = storedRows.get(u) ?? [];
    const ids = new Set(rows.map((r) => r.id));
    const want = accepted.notifications.get(u) ?? new Set();
    missingInD1 += [...want].filter((id) => !ids.has(id)).length;
    extraInD1 += rows.filter((r) => !want.has(r.id)).length;
    notDelivered += rows.filter((r) => r.deliveries.find((d) => d.channel === "in_app")?.status !== "delivered").length;
    const keys = rows.map((r) => r.idempotencyKey).filter((k) => k !== null);
    keysStoredTwice += keys.length - new Set(keys).size;
  }

  // Behaviours: each target's summary counts exactly the distinct users per type.
  const expected = new Map<string, Record<string, number>>();
  for (const [key, who] of accepted.behaviours) {
    const [target, type] = key.split("\u0000") as [string, string];
    const counts = expected.get(target) ?? Object.fromEntries(BEHAVIOUR_TYPES.map((t) => [t, 0]));
    counts[type] = who.size;
    expected.set(target, counts);
  }
  let behaviourMismatches = 0;
  await until(
    "the behaviour summaries to match",
    async () => {
      behaviourMismatches = 0;
      for (const [target, counts] of expected) {
        const res = await fetch(`${base}/v1/targets/${target}/behaviours/summary`, { headers: { authorization: `Bearer ${verifyKey}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const got = (await res.json()) as Record<string, number>;
        behaviourMismatches += BEHAVIOUR_TYPES.filter((t) => got[t] !== counts[t]).length;
      }
      return behaviourMismatches === 0;
    },
    60_000,
    1000,
  ).catch((error: unknown) => console.error(String(error)));

  const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!.toFixed(0);
  const all = [...latencies.values()].flat();
  const failures = [...outcomes].filter(([k]) => /^(5\d\d|network)/.test(k)).reduce((n, [, c]) => n + c, 0);
  const problems = { missingOnClients, twiceOnClients, strayOnClients, missingInD1, extraInD1, notDelivered, keysStoredTwice, behaviourMismatches, replayMismatches: accepted.replayMismatches, failures };
  console.log(
    [
      "",
      `load: ${sent} HTTP requests (${USERS} token mints + ${kinds.length} mixed) and ${USERS} WebSocket clients against ${base}`,
      `  rate held: ${((sent - USERS) / seconds).toFixed(0)} requests/s over ${seconds.toFixed(1)} s (${CONCURRENCY} in flight), latency p50 ${quantile(all, 0.5)} ms, p99 ${quantile(all, 0.99)} ms`,
      `  latency p50/p99 by kind (ms): ${[...latencies].map(([k, v]) => `${k} ${quantile(v, 0.5)}/${quantile(v, 0.99)}`).join(", ")}`,
      `  outcomes: ${[...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ×${n}`).join(", ")}`,
      `  accepted: ${accepted202} notifications, ${accepted.behaviourEvents} behaviour events (${[...accepted.behaviours.values()].reduce((n, who) => n + who.size, 0)} distinct user/target/type), ${accepted.replays} replays`,
      `  delivered to clients: ${accepted202 - missingOnClients}/${accepted202}; in D1 and delivered: ${[...storedRows.values()].reduce((n, r) => n + r.length, 0) - notDelivered}`,
      `  lost or doubled: ${Object.entries(problems).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ].join("\n"),
  );
  return Object.values(problems).every((n) => n === 0);
}

const deadline = setTimeout(() => {
  console.error(`load: over the ${RUN_DEADLINE_MS / 60_000} min deadline; stopping.`);
  cleanup();
  process.exit(1);
}, RUN_DEADLINE_MS);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

main()
  .then((ok) => {
    clearTimeout(deadline);
    cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch((error: unknown) => {
    clearTimeout(deadline);
    console.error(`load failed: ${error instanceof Error ? error.message : String(error)}`);
    if (server) console.error(tail(server.logPath, 30));
    cleanup();
    process.exit(1);
  });
