/**
 * The `sync_deliveries` table (docs/api.md#user-sync): one webhook message to one target; its id is the
 * `webhook-id` header, stable across retries. Unique (target, user, version, type), so a
 * redelivered event never fans out twice. Status: pending → succeeded | superseded | failed | dead.
 */
import { z } from "zod";
import { syncDeliveries } from "./schema";

export const SyncDeliveryStatus = z.enum(syncDeliveries.status.enumValues);

/** A delivery as stored (`$inferSelect`, times in ms), read through camelCase column aliases. The API shows every column but `payload`. */
export type SyncDeliveryRow = typeof syncDeliveries.$inferSelect;
type Status = SyncDeliveryRow["status"];

/** The outcome of one attempt to record; a null `latencyMs` or `deliveredAt` keeps the stored one. */
export type SyncAttemptUpdate = Pick<SyncDeliveryRow, "id" | "status" | "attempts" | "lastStatusCode" | "lastError" | "latencyMs" | "nextAttemptAt" | "deliveredAt">;

const COLUMNS = `id, target_id AS "targetId", user_id AS "userId", event_type AS "eventType", version, payload, status, attempts,
  last_status_code AS "lastStatusCode", last_error AS "lastError", latency_ms AS "latencyMs", next_attempt_at AS "nextAttemptAt",
  created_at AS "createdAt", updated_at AS "updatedAt", delivered_at AS "deliveredAt"`;

/** A row of {@link statusCountsSinceStatement}: deliveries in one status. */
export type SyncStatusCount = Pick<SyncDeliveryRow, "status"> & { n: number };

/** A row of {@link recentLatenciesStatement} (ms). */
export type SyncLatency = { latencyMs: NonNullable<SyncDeliveryRow["latencyMs"]> };

/** Inserts pending deliveries `rows` (JSON text of `{id, targetId, userId, type, version, payload}`), idempotent on the event. */
export function insertPendingStatement(db: D1Database, rowsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT v->>'id', v->>'targetId', v->>'userId', v->>'type', v->>'version', v->>'payload', 'pending', 0, ?2, ?2, ?2
       FROM (SELECT value AS v FROM json_each(?1)) WHERE true
       ON CONFLICT (target_id, user_id, version, event_type) DO NOTHING`,
    )
    .bind(rowsJson, now);
}

/**
 * Ids of the pending deliveries for the events `keysJson` (JSON text of `{targetId, userId, type, version}`),
 * each found along `sync_deliveries_event`: `+d.status` keeps SQLite from walking every pending
 * delivery along `sync_deliveries_status` and matching each against the keys.
 */
export function pendingIdsForEventsStatement(db: D1Database, keysJson: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT d.id FROM sync_deliveries d JOIN (SELECT value AS v FROM json_each(?1)) k
         ON d.target_id = k.v->>'targetId' AND d.user_id = k.v->>'userId' AND d.version = k.v->>'version' AND d.event_type = k.v->>'type'
       WHERE +d.status = 'pending'`,
    )
    .bind(keysJson);
}

/**
 * Inserts `user.snapshot` repairs for one target (JSON text of `{id, userId, version, payload}`),
 * reopening a repair of the same (user, version) that failed or died.
 * @returns the statement; its rows are the ids now pending.
 */
export function upsertSnapshotsStatement(db: D1Database, targetId: string, rowsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT v->>'id', ?2, v->>'userId', 'user.snapshot', v->>'version', v->>'payload', 'pending', 0, ?3, ?3, ?3
       FROM (SELECT value AS v FROM json_each(?1)) WHERE true
       ON CONFLICT (target_id, user_id, version, event_type) DO UPDATE SET
         status = 'pending', attempts = 0, last_error = NULL, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at
       WHERE sync_deliveries.status IN ('failed', 'dead')
       RETURNING id`,
    )
    .bind(rowsJson, targetId, now);
}

/** The deliveries `ids` still pending. */
export async function pendingSyncDeliveries(db: D1Database, ids: string[]): Promise<SyncDeliveryRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM sync_deliveries WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'pending'`)
    .bind(JSON.stringify([...new Set(ids)]))
    .all<SyncDeliveryRow>();
  return results;
}

