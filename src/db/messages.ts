/**
 * The `messages` table (docs/api.md#topics-messages-and-subscriptions): messages published to topics. Status goes pending →
 * processing → completed | failed and rolls up from the message's deliveries.
 */
import { z } from "zod";
import { messages } from "./schema";

export const MessageStatus = z.enum(messages.status.enumValues);

type Message = typeof messages.$inferSelect;

/** A message as the engine and the API read it (times in ms). `payload` and `metadata` are JSON text; callers parse them. */
export type MessageRow = Pick<Message, "id" | "topic" | "payload" | "metadata" | "status" | "attempts" | "maxAttempts" | "lastError" | "deliverAt" | "processedAt" | "createdAt">;

const COLUMNS = `id, topic, payload, metadata, status, attempts, max_attempts AS "maxAttempts", last_error AS "lastError",
  deliver_at AS "deliverAt", processed_at AS "processedAt", created_at AS "createdAt"`;

/** A message {@link markDueMessagesStatement} enqueued: `deliverAt` in ms. */
export type DueMessage = Pick<Message, "id" | "deliverAt">;

/** Inserts a published message as `pending`; `enqueuedAt` null leaves it to the sweeper (a delay past 12 h). */
export function insertMessageStatement(
  db: D1Database,
  m: Required<Pick<typeof messages.$inferInsert, "id" | "topic" | "payload" | "metadata" | "idempotencyKey" | "maxAttempts" | "deliverAt" | "enqueuedAt">>,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO messages (id, topic, payload, metadata, idempotency_key, status, attempts, max_attempts, deliver_at, enqueued_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7, ?8, ?9, ?9)`,
    )
    .bind(m.id, m.topic, m.payload, m.metadata, m.idempotencyKey, m.maxAttempts, m.deliverAt, m.enqueuedAt, now);
}

/** One message as a {@link MessageRow}, or no row. */
export function findMessageStatement(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?1`).bind(id);
}

/** The messages `ids` that are still open (pending or processing). */
export async function openMessages(db: D1Database, ids: string[]): Promise<MessageRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('pending', 'processing')`)
    .bind(JSON.stringify(ids))
    .all<MessageRow>();
  return results;
}

/**
 * Message status from its deliveries: any still pending → `processing`; all succeeded (or no
 * subscriptions) → `completed`; otherwise `failed`, with the latest error. `attempts` is the
 * most any delivery has made. Each subquery reads the message's own deliveries along
 * `message_deliveries_pair` (message_id, …): the unary `+` keeps SQLite from walking
 * `message_deliveries_status` instead, i.e. every pending delivery of every message, once per
 * message rolled up (`EXPLAIN QUERY PLAN`; docs/cost.md#indexes).
 * @param messageIdsJson a JSON array of message ids.
 */
export function rollUpMessagesStatement(db: D1Database, messageIdsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET
         status = CASE
           WHEN EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND +d.status = 'pending') THEN 'processing'
           WHEN NOT EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND d.status <> 'succeeded') THEN 'completed'
           ELSE 'failed' END,
         attempts = MAX(1, COALESCE((SELECT MAX(d.attempts) FROM message_deliveries d WHERE d.message_id = messages.id), 0)),
         last_error = (SELECT d.last_error FROM message_deliveries d WHERE d.message_id = messages.id AND d.last_error IS NOT NULL ORDER BY d.updated_at DESC LIMIT 1),
         processed_at = CASE WHEN EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND +d.status = 'pending') THEN processed_at ELSE ?2 END,
         updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(messageIdsJson, now);
}

/**
 * Marks as enqueued (and returns, as {@link DueMessage}s) up to 1,000 pending messages that are due within the queue's
 * delay cap and were never enqueued, or were enqueued and due more than a minute ago (a lost send).
 * @param horizon due at or before this (ms): now + the queue's 12 h cap.
 * @param stalledBefore enqueued and due at or before this (ms): now − 1 minute.
 */
export function markDueMessagesStatement(db: D1Database, now: number, horizon: number, stalledBefore: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET enqueued_at = ?1, updated_at = ?1
       WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND deliver_at <= ?2
                      AND (enqueued_at IS NULL OR (deliver_at <= ?3 AND enqueued_at <= ?3)) LIMIT 1000)
       RETURNING id, deliver_at AS "deliverAt"`,
    )
    .bind(now, horizon, stalledBefore);
}

/**
 * Retention (docs/data-model.md#retention: topic messages 30 days): deletes at most `limit` messages that finished
 * (`completed` or `failed`) before `before` (ms) and have no deliveries left — run
 * `purgeMessageDeliveries` first, which removes theirs. Pending and processing messages are
 * live work and never purged. Uses the index `messages_finished`.
 * @returns rows deleted.
 */
export async function purgeMessages(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM messages WHERE rowid IN (
         SELECT rowid FROM messages WHERE status IN ('completed', 'failed') AND processed_at < ?1
           AND NOT EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id)
         LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}

/** For `GET /v1/stats`: message counts by status of messages with ids ≥ `sinceId` (a ULID time prefix: a key range, not a scan). */
export function messageCountsStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db.prepare(`SELECT status, COUNT(*) AS n FROM messages WHERE id >= ?1 GROUP BY status`).bind(sinceId);
}
