/**
 * Scenario 3, behaviour ingest (docs/api.md#behaviours, README.md#benchmarks, issue 8): a stream of behaviour events — a third of
 * them exact duplicates, some `remove`s sent well before the older `add` they override — posted
 * in batches of 1,000 to `POST /v1/behaviours/batch`. Events/s is measured from the first request
 * until D1 holds exactly the reference state the bench computes with the same last-writer-wins
 * rule (docs/api.md#behaviours: the latest `occurredAt` wins, then the larger event id, then a remove over an
 * add). The bench reads D1's local file directly (read-only), polling every 50 ms.
 *
 * Target: ≥ 80,000 events/s (issue 20 raised it from 50,000 once met), with zero duplicate rows.
 * No baseline: the target is absolute (sixteen times the ~5,000 messages/s one queue accepts,
 * reachable only by packing).
 */
import { JsonClient } from "../lib/http.ts";
import { openD1, withServer, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { now, seededRandom, sleep } from "../lib/stats.ts";
import { until } from "../../scripts/local-server.ts";

const TYPES = ["like", "favorite", "follow", "share", "view", "comment"] as const;
const EVENTS_PER_REQUEST = 1000;
/** Requests in flight: enough that the bench's HTTP side never is what limits ingest. */
const CONCURRENCY = 4;
const POLL_MS = 50;

function sizes(quick: boolean) {
  return quick ? { events: 10_000, repetitions: 2, warmup: 2000, timeoutMs: 60_000 } : { events: 100_000, repetitions: 3, warmup: 10_000, timeoutMs: 240_000 };
}

interface EventInput {
  eventId: string;
  userId: string;
  targetId: string;
  type: (typeof TYPES)[number];
  action: "add" | "remove";
  occurredAt: string;
}

/** The row D1 must end up with for one (userId, targetId, type). `occurredAt` in ms. */
interface Expected {
  active: number;
  occurredAt: number;
  eventId: string;
}

/** Last-writer-wins order of docs/api.md#behaviours as Herald implements it: (occurredAt, eventId, remove over add). */
function beats(a: { occurredAt: number; eventId: string; remove: boolean }, b: { occurredAt: number; eventId: string; remove: boolean }): boolean {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt;
  if (a.eventId !== b.eventId) return a.eventId > b.eventId;
  return a.remove && !b.remove;
}

/**
 * A deterministic workload of exactly `total` events under user ids starting with `prefix`:
 * two thirds distinct events — per (user, target, type) an add, or an add and a later remove
 * (for a fifth of the rows the remove is sent ~5,000 events before its add) — and one third
 * exact copies of them at random places.
 * @returns the events in send order and the rows D1 must hold afterwards.
 */
export function makeWorkload(prefix: string, total: number, seed: number): { events: EventInput[]; expected: Map<string, Expected> } {
  const random = seededRandom(seed);
  const base = Date.now() - 2 * 86_400_000;
  const distinct = total - Math.floor(total / 3);
  const placed: { at: number; event: EventInput }[] = [];
  const unique: EventInput[] = [];
  const expected = new Map<string, Expected>();
  const iso = (ms: number) => new Date(ms).toISOString();
  let id = 0;
  const eventId = () => `${prefix}-e${String(++id).padStart(7, "0")}`;
  for (let row = 0; unique.length < distinct; row++) {
    const key = { userId: `${prefix}-u${row % 1000}`, targetId: `t${Math.floor(row / 1000)}`, type: TYPES[(row * 7 + Math.floor(row / 1000)) % TYPES.length]! };
    const addAt = base + Math.floor(random() * 86_400_000);
    const add: EventInput = { eventId: eventId(), ...key, action: "add", occurredAt: iso(addAt) };
    const position = unique.length;
    const roll = random();
    const paired = roll < 0.3 && unique.length + 2 <= distinct;
    const remove: EventInput | null = paired ? { eventId: eventId(), ...key, action: "remove", occurredAt: iso(addAt + 1000 + Math.floor(random() * 60_000)) } : null;
    let winner = add;
    if (remove && roll < 0.2) {
      // Out of order: the newer remove is sent first, its older add ~5,000 events later.
      placed.push({ at: position, event: remove }, { at: position + 5000 + random() * 1000, event: add });
      unique.push(remove, add);
      winner = remove;
    } else if (remove) {
      placed.push({ at: position, event: add }, { at: position + 1 + random() * 1000, event: remove });
      unique.push(add, remove);
      winner = remove;
    } else {
      placed.push({ at: position, event: add });
      unique.push(add);
    }
    expected.set(rowKey(key.userId, key.targetId, key.type), { active: winner.action === "add" ? 1 : 0, occurredAt: Date.parse(winner.occurredAt), eventId: winner.eventId });
  }
  for (let d = 0; d < total - distinct; d++) {
    placed.push({ at: random() * distinct, event: unique[Math.floor(random() * unique.length)]! });
  }
  placed.sort((a, b) => a.at - b.at);
  // Sanity: the generator's own winners must agree with the rule it claims to follow.
  for (const event of unique) {
    const current = expected.get(rowKey(event.userId, event.targetId, event.type))!;
    const candidate = { occurredAt: Date.parse(event.occurredAt), eventId: event.eventId, remove: event.action === "remove" };
    if (beats(candidate, { ...current, remove: current.active === 0 })) throw new Error(`workload generator disagrees with last-writer-wins for ${event.eventId}`);
  }
  return { events: placed.map((p) => p.event), expected };
}

const rowKey = (userId: string, targetId: string, type: string) => `${userId}\u0000${targetId}\u0000${type}`;

interface IngestRun {
  eventsPerSecond: number;
  /** Events/s of the HTTP requests alone (202 received), for the analysis. */
  acceptedPerSecond: number;
  duplicateRows: number;
}

/**
 * Posts one workload and waits until D1 holds exactly its reference state.
 * @throws Error when a request fails or the state is not reached within `timeoutMs`.
 */
async function ingest(api: JsonClient, server: Parameters<typeof openD1>[0], prefix: string, total: number, seed: number, timeoutMs: number): Promise<IngestRun> {
  const { events, expected } = makeWorkload(prefix, total, seed);
  const expectedActive = [...expected.values()].reduce((sum, e) => sum + e.active, 0);
  const db = openD1(server);
  // '.' sorts right after '-', so [prefix-, prefix.) is exactly this workload's users, on the index.
  const range = [`${prefix}-`, `${prefix}.`] as const;
  const counts = db.prepare<[string, string], { n: number; active: number | null }>(
    `SELECT COUNT(*) AS n, SUM(active) AS active FROM behaviours WHERE user_id >= ? AND user_id < ?`,
  );
  const rows = db.prepare<[string, string], { user_id: string; target_id: string; type: string; active: number; occurred_at: number; event_id: string }>(
    `SELECT user_id, target_id, type, active, occurred_at, event_id FROM behaviours WHERE user_id >= ? AND user_id < ?`,
  );
  const duplicates = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM behaviours WHERE user_id >= ? AND user_id < ? GROUP BY user_id, target_id, type HAVING COUNT(*) > 1)`,
  );
  const matches = () => {
    const c = counts.get(...range)!;
    if (c.n !== expected.size || (c.active ?? 0) !== expectedActive) return false;
    return rows.all(...range).every((r) => {
      const e = expected.get(rowKey(r.user_id, r.target_id, r.type));
      return e !== undefined && e.active === r.active && e.occurredAt === r.occurred_at && e.eventId === r.event_id;
    });
  };
  try {
    const started = now();
    let next = 0;
    const post = async () => {
      while (next < events.length) {
        const chunk = events.slice(next, (next += EVENTS_PER_REQUEST));
        const accepted = await api.json<{ accepted: number }>("POST", "/v1/behaviours/batch", 202, { events: chunk });
        if (accepted.accepted !== chunk.length) throw new Error(`accepted ${accepted.accepted} of ${chunk.length}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, post));
    const acceptedAt = now();
    await until(`D1 to hold the reference state of ${prefix}`, matches, timeoutMs, POLL_MS);
    const doneAt = now();
    return {
      eventsPerSecond: total / ((doneAt - started) / 1000),
      acceptedPerSecond: total / ((acceptedAt - started) / 1000),
      duplicateRows: duplicates.get(...range)!.n,
    };
  } finally {
    db.close();
  }
}

