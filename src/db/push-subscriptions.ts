/**
 * The SQL of D1 `push_subscriptions` for the `/v1/me/push-subscriptions` routes: one row per
 * browser endpoint (the primary key), owned by the user who registered it last.
 */
import type { pushSubscriptions } from "./schema";

/** docs/data-model.md#per-user-caps / issue 14: the most push subscriptions one user may hold. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 20;

/** A subscription as the routes show it (times in ms since the epoch; keys are never read back). */
export type PushSubscriptionRow = Pick<typeof pushSubscriptions.$inferSelect, "endpoint" | "expirationTime" | "createdAt" | "updatedAt">;

/** What a browser's `PushSubscription.toJSON()` gives, for `userId`. `expirationTime` in ms. */
export type PushSubscriptionInput = Pick<typeof pushSubscriptions.$inferInsert, "endpoint" | "userId" | "p256dh" | "auth" | "expirationTime">;

const VIEW_COLUMNS = "endpoint, expiration_time AS expirationTime, created_at AS createdAt, updated_at AS updatedAt";

/**
 * Registers `input.endpoint` for `input.userId`, or replaces its keys when the endpoint is known
 * (an endpoint registered by another user moves to this one: it is one browser profile). A user
 * holding {@link MAX_PUSH_SUBSCRIPTIONS_PER_USER} other endpoints gets nothing stored. The cap is
 * checked inside the one INSERT, so concurrent registrations cannot pass it together (D1 runs one
 * statement at a time); re-registering an endpoint the user holds is not counted as a new one.
 * @param now ms since the epoch, stored as `updatedAt` (and `createdAt` for a new row).
 * @returns the row and whether it is new, or null when the user is at the cap.
 */
export async function upsertPushSubscription(db: D1Database, input: PushSubscriptionInput, now: number): Promise<{ row: PushSubscriptionRow; created: boolean } | null> {
  // `WHERE` on the SELECT also keeps SQLite from reading `ON CONFLICT` as a join constraint.
  const row = await db
    .prepare(
      `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, expiration_time, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6
       WHERE (SELECT COUNT(*) FROM push_subscriptions WHERE user_id = ?2 AND endpoint <> ?1) < ?7
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         expiration_time = excluded.expiration_time, updated_at = excluded.updated_at
       RETURNING ${VIEW_COLUMNS}`,
    )
    .bind(input.endpoint, input.userId, input.p256dh, input.auth, input.expirationTime ?? null, now, MAX_PUSH_SUBSCRIPTIONS_PER_USER)
    .first<PushSubscriptionRow>();
  return row ? { row, created: row.createdAt === now } : null;
}

/** Removes `userId`'s subscription to `endpoint`. @returns whether there was one. */
export async function deletePushSubscription(db: D1Database, userId: string, endpoint: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM push_subscriptions WHERE endpoint = ?1 AND user_id = ?2`).bind(endpoint, userId).run();
  return result.meta.changes > 0;
}

/**
 * `userId`'s subscriptions by endpoint, after `after` (exclusive; "" for the first page), at most
 * `limit` rows (index `push_subscriptions_user`).
 */
export async function listPushSubscriptions(db: D1Database, userId: string, after: string, limit: number): Promise<PushSubscriptionRow[]> {
  const { results } = await db
    .prepare(`SELECT ${VIEW_COLUMNS} FROM push_subscriptions WHERE user_id = ?1 AND endpoint > ?2 ORDER BY endpoint LIMIT ?3`)
    .bind(userId, after, limit)
    .all<PushSubscriptionRow>();
  return results;
}

/**
 * The statement removing endpoints a push service answered 404/410 Gone for (RFC 8030 §7.3: the
 * subscription no longer exists), to run in the batch that records the send.
 */
export function deleteGoneEndpointsStatement(db: D1Database, endpoints: readonly string[]): D1PreparedStatement {
  return db.prepare(`DELETE FROM push_subscriptions WHERE endpoint IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(endpoints));
}
