/**
 * The `message_deliveries` table (docs/api.md#topics-messages-and-subscriptions): one message's delivery to one subscription, unique
 * per pair so a redelivered message fans out once. Status: pending → succeeded | failed | dead.
 */
import { z } from "zod";
import { messageDeliveries, type messages, type topicSubscriptions } from "./schema";
import { fromStoredSubscription, type StoredSubscription } from "./topic-subscriptions";

export const MessageDeliveryStatus = z.enum(messageDeliveries.status.enumValues);

type MessageDelivery = typeof messageDeliveries.$inferSelect;

/**
 * A pending delivery with what its attempt needs: the subscription and the message (`createdAt`
 * is the message's, in ms). The subscription's `channels` and the message's `payload` and
 * `metadata` stay JSON text; callers parse them.
 */
export type AttemptRow = Pick<MessageDelivery, "id" | "messageId" | "subscriptionId" | "attempts"> &
  Pick<typeof topicSubscriptions.$inferSelect, "kind" | "url" | "secret" | "template" | "channels" | "userIdPointer" | "enabled"> &
  Pick<typeof messages.$inferSelect, "topic" | "payload" | "metadata" | "maxAttempts" | "createdAt">;

/** A delivery as `GET /v1/messages/{id}` shows it (`nextAttemptAt` in ms). */
export type MessageDeliveryRow = Pick<MessageDelivery, "subscriptionId" | "status" | "attempts" | "lastStatusCode" | "lastError" | "latencyMs" | "notificationId" | "nextAttemptAt">;

/** The outcome of one attempt to record; `notificationId`, when absent or null, keeps the stored one. */
export type AttemptUpdate = Pick<MessageDelivery, "id" | "status" | "attempts" | "lastStatusCode" | "lastError" | "latencyMs" | "nextAttemptAt"> &
  Partial<Pick<MessageDelivery, "notificationId">>;

/**
 * Creates one pending delivery per (message, enabled subscription of its topic), idempotent on the pair.
 * @param messageIdsJson a JSON array of message ids.
 */
export function fanOutStatement(db: D1Database, messageIdsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT 'mdl_' || m.id || '_' || s.id, m.id, s.id, 'pending', 0, ?2, ?2, ?2
       FROM messages m JOIN topic_subscriptions s ON s.topic = m.topic AND s.enabled = 1
       WHERE m.id IN (SELECT value FROM json_each(?1))
       ON CONFLICT (message_id, subscription_id) DO NOTHING`,
    )
    .bind(messageIdsJson, now);
}

/** Ids of the pending deliveries of the messages in `messageIdsJson`. */
export function pendingDeliveryIdsStatement(db: D1Database, messageIdsJson: string): D1PreparedStatement {
  // `+d.status`: along the messages' own deliveries (`message_deliveries_pair`), not every pending one.
  return db.prepare(`SELECT d.id FROM message_deliveries d WHERE d.message_id IN (SELECT value FROM json_each(?1)) AND +d.status = 'pending'`).bind(messageIdsJson);
}

/** The deliveries `ids` still pending, with their subscription and message (by primary key: `+d.status` keeps SQLite off `message_deliveries_status`). */
export async function pendingAttempts(db: D1Database, ids: string[]): Promise<AttemptRow[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.message_id AS "messageId", d.subscription_id AS "subscriptionId", d.attempts,
              s.kind, s.url, s.secret, s.template, s.channels, s.user_id_pointer AS "userIdPointer", s.enabled,
              m.topic, m.payload, m.metadata, m.max_attempts AS "maxAttempts", m.created_at AS "createdAt"
       FROM message_deliveries d JOIN topic_subscriptions s ON s.id = d.subscription_id JOIN messages m ON m.id = d.message_id
       WHERE d.id IN (SELECT value FROM json_each(?1)) AND +d.status = 'pending'`,
    )
    .bind(JSON.stringify([...new Set(ids)]))
    .all<StoredSubscription<AttemptRow>>();
  return results.map((r) => fromStoredSubscription<AttemptRow>(r));
}

/** Records attempts' outcomes, set-based. */
export function recordAttemptsStatement(db: D1Database, updates: AttemptUpdate[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE message_deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_status_code = u.v->>'lastStatusCode', last_error = u.v->>'lastError',
         latency_ms = u.v->>'latencyMs', next_attempt_at = u.v->>'nextAttemptAt', notification_id = COALESCE(u.v->>'notificationId', notification_id), updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u WHERE message_deliveries.id = u.v->>'id'`,
    )
    .bind(JSON.stringify(updates), now);
}

/** A message's deliveries as {@link MessageDeliveryRow}s, in id order. */
export function messageDeliveriesStatement(db: D1Database, messageId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT subscription_id AS "subscriptionId", status, attempts, last_status_code AS "lastStatusCode", last_error AS "lastError",
         latency_ms AS "latencyMs", notification_id AS "notificationId", next_attempt_at AS "nextAttemptAt"
       FROM message_deliveries WHERE message_id = ?1 ORDER BY id`,
    )
    .bind(messageId);
}

/** Bumps (and returns) up to 1,000 pending deliveries whose retry is overdue since `stalledBefore` (ms). */
export function markStalledDeliveriesStatement(db: D1Database, now: number, stalledBefore: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE message_deliveries SET next_attempt_at = ?1, updated_at = ?1
       WHERE id IN (SELECT id FROM message_deliveries WHERE status = 'pending' AND next_attempt_at <= ?2 LIMIT 1000)
       RETURNING id`,
    )
    .bind(now, stalledBefore);
}

/** Reopens dead or failed deliveries `ids` with a fresh attempt budget (a redrive). */
export async function reopenMessageDeliveries(db: D1Database, ids: string[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE message_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('dead', 'failed')`,
    )
    .bind(JSON.stringify(ids), now)
    .run();
}

/**
 * Retention (docs/data-model.md#retention: topic messages and their deliveries 30 days): deletes at most `limit`
 * deliveries of messages that finished (`completed` or `failed`) before `before` (ms). A delivery
 * still `pending` (a redrive reopened it) is live work and kept, and so is one a waiting dead letter
 * names (its redrive must find it). Reads the finished messages
 * through the index `messages_finished`, their deliveries through `message_deliveries_pair`.
 * @returns rows deleted.
 */
export async function purgeMessageDeliveries(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM message_deliveries WHERE rowid IN (
         SELECT d.rowid FROM messages m JOIN message_deliveries d ON d.message_id = m.id
         WHERE m.status IN ('completed', 'failed') AND m.processed_at < ?1 AND d.status <> 'pending'
           AND NOT EXISTS (SELECT 1 FROM dead_letters dl WHERE dl.source = 'message' AND dl.source_id = d.id)
         LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
