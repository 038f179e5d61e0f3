/**
 * The one module that owns the SQL of D1 `deliveries`: one row per (notification, channel) for
 * email, SMS and push. A notification's in-app state is columns of its own row (src/db/schema.ts,
 * migration 0014), written by ./notifications; the status vocabulary and its rank are shared here.
 *
 * Rows are created `queued` with their notification and purged with it (`purgeNotifications` in
 * ./notifications). A sender leases one (notification, channel) at a time and records its outcome (below).
 */
import { z } from "zod";
import { deliveries } from "./schema";

/** Every delivery status (docs/api.md#notifications), from the schema. */
export const DeliveryStatus = z.enum(deliveries.status.enumValues);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One state change of one notification's in-app delivery: its id and when it happened (ms). */
export type Receipt = [id: string, at: number];
/**
 * A receipt that also carries when the item was acked (`deliveredAt`, ms; null: not in this
 * batch) and when the fast path handed it to the inbox (`sentAt`, ms): a `read` whose `delivered`,
 * or a `delivered` whose `sent`, came in the same batch, so the delivery moves once
 * (src/queues/receipts.ts).
 */
export type AckedReceipt = Receipt | [id: string, at: number, deliveredAt: number | null] | [id: string, at: number, deliveredAt: number | null, sentAt: number];

/**
 * Rank of each delivery status: a mirror update applies only when it moves a delivery forward,
 * so receipts arriving out of order or twice (queues are at-least-once, unordered) never
 * regress a status. `recalled` wins over everything.
 */
const STATUS_RANK_SQL = `CASE %s WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'expired' THEN 3
  WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 WHEN 'recalled' THEN 6 ELSE -1 END`;
/** The rank of the status SQL expression `expr`, as SQL (shared with the counting statement in ./counters). */
export const deliveryStatusRank = (expr: string) => STATUS_RANK_SQL.replace("%s", expr);

/**
 * The statement inserting one `queued` delivery per email/SMS/push channel of each notification of
 * `idsJson` (a JSON array of notification ids) that exists in `notifications`, read from its row — so it
 * follows the notifications' conditional insert in the same transaction and adds deliveries only
 * to the rows that insert created (or created before: `ON CONFLICT DO NOTHING`). Ids, not whole
 * rows: the rows' JSON is sent and parsed once, by the insert.
 */
export function insertQueuedDeliveriesStatement(db: D1Database, idsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at)
       SELECT x.id, c.value, 'queued', 0, x.created_at
       FROM json_each(?1) AS i, notifications x, json_each(x.channels) AS c
       WHERE x.id = i.value AND c.value <> 'in_app'
       ON CONFLICT (notification_id, channel) DO NOTHING`,
    )
    .bind(idsJson);
}

/**
 * For `GET /v1/stats`: email/SMS/push delivery counts by (channel, status) of notifications with
 * ids ≥ `sinceId` (a ULID time prefix); the in-app ones are `inAppCountsStatement` in ./notifications.
 */
export function deliveryCountsStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db.prepare(`SELECT channel, status, COUNT(*) AS n FROM deliveries WHERE notification_id >= ?1 GROUP BY channel, status`).bind(sinceId);
}

// ---------------------------------------------------------------------------------------------
// Email, SMS and push sends (src/channels/send.ts): a sender leases one (notification, channel)
// at a time (`locked_until`, ms), renews the lease while its provider call runs, and records the
// outcome, releasing the lease.
// ---------------------------------------------------------------------------------------------

export type SendChannel = (typeof deliveries.channel.enumValues)[number];

/** A queued email/SMS/push delivery with what its send needs: the notification, the user's addresses, the template, the push subscriptions (JSON). */
export interface PendingSend {
  id: string;
  user_id: string;
  template: string | null;
  data: string | null;
  title: string | null;
  body: string | null;
  expires_at: number | null;
  recalled_at: number | null;
  category: string;
  critical: number;
  /** Held by quiet hours until then (ms); null when not held. */
  deliver_at: number | null;
  channel: SendChannel;
  attempts: number;
  email: string | null;
  phone: string | null;
  subject_tpl: string | null;
  body_tpl: string | null;
  push_subscriptions: string;
}

/** The outcome of one send to record. */
export interface SendUpdate {
  id: string;
  channel: SendChannel;
  status: z.infer<typeof DeliveryStatus>;
  attempts: number;
  error: string | null;
  sentAt: number | null;
}

/** The queued email/SMS/push deliveries of the notifications `ids` whose lease is free at `now` (ms). Not a claim. */
export async function pendingSends(db: D1Database, ids: string[], now: number): Promise<PendingSend[]> {
  const { results } = await db
    .prepare(
      `SELECT n.id, n.user_id, n.template, n.data, n.title, n.body, n.expires_at, n.recalled_at, n.category, n.critical, d.deliver_at, d.channel, d.attempts,
              u.email, u.phone, t.subject AS subject_tpl, t.body AS body_tpl,
              (SELECT json_group_array(json_object('endpoint', p.endpoint, 'p256dh', p.p256dh, 'auth', p.auth, 'expirationTime', p.expiration_time))
               FROM push_subscriptions p WHERE p.user_id = n.user_id) AS push_subscriptions
       FROM deliveries d
       JOIN notifications n ON n.id = d.notification_id
       LEFT JOIN users u ON u.id = n.user_id AND u.deleted_at IS NULL
       LEFT JOIN templates t ON t.name = n.template
       WHERE d.notification_id IN (SELECT value FROM json_each(?1)) AND d.channel IN ('email', 'sms', 'push') AND d.status = 'queued'
         AND (d.locked_until IS NULL OR d.locked_until <= ?2)`,
    )
    .bind(JSON.stringify([...new Set(ids)]), now)
    .all<PendingSend>();
  return results;
}

/**
 * Takes the lease on one delivery until `until` (ms) if it is still `queued`, its lease is free at
 * `now` and quiet hours no longer hold it (`deliver_at`): the primary key row's conditional UPDATE
 * decides between racing senders, and no sender — nor a sweeper's re-enqueue — sends a held one early.
 * @returns the attempts made so far, or null when another sender holds it (or it is done or held).
 */
export async function claimSend(db: D1Database, key: { id: string; channel: SendChannel }, until: number, now: number): Promise<{ attempts: number } | null> {
  return db
    .prepare(
      `UPDATE deliveries SET locked_until = ?3
       WHERE notification_id = ?1 AND channel = ?2 AND status = 'queued' AND (locked_until IS NULL OR locked_until <= ?4)
         AND (deliver_at IS NULL OR deliver_at <= ?4)
       RETURNING attempts`,
    )
    .bind(key.id, key.channel, until, now)
    .first<{ attempts: number }>();
}

/**
 * Extends a lease this sender still holds (its `locked_until` is `held`) to `until`.
 * @returns whether it did (false: the delivery was recorded or taken meanwhile).
 */
export async function renewSendLease(db: D1Database, key: { id: string; channel: SendChannel }, held: number, until: number): Promise<boolean> {
  const result = await db
    .prepare(`UPDATE deliveries SET locked_until = ?4 WHERE notification_id = ?1 AND channel = ?2 AND status = 'queued' AND locked_until = ?3`)
    .bind(key.id, key.channel, held, until)
    .run();
  return result.meta.changes > 0;
}

/** Sets status, attempts and error of `queued` deliveries and releases their lease. */
export function recordSendsStatement(db: D1Database, updates: SendUpdate[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_error = u.v->>'error',
         sent_at = COALESCE(u.v->>'sentAt', sent_at), locked_until = NULL, updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u
       WHERE deliveries.notification_id = u.v->>'id' AND deliveries.channel = u.v->>'channel' AND deliveries.status = 'queued'`,
    )
    .bind(JSON.stringify(updates), now);
}

