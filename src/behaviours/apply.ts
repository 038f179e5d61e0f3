/**
 * Applying behaviour events to D1 `behaviours`, set-based: the events of a batch are first
 * reduced to one last writer per row (a third of ingest is duplicates), then each chunk of rows
 * is one `INSERT … SELECT … FROM jsonb_each(?) ON CONFLICT DO UPDATE` statement, and all chunks
 * run in one `db.batch()` (a transaction). The UNIQUE(user_id, target_id, type) index is what
 * makes duplicates impossible (seed problem: three writers inserted the same behaviour row three times).
 */
import { chunkByBytes, utf8Bytes } from "../lib/queue";
import { bumpCounters } from "../stats/counters";
import { behaviourKey, type BehaviourEvent } from "./events";

/** JSON parameter budget per statement (`activeWinners`), under D1's 100 KB SQL statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * JSON parameter budget per upsert. D1's 100 KB limit is on SQL text; a bound string may reach
 * 1 MB (D1 platform limits), and fewer, larger statements cost less: SQLite journals a page
 * once per statement that changes it (measured: ~15% less CPU per event than 90 KB statements).
 */
const UPSERT_JSON_BYTES = 900 * 1000;

/**
 * Last writer wins on the total order (occurredAt, eventId, tombstone): a later event beats an
 * earlier one, the larger event id breaks a same-millisecond tie, and on a full tie a `remove`
 * beats an `add`. A total order is what makes the outcome independent of arrival order and of
 * repetition (a replayed event compares equal and changes nothing). `lastWriterWins` below is
 * the same order in JavaScript.
 */
const EXCLUDED_WINS = `(excluded.occurred_at, excluded.event_id, behaviours.active)
  > (behaviours.occurred_at, behaviours.event_id, excluded.active)`;

/**
 * `target_owner_id` is a property of the target, so it is filled in by any event that knows it,
 * winner or not: otherwise an owner-less newer event arriving before an older one that names
 * the owner would leave it NULL, and the rows would depend on arrival order.
 * Rows travel as arrays `[userId, targetId, type, active, occurredAt, eventId, targetOwnerId]`
 * (`RowTuple`): under half the JSON of objects, for SQLite to parse. `jsonb_each` hands each row
 * over as JSONB, which `->>` reads without parsing the row's text again (`json_each` gives text:
 * measured ~7% more CPU per event).
 * `WHERE true` is required by SQLite's grammar for an upsert whose source is a SELECT.
 */
const UPSERT = `
  INSERT INTO behaviours (user_id, target_id, type, active, occurred_at, event_id, target_owner_id, updated_at)
  SELECT v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, v->>6, ?2
  FROM (SELECT value AS v FROM jsonb_each(?1)) WHERE true
  ON CONFLICT (user_id, target_id, type) DO UPDATE SET
    active = iif(${EXCLUDED_WINS}, excluded.active, behaviours.active),
    occurred_at = iif(${EXCLUDED_WINS}, excluded.occurred_at, behaviours.occurred_at),
    event_id = iif(${EXCLUDED_WINS}, excluded.event_id, behaviours.event_id),
    target_owner_id = iif(${EXCLUDED_WINS},
      COALESCE(excluded.target_owner_id, behaviours.target_owner_id),
      COALESCE(behaviours.target_owner_id, excluded.target_owner_id)),
    updated_at = excluded.updated_at
  WHERE ${EXCLUDED_WINS}
    OR (behaviours.target_owner_id IS NULL AND excluded.target_owner_id IS NOT NULL)`;

/** One row of `UPSERT`'s JSON parameter. `active` is 1 for an add, 0 for a remove. */
type RowTuple = [userId: string, targetId: string, type: string, active: 0 | 1, occurredAt: number, eventId: string, targetOwnerId: string | null];

