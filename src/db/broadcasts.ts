/**
 * The `broadcasts` table (docs/data-model.md#broadcasts): one row per notification sent to a
 * topic's audience, with its rendered content and the fan-out's progress counters.
 */
import { z } from "zod";
import { broadcasts } from "./schema";

export const BroadcastStatus = z.enum(broadcasts.status.enumValues);

/** A broadcast as stored (`$inferSelect`); times in ms since the epoch. */
export type Broadcast = typeof broadcasts.$inferSelect;

/** A row as D1 returns it: SQLite has no boolean, so `critical` is 0 or 1; `tags` and `actions` are JSON text. */
type StoredBroadcast = Omit<Broadcast, "critical" | "tags" | "actions"> & { critical: number; tags: string | null; actions: string | null };

const COLUMNS = `id, topic, idempotency_key AS "idempotencyKey", title, body, data, priority, category, critical, expires_at AS "expiresAt",
  tags, actions, recipients, fanned_out AS "fannedOut", failed, status, created_at AS "createdAt", completed_at AS "completedAt"`;

/** The table's one mapper: D1's 0/1 becomes the schema's boolean, the JSON columns their values. */
const fromStored = (r: StoredBroadcast): Broadcast => ({
  ...r,
  critical: r.critical === 1,
  tags: r.tags === null ? null : (JSON.parse(r.tags) as string[]),
  actions: r.actions === null ? null : (JSON.parse(r.actions) as Broadcast["actions"]),
});

/** What accepting a broadcast writes; `recipients`, `fannedOut`, `failed`, `status` and `completedAt` are derived. */
export type NewBroadcast = Pick<Broadcast, "id" | "topic" | "idempotencyKey" | "title" | "body" | "data" | "priority" | "category" | "critical" | "expiresAt" | "tags" | "actions" | "createdAt">;

/**
 * Inserts the broadcast with `recipients` = the topic's subscriber count, read in the same
 * statement; run it in one `db.batch` with `snapshotRecipientsStatement` (the same transaction,
 * so the count and the copied snapshot agree). A broadcast with no recipients is `completed` at once.
 * @param claimedScope when given, the row is inserted only while the idempotency record
 *        (scope, idempotencyKey) names this id as its `resource_id` (see src/db/notifications.ts).
 * Returns `{recipients}` when inserted, no row otherwise.
 */
export function insertBroadcastStatement(db: D1Database, b: NewBroadcast, claimedScope: string | null): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO broadcasts (id, topic, idempotency_key, title, body, data, priority, category, critical, expires_at, tags, actions, recipients, fanned_out, status, created_at, completed_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?14, n, 0, CASE WHEN n = 0 THEN 'completed' ELSE 'accepted' END, ?11, CASE WHEN n = 0 THEN ?11 END
       FROM (SELECT COUNT(*) AS n FROM topic_subscribers WHERE topic = ?2)
       WHERE ?12 IS NULL OR EXISTS (SELECT 1 FROM idempotency_records r WHERE r.scope = ?12 AND r.key = ?3 AND r.resource_id = ?1)
       RETURNING recipients`,
    )
    .bind(b.id, b.topic, b.idempotencyKey, b.title, b.body, b.data, b.priority, b.category, b.critical ? 1 : 0, b.expiresAt, b.createdAt, claimedScope, b.tags === null ? null : JSON.stringify(b.tags), b.actions === null ? null : JSON.stringify(b.actions));
}

/** One broadcast, or null. */
export async function findBroadcast(db: D1Database, id: string): Promise<Broadcast | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM broadcasts WHERE id = ?1`).bind(id).first<StoredBroadcast>();
  return row === null ? null : fromStored(row);
}

/** The broadcasts `ids` (one query). */
export async function loadBroadcasts(db: D1Database, ids: readonly string[]): Promise<Broadcast[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM broadcasts WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids)).all<StoredBroadcast>();
  return results.map(fromStored);
}

