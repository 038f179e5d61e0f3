/**
 * The one module that owns the SQL of D1 `behaviours` (docs/api.md#behaviours): one row per (user, target,
 * type), written only by the behaviours queue consumer. The UNIQUE(user_id, target_id, type)
 * index is what makes duplicates impossible (seed problem: three writers inserted the same
 * behaviour row three times). Active rows are state and stay; tombstones are compacted.
 */
import type { behaviours } from "./schema";

/**
 * Last writer wins on the total order (occurredAt, eventId, tombstone): a later event beats an
 * earlier one, the larger event id breaks a same-millisecond tie, and on a full tie a `remove`
 * beats an `add`. A total order is what makes the outcome independent of arrival order and of
 * repetition (a replayed event compares equal and changes nothing). `lastWriterWins` in
 * src/behaviours/apply.ts is the same order in JavaScript.
 */
const EXCLUDED_WINS = `(excluded.occurred_at, excluded.event_id, behaviours.active)
  > (behaviours.occurred_at, behaviours.event_id, excluded.active)`;

/**
 * `target_owner_id` is a property of the target, so it is filled in by any event that knows it,
 * winner or not: otherwise an owner-less newer event arriving before an older one that names
 * the owner would leave it NULL, and the rows would depend on arrival order.
 * Rows travel as arrays `[userId, targetId, type, active, occurredAt, eventId, targetOwnerId]`
 * (`RowTuple` in apply.ts): under half the JSON of objects, for SQLite to parse. `jsonb_each`
 * hands each row over as JSONB, which `->>` reads without parsing the row's text again
 * (`json_each` gives text: measured ~7% more CPU per event).
 * `WHERE true` is required by SQLite's grammar for an upsert whose source is a SELECT.
 * `owner_notification_id` is never touched: a remove and a later add keep the owner told.
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

/**
 * The last-writer-wins upsert of one chunk of rows: `json` is a JSON array of row tuples (see
 * `UPSERT`), up to ~900 KB (a bound string may reach 1 MB; D1's 100 KB limit is on SQL text).
 * `meta.changes` counts the rows it changed. @param now ms, written to `updated_at`.
 */
export function upsertBehavioursStatement(db: D1Database, json: string, now: number): D1PreparedStatement {
  return db.prepare(UPSERT).bind(json, now);
}

/** A row as `unnotifiedWinnersStatement` reads it. */
export type WinnerRow = Pick<typeof behaviours.$inferSelect, "userId" | "targetId" | "type" | "eventId">;

/**
 * The statement reading the active rows last written by one of `eventIds` (a JSON array text,
 * ~90 KB at most) whose owner was not notified yet (`behaviours_event` index).
 */
export function unnotifiedWinnersStatement(db: D1Database, eventIds: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT user_id AS userId, target_id AS targetId, type, event_id AS eventId FROM behaviours
       WHERE event_id IN (SELECT value FROM json_each(?1)) AND active = 1 AND owner_notification_id IS NULL`,
    )
    .bind(eventIds);
}

/**
 * Marks rows as having told their target's owner (docs/api.md#behaviours: once per actor, target and type):
 * `marks` are `[userId, targetId, type, notificationId]`; a row already marked keeps its mark, so
 * of two transactions marking one row the second changes nothing. Run it in the transaction that
 * inserts the notification, before the insert, with {@link OWNER_NOTIFICATION_MARKED} as the
 * insert's condition: only the notification the row names is created.
 */
export function markOwnerNotifiedStatement(db: D1Database, marks: readonly [string, string, string, string][]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE behaviours SET owner_notification_id = m.value->>3
       FROM json_each(?1) AS m
       WHERE behaviours.user_id = m.value->>0 AND behaviours.target_id = m.value->>1 AND behaviours.type = m.value->>2
         AND behaviours.owner_notification_id IS NULL`,
    )
    .bind(JSON.stringify(marks));
}

/**
 * SQL condition over a notification row `v` (a `json_each` value with `id` and `data:
 * {actorId, targetId, type}`): the behaviour row of (actorId, targetId, type) names `v.id` as its
 * owner notification. A unique-index lookup.
 */
export const OWNER_NOTIFICATION_MARKED = `EXISTS (SELECT 1 FROM behaviours b
  WHERE b.user_id = v->'data'->>'actorId' AND b.target_id = v->'data'->>'targetId' AND b.type = v->'data'->>'type'
    AND b.owner_notification_id = v->>'id')`;

/** A behaviour as listed. `occurredAt` in ms. */
export type BehaviourListRow = Pick<typeof behaviours.$inferSelect, "userId" | "targetId" | "type" | "occurredAt" | "targetOwnerId">;

/**
 * Up to `limit` of `userId`'s active behaviours, optionally of one `type`, newest first by
 * (occurredAt desc, targetId, type), strictly after `after` in that order.
 */
export async function listActiveBehaviourRows(
  db: D1Database,
  query: { userId: string; type?: string; limit: number; after?: { occurredAt: number; targetId: string; type: string } },
): Promise<BehaviourListRow[]> {
  const { results } = await db
    .prepare(
      `SELECT user_id AS userId, target_id AS targetId, type, occurred_at AS occurredAt, target_owner_id AS targetOwnerId
       FROM behaviours
       WHERE user_id = ?1 AND active = 1 AND (?2 IS NULL OR type = ?2)
         AND (?3 IS NULL OR occurred_at < ?3 OR (occurred_at = ?3 AND (target_id, type) > (?4, ?5)))
       ORDER BY occurred_at DESC, target_id, type
       LIMIT ?6`,
    )
    .bind(query.userId, query.type ?? null, query.after?.occurredAt ?? null, query.after?.targetId ?? null, query.after?.type ?? null, query.limit)
    .all<BehaviourListRow>();
  return results;
}

/** Active counts of `targetId` per type present, in one GROUP BY. */
export async function activeCountsByType(db: D1Database, targetId: string): Promise<{ type: BehaviourListRow["type"]; n: number }[]> {
  const { results } = await db
    .prepare(`SELECT type, COUNT(*) AS n FROM behaviours WHERE target_id = ?1 AND active = 1 GROUP BY type`)
    .bind(targetId)
    .all<{ type: BehaviourListRow["type"]; n: number }>();
  return results;
}

/**
 * Retention (docs/data-model.md#retention): compacts at most `limit` tombstones (`active = 0`) last changed before
 * `before` (ms). A tombstone only has to outlive the late, older `add` it blocks; active rows are
 * state and are never purged. With the row goes its owner-notified mark, so an add after the
 * compaction is a new like and tells the owner again. Uses `behaviours_tombstones`.
 * @returns rows deleted.
 */
export async function purgeBehaviourTombstones(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(`DELETE FROM behaviours WHERE rowid IN (SELECT rowid FROM behaviours WHERE active = 0 AND updated_at < ?1 LIMIT ?2)`)
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