/** Records attempts' outcomes, set-based. */
export function recordSyncAttemptsStatement(db: D1Database, updates: SyncAttemptUpdate[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE sync_deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_status_code = u.v->>'lastStatusCode',
         last_error = u.v->>'lastError', latency_ms = COALESCE(u.v->>'latencyMs', latency_ms), next_attempt_at = u.v->>'nextAttemptAt',
         delivered_at = COALESCE(u.v->>'deliveredAt', delivered_at), updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u WHERE sync_deliveries.id = u.v->>'id'`,
    )
    .bind(JSON.stringify(updates), now);
}

/**
 * Bumps (and returns) up to 1,000 pending deliveries whose retry is overdue since `stalledBefore`
 * (ms). Walks `sync_deliveries_pending_due` (pending deliveries by next attempt, migration 0016)
 * from the oldest due, so a run reads the overdue ones, not every pending delivery; `INDEXED BY`
 * because without statistics SQLite prefers `sync_deliveries_status` for `status = 'pending'`.
 */
export async function markStalledSyncDeliveries(db: D1Database, now: number, stalledBefore: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE sync_deliveries SET next_attempt_at = ?1, updated_at = ?1
       WHERE id IN (SELECT id FROM sync_deliveries INDEXED BY sync_deliveries_pending_due WHERE status = 'pending' AND next_attempt_at <= ?2 LIMIT 1000)
       RETURNING id`,
    )
    .bind(now, stalledBefore)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** A page of deliveries, newest first, optionally of one target and status. */
export async function listSyncDeliveries(db: D1Database, opts: { targetId?: string; status?: Status; before?: string; limit: number }): Promise<SyncDeliveryRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM sync_deliveries WHERE (?1 IS NULL OR target_id = ?1) AND (?2 IS NULL OR status = ?2) AND id < ?3 ORDER BY id DESC LIMIT ?4`)
    .bind(opts.targetId ?? null, opts.status ?? null, opts.before ?? "\u{10FFFF}", opts.limit)
    .all<SyncDeliveryRow>();
  return results;
}

/**
 * A manual retry: reopens one pending, failed or dead delivery whose target is enabled.
 * @returns the reopened row; null with the current status when it cannot be retried, or null
 *          with null when there is no such delivery.
 */
export async function reopenForRetry(db: D1Database, id: string, now: number): Promise<{ row: SyncDeliveryRow | null; status: Status | null }> {
  const row = await db
    .prepare(
      `UPDATE sync_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
       WHERE id = ?1 AND status IN ('pending', 'failed', 'dead')
         AND EXISTS (SELECT 1 FROM sync_targets t WHERE t.id = sync_deliveries.target_id AND t.enabled = 1)
       RETURNING ${COLUMNS}`,
    )
    .bind(id, now)
    .first<SyncDeliveryRow>();
  if (row) return { row, status: row.status };
  const exists = await db.prepare(`SELECT status FROM sync_deliveries WHERE id = ?1`).bind(id).first<{ status: Status }>();
  return { row: null, status: exists?.status ?? null };
}

/** Reopens dead or failed deliveries `ids` with a fresh attempt budget (a redrive). */
export async function reopenSyncDeliveries(db: D1Database, ids: string[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE sync_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('dead', 'failed')`,
    )
    .bind(JSON.stringify(ids), now)
    .run();
}

/** Delivery counts ({@link SyncStatusCount}s) by status for ids at or after `since` (ids sort by time). */
export function statusCountsSinceStatement(db: D1Database, since: string): D1PreparedStatement {
  return db.prepare(`SELECT status, COUNT(*) AS n FROM sync_deliveries WHERE id >= ?1 GROUP BY status`).bind(since);
}

/** The latencies ({@link SyncLatency}s, ms) of the latest 1,000 successful deliveries. */
export function recentLatenciesStatement(db: D1Database): D1PreparedStatement {
  return db.prepare(`SELECT latency_ms AS "latencyMs" FROM sync_deliveries WHERE status = 'succeeded' AND latency_ms IS NOT NULL ORDER BY id DESC LIMIT 1000`);
}

/**
 * Retention (docs/data-model.md#retention, 30 days for sync deliveries as for topic-message deliveries): deletes at
 * most `limit` deliveries in a terminal status (succeeded, superseded, failed, dead) last changed
 * before `before` (ms). Pending deliveries are live work and never purged; acknowledged versions
 * live on in `sync_acks`. A delivery a waiting dead letter names stays, so its redrive still
 * finds it (letters are deleted when redriven or discarded). Index `sync_deliveries_finished`.
 * @returns rows deleted.
 */
export async function purgeSyncDeliveries(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM sync_deliveries WHERE rowid IN (
         SELECT s.rowid FROM sync_deliveries s WHERE s.status <> 'pending' AND s.updated_at < ?1
           AND NOT EXISTS (SELECT 1 FROM dead_letters dl WHERE dl.source = 'sync' AND dl.source_id = s.id)
         LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
