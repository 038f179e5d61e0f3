/**
 * The `broadcast_recipients` table (docs/data-model.md#broadcast_recipients): each broadcast's
 * recipient snapshot, copied from `topic_subscribers` at acceptance, with the fan-out mark.
 */

/**
 * Copies the topic's subscribers into the broadcast's snapshot, one statement; run it right after
 * `insertBroadcastStatement` in the same `db.batch` (it copies nothing when that inserted nothing).
 */
export function snapshotRecipientsStatement(db: D1Database, broadcastId: string, topic: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO broadcast_recipients (broadcast_id, user_id)
       SELECT ?1, user_id FROM topic_subscribers WHERE topic = ?2 AND EXISTS (SELECT 1 FROM broadcasts WHERE id = ?1)
       ON CONFLICT DO NOTHING`,
    )
    .bind(broadcastId, topic);
}

/** The broadcast's recipients not yet fanned out, in user id order (one primary-key range read). */
export async function pendingRecipients(db: D1Database, broadcastId: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT user_id AS "userId" FROM broadcast_recipients WHERE broadcast_id = ?1 AND fanned_out_at IS NULL ORDER BY user_id`).bind(broadcastId).all<{ userId: string }>();
  return results.map((r) => r.userId);
}

/** Which of `userIds` are recipients of the broadcast not yet fanned out (one query). */
export async function pendingAmong(db: D1Database, broadcastId: string, userIds: readonly string[]): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT user_id AS "userId" FROM broadcast_recipients WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))`)
    .bind(broadcastId, JSON.stringify(userIds))
    .all<{ userId: string }>();
  return results.map((r) => r.userId);
}

/** Marks `userIds` fanned out at `now` (ms); see `countFannedOutStatement` in src/db/broadcasts.ts for the order in the batch. */
export function markFannedOutStatement(db: D1Database, broadcastId: string, userIds: readonly string[], now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE broadcast_recipients SET fanned_out_at = ?3 WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))`)
    .bind(broadcastId, JSON.stringify(userIds), now);
}

/** Marks `userIds` not yet fanned out as dead-lettered at `now` (ms); see `countFailedStatement` in src/db/broadcasts.ts for the order in the batch. */
export function markFailedStatement(db: D1Database, broadcastId: string, userIds: readonly string[], now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE broadcast_recipients SET failed_at = ?3 WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND failed_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))`)
    .bind(broadcastId, JSON.stringify(userIds), now);
}

/** Clears the dead-letter mark of `userIds` (a redrive); see `countReopenedStatement` in src/db/broadcasts.ts for the order in the batch. */
export function clearFailedStatement(db: D1Database, broadcastId: string, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE broadcast_recipients SET failed_at = NULL WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND failed_at IS NOT NULL AND user_id IN (SELECT value FROM json_each(?2))`)
    .bind(broadcastId, JSON.stringify(userIds));
}

/**
 * Retention (docs/data-model.md#broadcast_recipients): deletes at most `limit` snapshot rows of
 * broadcasts completed before `before` (ms); live broadcasts keep theirs. @returns rows deleted.
 */
export async function purgeBroadcastRecipients(db: D1Database, before: number, limit: number): Promise<number> {
  const { meta } = await db
    .prepare(
      `DELETE FROM broadcast_recipients WHERE rowid IN (
         SELECT r.rowid FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = b.id WHERE b.completed_at < ?1 LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return meta.changes;
}
