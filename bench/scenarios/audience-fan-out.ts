/**
 * Scenario 6, audience fan-out (docs/api.md#audiences, README.md#benchmarks, issue 17): a topic with 100,000
 * subscribers (2,600 with `--quick`) (seeded through the set-based `PUT /v1/topics/{name}/subscribers`, 1,000 per
 * request), then one `POST /v1/notifications {topic}`. Recipients/s is measured from the request
 * until every inbox holds the item: the clock stops when the broadcast's row (what
 * `GET /v1/broadcasts/{id}` shows, read from D1's file every 50 ms) is `completed`, which the
 * consumer marks only after each recipient's inbox call returned. Then, off the clock, every inbox is counted through its own storage: the bench opens
 * each UserInbox's local SQLite file read-only (as behaviour ingest reads D1's) and requires the
 * broadcast id exactly once in exactly as many inboxes as there were recipients.
 *
 * Each repetition uses a fresh topic and fresh users, so every recipient's inbox is a new object,
 * as in a first broadcast to an audience; a second broadcast to the same topic then finds them
 * live (those the runtime evicted while the first ran are reopened), which separates the cost of
 * creating an inbox from the fan-out's own. Target: ≥ 20,000 recipients/s to new inboxes,
 * absolute; bench/floor-fanout measures what the runtime allows any one-object-per-user design
 * (docs/api.md#audiences, "Fan-out rate").
 */