/** Marks an `accepted` broadcast `fanning_out` once its chunks are enqueued (a no-op on any other status). */
export function markFanningOutStatement(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare(`UPDATE broadcasts SET status = 'fanning_out' WHERE id = ?1 AND status = 'accepted'`).bind(id);
}

/**
 * Adds to `fanned_out` the recipients of `userIds` not yet fanned out (taking those among them
 * that were dead-lettered off `failed`), and completes the broadcast when every recipient is.
 * Must run in the same `db.batch` as, and BEFORE, `markFannedOutStatement`
 * (src/db/broadcast-recipients.ts): the transaction makes the count and the marks agree, so a
 * redelivered chunk adds nothing.
 */
export function countFannedOutStatement(db: D1Database, id: string, userIds: readonly string[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE broadcasts SET fanned_out = fanned_out + d.n, failed = failed - d.f,
         status = CASE WHEN fanned_out + d.n >= recipients THEN 'completed' WHEN failed - d.f > 0 THEN 'failed' ELSE 'fanning_out' END,
         completed_at = CASE WHEN fanned_out + d.n >= recipients THEN ?3 ELSE completed_at END
       FROM (SELECT COUNT(*) AS n, COUNT(failed_at) AS f FROM broadcast_recipients
             WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))) AS d
       WHERE id = ?1 AND d.n > 0`,
    )
    .bind(id, JSON.stringify(userIds), now);
}

/**
 * A chunk of the broadcast exhausted its retries (docs/api.md#audiences): adds its recipients
 * not yet fanned out nor already counted failed to `failed`, and sets `status` to `failed`. Must
 * run in the same `db.batch` as, and BEFORE, `markFailedStatement`, so a redelivered dead letter
 * adds nothing.
 */
export function countFailedStatement(db: D1Database, id: string, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE broadcasts SET failed = failed + d.n, status = 'failed'
       FROM (SELECT COUNT(*) AS n FROM broadcast_recipients
             WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND failed_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))) AS d
       WHERE id = ?1 AND d.n > 0`,
    )
    .bind(id, JSON.stringify(userIds));
}

/**
 * The redrive of a dead-lettered chunk: takes its recipients still counted failed off `failed`,
 * and the broadcast back to `fanning_out` once none is left. Must run in the same `db.batch` as,
 * and BEFORE, `clearFailedStatement`.
 */
export function countReopenedStatement(db: D1Database, id: string, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE broadcasts SET failed = failed - d.n, status = CASE WHEN failed - d.n > 0 THEN 'failed' ELSE 'fanning_out' END
       FROM (SELECT COUNT(*) AS n FROM broadcast_recipients
             WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND failed_at IS NOT NULL AND user_id IN (SELECT value FROM json_each(?2))) AS d
       WHERE id = ?1 AND d.n > 0`,
    )
    .bind(id, JSON.stringify(userIds));
}

/** Broadcasts still `accepted` (fan-out never planned) created before `before` (ms), oldest first, at most `limit`: for the sweeper. */
export async function strandedBroadcasts(db: D1Database, before: number, limit: number): Promise<string[]> {
  const { results } = await db.prepare(`SELECT id FROM broadcasts WHERE status = 'accepted' AND created_at < ?1 ORDER BY created_at LIMIT ?2`).bind(before, limit).all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Retention (docs/data-model.md#broadcasts): deletes at most `limit` broadcasts completed before
 * `before` (ms) whose recipient snapshot is already gone (`purgeBroadcastRecipients` runs first).
 * @returns rows deleted.
 */
export async function purgeBroadcasts(db: D1Database, before: number, limit: number): Promise<number> {
  const { meta } = await db
    .prepare(
      `DELETE FROM broadcasts WHERE rowid IN (
         SELECT b.rowid FROM broadcasts b WHERE b.completed_at < ?1
           AND NOT EXISTS (SELECT 1 FROM broadcast_recipients r WHERE r.broadcast_id = b.id) LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return meta.changes;
}
