/** The `sync_acks` table (docs/api.md#user-sync): per (target, user), the highest version the target acknowledged. Only grows. */
import type { syncAcks } from "./schema";

/** A row of {@link acksStatement}: the version a target acknowledged for a user. */
export type AckRow = Pick<typeof syncAcks.$inferSelect, "targetId" | "userId" | "version">;

/** The acks ({@link AckRow}s) of the (target, user) pairs `keys`. */
export function acksStatement(db: D1Database, keys: Pick<AckRow, "targetId" | "userId">[]): D1PreparedStatement {
  return db
    .prepare(`SELECT a.target_id AS "targetId", a.user_id AS "userId", a.version FROM sync_acks a JOIN (SELECT value AS v FROM json_each(?1)) k ON a.target_id = k.v->>'t' AND a.user_id = k.v->>'u'`)
    .bind(JSON.stringify(keys.map((k) => ({ t: k.targetId, u: k.userId }))));
}

/** Grows acks: a version lower than or equal to the stored one changes nothing (queues reorder). */
export function growAcksStatement(db: D1Database, acks: { targetId: string; userId: string; version: number }[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sync_acks (target_id, user_id, version, acked_at)
       SELECT v->>'targetId', v->>'userId', v->>'version', ?2 FROM (SELECT value AS v FROM json_each(?1)) WHERE true
       ON CONFLICT (target_id, user_id) DO UPDATE SET version = excluded.version, acked_at = excluded.acked_at
       WHERE excluded.version > sync_acks.version`,
    )
    .bind(JSON.stringify(acks), now);
}

/** Forgets a deleted target's acks. */
export function deleteAcksOfTargetStatement(db: D1Database, targetId: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM sync_acks WHERE target_id = ?1`).bind(targetId);
}

/** How many (enabled target, live user) pairs lag (acked version below the user's), counted up to `cap`. */
export function countLaggingPairsStatement(db: D1Database, cap: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT COUNT(*) AS n FROM (
         SELECT 1 FROM sync_targets t JOIN users u LEFT JOIN sync_acks a ON a.target_id = t.id AND a.user_id = u.id
         WHERE t.enabled = 1 AND u.deleted_at IS NULL AND COALESCE(a.version, 0) < u.version LIMIT ?1)`,
    )
    .bind(cap);
}
