/**
 * The one module that owns the SQL of D1 `presence`: who is online, mirrored from the UserInbox
 * objects through the receipts queue (docs/protocol.md). Written only by the receipts consumer.
 */
import type { presence } from "./schema";

/** A presence report: `connections` live sockets at `at` (ms), counting for D1 until `leaseUntil` (ms). */
export interface PresenceReport {
  userId: string;
  connections: number;
  /** Grows with every report of this user's inbox; an older report never overwrites a newer one. */
  version: number;
  at: number;
  leaseUntil: number;
}

/** Upserts presence reports (keep them under ~90 KB of JSON); a report older (by `version`) than the stored one changes nothing. */
export function upsertPresenceStatement(db: D1Database, reports: readonly PresenceReport[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO presence (user_id, connections, version, last_seen_at, expires_at, updated_at)
       SELECT v->>'userId', v->>'connections', v->>'version', v->>'at', v->>'leaseUntil', ?2
       FROM (SELECT value AS v FROM json_each(?1)) WHERE true
       ON CONFLICT (user_id) DO UPDATE SET connections = excluded.connections, version = excluded.version,
         last_seen_at = excluded.last_seen_at, expires_at = excluded.expires_at, updated_at = excluded.updated_at
       WHERE excluded.version > presence.version`,
    )
    .bind(JSON.stringify(reports), now);
}

export type OnlineUser = Pick<typeof presence.$inferSelect, "userId" | "connections" | "lastSeenAt">;

/**
 * Users online at `now` (ms), by user id after `after`, at most `limit`. `connections > 0`
 * matches the partial index `presence_online`, so the page is an index range.
 */
export async function listOnline(db: D1Database, opts: { after: string; limit: number; now: number }): Promise<OnlineUser[]> {
  const { results } = await db
    .prepare(
      `SELECT user_id AS userId, connections, last_seen_at AS lastSeenAt FROM presence
       WHERE connections > 0 AND expires_at > ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3`,
    )
    .bind(opts.now, opts.after, opts.limit)
    .all<OnlineUser>();
  return results;
}

/** For `GET /v1/stats`: `{users, connections}` online at `now` (ms). */
export function onlineCountStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare(`SELECT COUNT(*) AS users, COALESCE(SUM(connections), 0) AS connections FROM presence WHERE connections > 0 AND expires_at > ?1`).bind(now);
}

/**
 * Retention (docs/data-model.md#retention): deletes at most `limit` rows of users offline and not seen since
 * `before` (ms): last report before it and the lease run out before it too. An inbox holding
 * sockets renews its lease every few minutes, so such a row has no live connection even when
 * its last count was not 0 (an inbox that vanished); a user online, or seen since, keeps the
 * row. A later report simply inserts it again. Uses `presence_last_seen`.
 * @returns rows deleted.
 */
export async function purgePresence(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM presence WHERE rowid IN (
         SELECT rowid FROM presence WHERE last_seen_at < ?1 AND expires_at < ?1 LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