/** A delivery the user's preferences keep from being sent (docs/api.md#preferences). */
export interface Skip {
  id: string;
  channel: SendChannel | "in_app";
  reason: NonNullable<(typeof deliveries.reason.enumValues)[number]>;
}

/**
 * The statement marking `skips` (a JSON array of {@link Skip}s, under ~90 KB; in-app ones match no row here)
 * `skipped` with their reason, set-based: only deliveries still `queued` whose lease is free at
 * `now` (ms) — one a sender is sending is left to its outcome. Pair it with `countSkipsStatement`
 * (../db/counters), run just before it in the same transaction. In-app skips: `skipInAppStatement`
 * in ./notifications.
 */
export function skipDeliveriesStatement(db: D1Database, skipsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET status = 'skipped', reason = s.v->>'reason', locked_until = NULL, updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS s
       WHERE deliveries.notification_id = s.v->>'id' AND deliveries.channel = s.v->>'channel' AND deliveries.status = 'queued'
         AND (deliveries.locked_until IS NULL OR deliveries.locked_until <= ?2)`,
    )
    .bind(skipsJson, now);
}

/**
 * Holds queued email/SMS/push deliveries until each one's `until` (ms; quiet hours), set-based:
 * `deliver_at` is what `GET /v1/notifications/{id}` shows as `deliverAt` and what `claimSend`
 * waits for. Deliveries a sender holds are left alone.
 */
export async function holdSends(db: D1Database, holds: { id: string; channel: SendChannel; until: number }[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE deliveries SET deliver_at = h.v->>'until', updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS h
       WHERE deliveries.notification_id = h.v->>'id' AND deliveries.channel = h.v->>'channel' AND deliveries.status = 'queued'
         AND (deliveries.locked_until IS NULL OR deliveries.locked_until <= ?2)`,
    )
    .bind(JSON.stringify(holds), now)
    .run();
}

/** Up to 1,000 queued email/SMS/push deliveries whose lease ran out by `now` (a sender died holding it). */
export async function expiredSendLeases(db: D1Database, now: number): Promise<{ notification_id: string; channel: SendChannel }[]> {
  const { results } = await db
    .prepare(
      `SELECT notification_id, channel FROM deliveries
       WHERE status = 'queued' AND channel IN ('email', 'sms', 'push') AND locked_until IS NOT NULL AND locked_until <= ?1 LIMIT 1000`,
    )
    .bind(now)
    .all<{ notification_id: string; channel: SendChannel }>();
  return results;
}

/** Clears the leases of `keys` that are still expired at `now` (a sender that claimed one meanwhile keeps its own). */
export async function releaseExpiredSendLeases(db: D1Database, keys: { notification_id: string; channel: SendChannel }[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE deliveries SET locked_until = NULL
       FROM (SELECT value->>'notification_id' AS nid, value->>'channel' AS ch FROM json_each(?1)) AS k
       WHERE deliveries.notification_id = k.nid AND deliveries.channel = k.ch AND deliveries.status = 'queued' AND deliveries.locked_until <= ?2`,
    )
    .bind(JSON.stringify(keys), now)
    .run();
}

/** Reopens failed sends of the notifications `ids` on `channel` with a fresh attempt budget (a redrive). */
export async function reopenFailedSends(db: D1Database, ids: string[], channel: string | null, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE deliveries SET status = 'queued', attempts = 0, updated_at = ?2
       WHERE notification_id IN (SELECT value FROM json_each(?1)) AND channel = ?3 AND status = 'failed'`,
    )
    .bind(JSON.stringify(ids), now, channel)
    .run();
}
