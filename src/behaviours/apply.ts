/**
 * Applying behaviour events to D1 `behaviours`, set-based: the events of a batch are first
 * reduced to one last writer per row (a third of ingest is duplicates), then each chunk of rows
 * is one `INSERT … SELECT … FROM jsonb_each(?) ON CONFLICT DO UPDATE` statement, and all chunks
 * run in one `db.batch()` (a transaction). The UNIQUE(user_id, target_id, type) index is what
 * makes duplicates impossible (seed problem: three writers inserted the same behaviour row three times).
 */
import { chunkByBytes, utf8Bytes } from "../lib/queue";
import { upsertBehavioursStatement, unnotifiedWinnersStatement, type WinnerRow } from "../db/behaviours";
import { addCounts } from "../db/counter-buffer";
import { behaviourKey, type BehaviourEvent } from "./events";

/** JSON parameter budget per statement (`winnersToNotify`), under D1's 100 KB SQL statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * JSON parameter budget per upsert. D1's 100 KB limit is on SQL text; a bound string may reach
 * 1 MB (D1 platform limits), and fewer, larger statements cost less: SQLite journals a page
 * once per statement that changes it (measured: ~15% less CPU per event than 90 KB statements).
 */
const UPSERT_JSON_BYTES = 900 * 1000;

/** One row of the upsert's JSON parameter (src/db/behaviours.ts). `active` is 1 for an add, 0 for a remove. */
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

/** Whether `a` beats `b` for the same row, in the upsert's last-writer-wins order (`EXCLUDED_WINS` in src/db/behaviours.ts). */
function lastWriterWins(a: BehaviourEvent, b: BehaviourEvent): boolean {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt;
  if (a.eventId !== b.eventId) return compareBinary(a.eventId, b.eventId) > 0;
  return a.action === "remove" && b.action === "add";
}

/**
 * The one event per (user, target, type) that the upsert would leave in the row after applying
 * all of `events` in any order, carrying the owner any of them names: applying
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
 * Applies `events` in any order, any number of times, with the same resulting rows (docs/api.md#behaviours):
 * last writer wins (see src/db/behaviours.ts), and `remove` keeps the row as a tombstone (`active = 0`)
 * so a late, older `add` cannot resurrect it.
 * @param now ms, written to `updated_at` of the rows that change.
 * @returns counts from D1's `meta.changes` (an upsert whose WHERE fails changes 0 rows); an event
 *          beaten by another of the same call counts as suppressed.
 * @throws whatever D1 throws; the transaction then leaves no partial state.
 */
export async function applyBehaviours(db: D1Database, events: readonly BehaviourEvent[], now: number): Promise<ApplyResult> {
  if (events.length === 0) return { applied: 0, duplicatesSuppressed: 0 };
  const statements = jsonChunks(lastWriterRows(events), UPSERT_JSON_BYTES).map((json) => upsertBehavioursStatement(db, json, now));
  const results = await db.batch(statements);
  const applied = results.reduce((sum, r) => sum + r.meta.changes, 0);
  const duplicatesSuppressed = events.length - applied;
  // Counted after the fact into the isolate's counter buffer (src/db/counters.ts; the consumer
  // ends with its flush): a crash in between loses a count, never a row (stats are not truth).
  addCounts([["behaviours.events", events.length], ["behaviours.applied", applied], ["behaviours.duplicates_suppressed", duplicatesSuppressed]]);
  return { applied, duplicatesSuppressed };
}

/**
 * The events among `candidates` that are the current winner of their row, left it active, and
 * whose target's owner was not told yet — read in one statement per chunk of event ids
 * (`behaviours_event` index). Used after applying, so a redelivered batch finds the same winners
 * and callers can finish interrupted work.
 */
export async function winnersToNotify(db: D1Database, candidates: readonly BehaviourEvent[]): Promise<BehaviourEvent[]> {
  if (candidates.length === 0) return [];
  const eventIds = [...new Set(candidates.map((e) => e.eventId))];
  const statements = chunkByBytes(eventIds, STATEMENT_JSON_BYTES).map((chunk) => unnotifiedWinnersStatement(db, JSON.stringify(chunk)));
  const results = await db.batch<WinnerRow>(statements);
  // A client may reuse an event id across rows, so a row counts only for the event that wrote it.
  const won = new Set(results.flatMap((r) => r.results.map((row) => `${behaviourKey(row)}:${row.eventId}`)));
  return candidates.filter((e) => won.has(`${behaviourKey(e)}:${e.eventId}`));
}
