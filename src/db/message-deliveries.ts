/**
 * The `message_deliveries` table (docs/api.md#topics-messages-and-subscriptions): one message's delivery to one subscription, unique
 * per pair so a redelivered message fans out once. Status: pending → succeeded | failed | dead.
 */
import { z } from "zod";
import { messageDeliveries } from "./schema";

export const MessageDeliveryStatus = z.enum(messageDeliveries.status.enumValues);

/** A pending delivery with what its attempt needs: the subscription and the message. */
export interface AttemptRow {
  id: string;
  message_id: string;
  subscription_id: string;
  attempts: number;
  kind: "webhook" | "notify";
  url: string | null;
  secret: string | null;
  template: string | null;
  channels: string | null;
  user_id_pointer: string | null;
  enabled: number;
  topic: string;
  payload: string;
  metadata: string | null;
  max_attempts: number;
  created_at: number;
}

/** A delivery as `GET /v1/messages/{id}` shows it. */
export interface MessageDeliveryRow {
  subscription_id: string;
  status: z.infer<typeof MessageDeliveryStatus>;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  latency_ms: number | null;
  notification_id: string | null;
  next_attempt_at: number | null;
}

/** The outcome of one attempt to record. */
export interface AttemptUpdate {
  id: string;
  status: z.infer<typeof MessageDeliveryStatus>;
  attempts: number;
  code: number | null;
  error: string | null;
  latencyMs: number | null;
  next: number | null;
  notificationId?: string | null;
}

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
  return db.prepare(`SELECT d.id FROM message_deliveries d WHERE d.message_id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending'`).bind(messageIdsJson);
}

/** The deliveries `ids` still pending, with their subscription and message. */
export async function pendingAttempts(db: D1Database, ids: string[]): Promise<AttemptRow[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.message_id, d.subscription_id, d.attempts, s.kind, s.url, s.secret, s.template, s.channels, s.user_id_pointer, s.enabled,
              m.topic, m.payload, m.metadata, m.max_attempts, m.created_at
       FROM message_deliveries d JOIN topic_subscriptions s ON s.id = d.subscription_id JOIN messages m ON m.id = d.message_id
       WHERE d.id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending'`,
    )
    .bind(JSON.stringify([...new Set(ids)]))
    .all<AttemptRow>();
  return results;
}

/** Records attempts' outcomes, set-based. */
export function recordAttemptsStatement(db: D1Database, updates: AttemptUpdate[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE message_deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_status_code = u.v->>'code', last_error = u.v->>'error',
         latency_ms = u.v->>'latencyMs', next_attempt_at = u.v->>'next', notification_id = COALESCE(u.v->>'notificationId', notification_id), updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u WHERE message_deliveries.id = u.v->>'id'`,
    )
    .bind(JSON.stringify(updates), now);
}

/** A message's deliveries, in id order. */
export function messageDeliveriesStatement(db: D1Database, messageId: string): D1PreparedStatement {
  return db.prepare(`SELECT * FROM message_deliveries WHERE message_id = ?1 ORDER BY id`).bind(messageId);
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
