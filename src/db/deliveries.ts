/**
 * The one module that owns the SQL of D1 `deliveries`: one row per (notification, channel).
 *
 * ## In-app and notification side
 * Rows are created `queued` with their notification, moved forward by the dispatch consumer
 * (`sent`, `expired`, `recalled`) and then only by the receipts queue mirroring the user's inbox
 * (SPEC §1: the inbox is the source of truth). They are purged with their notification
 * (`purgeNotifications` in ./notifications).
 */
import { z } from "zod";
import { deliveries } from "./schema";

/** Every delivery status (SPEC §5), from the schema. */
export const DeliveryStatus = z.enum(deliveries.status.enumValues);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One state change of one notification's in-app delivery: its id and when it happened (ms). */
export type Receipt = [id: string, at: number];

/**
 * Rank of each delivery status: a mirror update applies only when it moves a delivery forward,
 * so receipts arriving out of order or twice (queues are at-least-once, unordered) never
 * regress a status. `recalled` wins over everything.
 */
const STATUS_RANK_SQL = `CASE %s WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'expired' THEN 3
  WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 WHEN 'recalled' THEN 6 ELSE -1 END`;
const rank = (expr: string) => STATUS_RANK_SQL.replace("%s", expr);

/**
 * The statement inserting one `queued` delivery per channel of each notification in `json` (a
 * JSON array of rows with `id`, `createdAt`, `channels`) that exists in `notifications` — so it
 * follows the notifications' conditional insert in the same transaction and adds deliveries only
 * to the rows that insert created (or created before: `ON CONFLICT DO NOTHING`).
 */
export function insertQueuedDeliveriesStatement(db: D1Database, json: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at)
       SELECT n.value->>'id', c.value, 'queued', 0, n.value->>'createdAt'
       FROM json_each(?1) AS n, json_each(n.value->'channels') AS c
       WHERE EXISTS (SELECT 1 FROM notifications x WHERE x.id = n.value->>'id')
       ON CONFLICT (notification_id, channel) DO NOTHING`,
    )
    .bind(json);
}

/**
 * The statement moving the in-app deliveries of `receipts` to `status`, each at its own time
 * (ms), monotonic by rank. `sent`/`delivered`/`read` also fill their timestamps (read implies
 * delivered). An id given twice takes its earliest time. Keep `receipts` under ~90 KB of JSON.
 */
export function advanceDeliveriesStatement(db: D1Database, status: DeliveryStatus, receipts: readonly Receipt[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET
         status = ?1,
         updated_at = r.at,
         sent_at = COALESCE(sent_at, CASE WHEN ?1 IN ('sent', 'delivered', 'read') THEN r.at END),
         delivered_at = COALESCE(delivered_at, CASE WHEN ?1 IN ('delivered', 'read') THEN r.at END),
         read_at = COALESCE(read_at, CASE WHEN ?1 = 'read' THEN r.at END),
         attempts = CASE WHEN ?1 = 'sent' THEN attempts + 1 ELSE attempts END
       FROM (SELECT value->>0 AS id, MIN(value->>1) AS at FROM json_each(?2) GROUP BY value->>0) AS r
       WHERE deliveries.notification_id = r.id AND deliveries.channel = 'in_app'
         AND ${rank("?1")} > ${rank("deliveries.status")}`,
    )
    .bind(status, JSON.stringify(receipts));
}

/** For `GET /v1/stats`: delivery counts by (channel, status) of notifications with ids ≥ `sinceId` (a ULID time prefix). */
export function deliveryCountsStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db.prepare(`SELECT channel, status, COUNT(*) AS n FROM deliveries WHERE notification_id >= ?1 GROUP BY channel, status`).bind(sinceId);
}

/** For `GET /v1/stats`: the latest 1,000 in-app deliveries sent, as `{id, at}` (`at` = `sent_at`, ms), ids ≥ `sinceId`. */
export function inAppSentStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT notification_id AS id, sent_at AS at FROM deliveries
       WHERE notification_id >= ?1 AND channel = 'in_app' AND sent_at IS NOT NULL ORDER BY notification_id DESC LIMIT 1000`,
    )
    .bind(sinceId);
}