import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonClient } from "../lib/http.ts";
import { openD1, withServer, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { now, sleep } from "../lib/stats.ts";
import type { LocalServer } from "../../scripts/local-server.ts";

/** `PUT /v1/topics/{name}/subscribers` takes at most 1,000 ids. */
const SUBSCRIBERS_PER_REQUEST = 1000;
const SEED_CONCURRENCY = 4;
const POLL_MS = 50;

function sizes(quick: boolean) {
  // `timeoutMs` is the budget of a repetition's two broadcasts together. Quick: 11 chunks of 250 in
  // three consumer batches (the plan, 10 chunks, 1); 35 s keep the whole run (build, seed and
  // checks included) under a minute when a loaded machine makes new inboxes at only ~100/s.
  return quick ? { subscribers: 2_600, repetitions: 1, warmup: 200, timeoutMs: 35_000 } : { subscribers: 100_000, repetitions: 1, warmup: 1000, timeoutMs: 600_000 };
}

interface BroadcastRun {
  /** Recipients fanned out per second; when the broadcast did not complete in time, those fanned out by the deadline. */
  recipientsPerSecond: number;
  /** Whether it completed before the deadline. */
  completed: boolean;
  /** Milliseconds of the `POST` alone: acceptance copies the subscriber set into the snapshot. */
  acceptMs: number;
  /** Inboxes holding the item exactly once, counted in their own storage after the clock stopped. */
  inboxesHolding: number;
  verifyMs: number;
}

/** The directory of the UserInbox objects' SQLite files in a server's local state (one file per object). */
function inboxDir(server: LocalServer): string {
  const root = join(server.persistDir, "v3", "do");
  const dir = readdirSync(root).find((name) => name.includes("UserInbox"));
  if (!dir) throw new Error(`no UserInbox storage under ${root}`);
  return join(root, dir);
}

/**
 * Counts the inboxes holding `id`, each read from its own SQLite file (read-only; committed
 * writes are visible, as with D1's file). @throws Error when an inbox holds it more than once.
 */
function countHolding(dir: string, id: string): number {
  let holding = 0;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".sqlite")) continue;
    const db = new Database(join(dir, file), { readonly: true, fileMustExist: true });
    try {
      const hasInbox = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inbox'`).get() !== undefined;
      const n = hasInbox ? db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM inbox WHERE id = ?`).get(id)!.n : 0;
      if (n > 1) throw new Error(`inbox ${file} holds ${id} ${n} times`);
      holding += n;
    } finally {
      db.close();
    }
  }
  return holding;
}

/** Creates a topic and subscribes `count` fresh users `<prefix>-u<n>` to it. */
async function seedTopic(api: JsonClient, topic: string, prefix: string, count: number): Promise<void> {
  await api.json("PUT", `/v1/topics/${topic}`, 201, {});
  let next = 0;
  const put = async () => {
    while (next < count) {
      const start = next;
      next += SUBSCRIBERS_PER_REQUEST;
      const userIds = Array.from({ length: Math.min(SUBSCRIBERS_PER_REQUEST, count - start) }, (_, i) => `${prefix}-u${String(start + i).padStart(6, "0")}`);
      const { changed } = await api.json<{ changed: number }>("PUT", `/v1/topics/${topic}/subscribers`, 200, { userIds });
      if (changed !== userIds.length) throw new Error(`subscribed ${changed} of ${userIds.length}`);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, put));
}

/**
 * One broadcast to `topic` (`count` subscribers), timed from the request until it is completed
 * (or, at the latest, `timeoutMs`: then the rate is of those fanned out by then), then verified
 * inbox by inbox: every recipient counted fanned out must hold the item, none twice.
 * @throws Error when an inbox count disagrees.
 */
async function broadcastOnce(api: JsonClient, server: LocalServer, topic: string, count: number, timeoutMs: number): Promise<BroadcastRun> {
  const started = now();
  const { broadcastId, recipients } = await api.json<{ broadcastId: string; recipients: number }>("POST", "/v1/notifications", 202, {
    topic,
    title: "Scheduled maintenance",
    body: "The status page has the details.",
    data: { topic },
  });
  const acceptedAt = now();
  if (recipients !== count) throw new Error(`broadcast fixed ${recipients} recipients, expected ${count}`);
  // Progress is read from D1's own file, not through `GET /v1/broadcasts/{id}`: while the runtime
  // creates inboxes its one thread answers HTTP late (a poll waited 30 s), which would stop the
  // clock late, or show nothing fanned out at the deadline.
  const d1 = openD1(server);
  let last = { status: "accepted", fannedOut: 0 };
  try {
    const progress = d1.prepare<[string], { status: string; fannedOut: number }>(`SELECT status, fanned_out AS fannedOut FROM broadcasts WHERE id = ?`);
    while (last.status !== "completed" && now() - started < timeoutMs) {
      last = progress.get(broadcastId) ?? last;
      if (last.status !== "completed") await sleep(POLL_MS);
    }
  } finally {
    d1.close();
  }
  const doneAt = now();
  const completed = last.status === "completed";
  if (completed && last.fannedOut !== count) throw new Error(`broadcast completed with fannedOut ${last.fannedOut} of ${count}`);
  const verifyStarted = now();
  const inboxesHolding = countHolding(inboxDir(server), broadcastId);
  // Unfinished, chunks still run: inboxes may hold it before their recipients are counted, never after.
  if (completed ? inboxesHolding !== count : inboxesHolding < last.fannedOut) throw new Error(`${inboxesHolding} inboxes hold broadcast ${broadcastId}, ${last.fannedOut} of ${count} counted fanned out`);
  return { recipientsPerSecond: last.fannedOut / ((doneAt - started) / 1000), completed, acceptMs: acceptedAt - started, inboxesHolding, verifyMs: now() - verifyStarted };
}

/**
 * A fresh topic of `count` fresh users, then two broadcasts to it within `timeoutMs` together: the
 * first creates every recipient's inbox (a new Durable Object each), the second finds them live
 * (or, when the first took long, reopens those the runtime evicted meanwhile).
 */
async function fanOut(api: JsonClient, server: LocalServer, prefix: string, count: number, timeoutMs: number): Promise<{ fresh: BroadcastRun; live: BroadcastRun | null }> {
  const topic = `bench_${prefix}`;
  await seedTopic(api, topic, prefix, count);
  // The seed's writes settle before the clock starts.
  await sleep(500);
  const started = now();
  const fresh = await broadcastOnce(api, server, topic, count, timeoutMs);
  // Unfinished, the first would still be running under the second: nothing to compare.
  return { fresh, live: fresh.completed ? await broadcastOnce(api, server, topic, count, Math.max(1000, timeoutMs - (now() - started))) : null };
}

/** Runs scenario 6 and returns its rows and notes. */
export async function audienceFanOut(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`audience fan-out: ${size.repetitions} × one broadcast to ${size.subscribers} subscribers`);
  const runs = await withServer(ctx, "audience-herald", async (server) => {
    const api = new JsonClient(server.base, server.apiKey, SEED_CONCURRENCY);
    try {
      await fanOut(api, server, "warm", size.warmup, size.timeoutMs);
      const results: { fresh: BroadcastRun; live: BroadcastRun | null }[] = [];
      for (let r = 1; r <= size.repetitions; r++) {
        const run = await fanOut(api, server, `a${r}`, size.subscribers, size.timeoutMs);
        results.push(run);
        ctx.log(
          `  repetition ${r}/${size.repetitions}: ${Math.round(run.fresh.recipientsPerSecond)} recipients/s to new inboxes${run.fresh.completed ? "" : ` (NOT completed in ${size.timeoutMs / 1000} s)`}, ` +
            `${run.live ? `${Math.round(run.live.recipientsPerSecond)}/s${run.live.completed ? "" : " (NOT completed in the budget)"}` : "not measured"} again to the same ` +
            `(accepted in ${Math.round(run.fresh.acceptMs)} ms; ${run.fresh.inboxesHolding} inboxes hold each once, counted in ${Math.round(run.fresh.verifyMs / 1000)} s)`,
        );
        // Idle consumers between repetitions, so none starts behind.
        await sleep(1000);
      }
      return results;
    } finally {
      api.close();
    }
  });
  const live = runs.flatMap((r) => (r.live ? [r.live.recipientsPerSecond] : []));
  const unfinished = runs.filter((r) => !r.fresh.completed).length;
  return {
    rows: [
      resultRow("audience fan-out", `one broadcast → ${size.subscribers.toLocaleString("en-US")} new inboxes`, "recipients/s", runs.map((r) => r.fresh.recipientsPerSecond), null, { kind: "absolute", op: ">=", value: 20_000 }),
      ...(live.length > 0 ? [resultRow("audience fan-out", "again, to the same (live) inboxes", "recipients/s", live, null, { kind: "report" })] : []),
      resultRow("audience fan-out", "acceptance (snapshot of the subscribers)", "ms", runs.map((r) => r.fresh.acceptMs), null, { kind: "report" }),
    ],
    notes: [
      `audience fan-out: ${size.subscribers} fresh subscribers per repetition (seeded ${SUBSCRIBERS_PER_REQUEST} per PUT), one POST /v1/notifications {topic}, then a second to the same topic; ` +
        `each timed from the request until the broadcast's row in D1 is completed, then every inbox's own SQLite file is checked to hold the item exactly once (off the clock). ` +
        `Locally every inbox is a SQLite file held open (3 descriptors) by the one workerd process until it has idled about a minute, so the open-file limit caps the live inboxes ` +
        `(${Math.floor(openFileLimit() / 3).toLocaleString("en-US")} at this process's limit); past it, inbox calls fail and their chunks retry with backoff.` +
        (unfinished > 0 ? ` ${unfinished} of ${runs.length} repetitions did not complete within ${size.timeoutMs / 1000} s: their rate counts the recipients fanned out by then.` : ""),
    ],
  };
}

/** The soft open-file limit of this process (inherited by the runtime it starts), from /proc. */
function openFileLimit(): number {
  const match = readFileSync("/proc/self/limits", "utf8").match(/^Max open files\s+(\d+)/m);
  return match ? Number(match[1]) : Number.NaN;
}