/** Runs scenario 3 and returns its rows and notes. */
export async function behaviourIngest(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`behaviour ingest: ${size.repetitions} × ${size.events} events`);
  const runs = await withServer(ctx, "ingest-herald", async (server) => {
    const api = new JsonClient(server.base, server.apiKey, CONCURRENCY);
    try {
      await ingest(api, server, "warm", size.warmup, 1, size.timeoutMs);
      const results: IngestRun[] = [];
      for (let r = 1; r <= size.repetitions; r++) {
        results.push(await ingest(api, server, `b${r}`, size.events, 1000 + r, size.timeoutMs));
        const last = results.at(-1)!;
        ctx.log(`  repetition ${r}/${size.repetitions}: ${Math.round(last.eventsPerSecond)} events/s applied (HTTP accepted ${Math.round(last.acceptedPerSecond)}/s), ${last.duplicateRows} duplicate rows`);
        // Idle consumers between repetitions, so none starts behind.
        await sleep(1000);
      }
      return results;
    } finally {
      api.close();
    }
  });
  return {
    rows: [
      resultRow("behaviour ingest", "applied until D1 = reference", "events/s", runs.map((r) => r.eventsPerSecond), null, { kind: "absolute", op: ">=", value: 80_000 }),
      resultRow("behaviour ingest", "accepted over HTTP", "events/s", runs.map((r) => r.acceptedPerSecond), null, { kind: "report" }),
      resultRow("behaviour ingest", "duplicate rows", "rows", runs.map((r) => r.duplicateRows), null, { kind: "absolute", op: "=", value: 0 }),
    ],
    notes: [
      `behaviour ingest: ${size.events} events per repetition (1/3 exact duplicates, 1/5 of rows with the remove sent before its add), ${EVENTS_PER_REQUEST} per request, ${CONCURRENCY} requests in flight, no targetOwnerId.`,
    ],
  };
}