/** Code point order, which is the UTF-8 byte order of SQLite's BINARY collation (JS `<` orders UTF-16 units: it differs past U+D7FF). */
function compareBinary(a: string, b: string): number {
  if (!HIGH_UNITS.test(a) && !HIGH_UNITS.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
const HIGH_UNITS = /[\ud800-\uffff]/;

/** Whether `a` beats `b` for the same row, in `EXCLUDED_WINS`'s order. */
function lastWriterWins(a: BehaviourEvent, b: BehaviourEvent): boolean {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt;
  if (a.eventId !== b.eventId) return compareBinary(a.eventId, b.eventId) > 0;
  return a.action === "remove" && b.action === "add";
}

/**
 * The one event per (user, target, type) that `UPSERT` would leave in the row after applying
 * all of `events` in any order, carrying the owner any of them names (see `UPSERT`): applying
 * only these gives the same rows, with a fraction of the writes when a batch repeats rows.
 * @returns rows in key order, so the upserts walk the unique index in order.
 */
function lastWriterRows(events: readonly BehaviourEvent[]): RowTuple[] {
  const winners = new Map<string, { event: BehaviourEvent; ownerId: string | null }>();
  for (const event of events) {
    const key = `${event.userId}\u0000${event.targetId}\u0000${event.type}`;
    const current = winners.get(key);
    if (current === undefined) winners.set(key, { event, ownerId: event.targetOwnerId });
    else {
      if (lastWriterWins(event, current.event)) current.event = event;
      current.ownerId = current.event.targetOwnerId ?? current.ownerId ?? event.targetOwnerId;
    }
  }
  // Any total order gives locality; the default (UTF-16) sort is the cheap one.
  return [...winners.keys()].sort().map((key) => {
    const { event: e, ownerId } = winners.get(key)!;
    return [e.userId, e.targetId, e.type, e.action === "add" ? 1 : 0, e.occurredAt, e.eventId, ownerId];
  });
}

/** `rows` as JSON array texts of at most `maxBytes` each (one serialisation per row). */
function jsonChunks(rows: readonly unknown[], maxBytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const bytes = utf8Bytes(json) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += bytes;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}

/** What one apply did: `applied` events changed a row, `duplicatesSuppressed` changed nothing. */
export interface ApplyResult {
  applied: number;
  duplicatesSuppressed: number;
}

/**
 * Applies `events` in any order, any number of times, with the same resulting rows (SPEC §4):
 * last writer wins (see `EXCLUDED_WINS`), and `remove` keeps the row as a tombstone (`active = 0`)
 * so a late, older `add` cannot resurrect it.
 * @param now ms, written to `updated_at` of the rows that change.
 * @returns counts from D1's `meta.changes` (an upsert whose WHERE fails changes 0 rows); an event
 *          beaten by another of the same call counts as suppressed.
 * @throws whatever D1 throws; the transaction then leaves no partial state.
 */
export async function applyBehaviours(db: D1Database, events: readonly BehaviourEvent[], now: number): Promise<ApplyResult> {
  if (events.length === 0) return { applied: 0, duplicatesSuppressed: 0 };
  const statements = jsonChunks(lastWriterRows(events), UPSERT_JSON_BYTES).map((json) => db.prepare(UPSERT).bind(json, now));
  const results = await db.batch(statements);
  const applied = results.reduce((sum, r) => sum + r.meta.changes, 0);
  const duplicatesSuppressed = events.length - applied;
  // Counted after the fact: a crash in between loses a count, never a row (stats are not truth).
  await bumpCounters(db, { "behaviours.events": events.length, "behaviours.applied": applied, "behaviours.duplicates_suppressed": duplicatesSuppressed }).run();
  return { applied, duplicatesSuppressed };
}

/**
 * The events among `candidates` that are the current winner of their row and left it active,
 * read in one statement per chunk of event ids (`behaviours_event` index). Used after applying,
 * so a redelivered batch finds the same winners and callers can finish interrupted work.
 */
export async function activeWinners(db: D1Database, candidates: readonly BehaviourEvent[]): Promise<BehaviourEvent[]> {
  if (candidates.length === 0) return [];
  const eventIds = [...new Set(candidates.map((e) => e.eventId))];
  const statements = chunkByBytes(eventIds, STATEMENT_JSON_BYTES).map((chunk) =>
    db
      .prepare(
        `SELECT user_id, target_id, type, event_id FROM behaviours
         WHERE event_id IN (SELECT value FROM json_each(?1)) AND active = 1`,
      )
      .bind(JSON.stringify(chunk)),
  );
  const results = await db.batch<{ user_id: string; target_id: string; type: BehaviourEvent["type"]; event_id: string }>(statements);
  // A client may reuse an event id across rows, so a row counts only for the event that wrote it.
  const won = new Set(
    results.flatMap((r) => r.results.map((row) => `${behaviourKey({ userId: row.user_id, targetId: row.target_id, type: row.type })}:${row.event_id}`)),
  );
  return candidates.filter((e) => won.has(`${behaviourKey(e)}:${e.eventId}`));
}
