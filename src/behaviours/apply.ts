/**
 * Applying behaviour events to D1 `behaviours`, set-based: each chunk of events is one
 * `INSERT … SELECT … FROM json_each(?) ON CONFLICT DO UPDATE` statement, and all chunks run in
 * one `db.batch()` (a transaction). The UNIQUE(user_id, target_id, type) index is what makes
 * duplicates impossible (seed problem: three writers inserted the same behaviour row three times).
 */
import { chunkByBytes } from "../lib/queue";
import { bumpCounters } from "../stats/counters";
import { behaviourKey, type BehaviourEvent } from "./events";

/** JSON parameter budget per statement, under D1's ~100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * Last writer wins on the total order (occurredAt, eventId, tombstone): a later event beats an
 * earlier one, the larger event id breaks a same-millisecond tie, and on a full tie a `remove`
 * beats an `add`. A total order is what makes the outcome independent of arrival order and of
 * repetition (a replayed event compares equal and changes nothing).
 */
const EXCLUDED_WINS = `(excluded.occurred_at, excluded.event_id, behaviours.active)
  > (behaviours.occurred_at, behaviours.event_id, excluded.active)`;

/**
 * `target_owner_id` is a property of the target, so it is filled in by any event that knows it,
 * winner or not: otherwise an owner-less newer event arriving before an older one that names
 * the owner would leave it NULL, and the rows would depend on arrival order.
 * `WHERE true` is required by SQLite's grammar for an upsert whose source is a SELECT.
 */
const UPSERT = `
  INSERT INTO behaviours (user_id, target_id, type, active, occurred_at, event_id, target_owner_id, updated_at)
  SELECT v->>'userId', v->>'targetId', v->>'type', v->>'action' = 'add', v->>'occurredAt', v->>'eventId',
    v->>'targetOwnerId', ?2
  FROM (SELECT value AS v FROM json_each(?1)) WHERE true
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
 * @returns counts from D1's `meta.changes` (an upsert whose WHERE fails changes 0 rows).
 * @throws whatever D1 throws; the transaction then leaves no partial state.
 */
export async function applyBehaviours(db: D1Database, events: readonly BehaviourEvent[], now: number): Promise<ApplyResult> {
  if (events.length === 0) return { applied: 0, duplicatesSuppressed: 0 };
  const statements = chunkByBytes(events, STATEMENT_JSON_BYTES).map((chunk) => db.prepare(UPSERT).bind(JSON.stringify(chunk), now));
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
