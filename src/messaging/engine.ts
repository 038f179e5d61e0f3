/**
 * The messaging engine (SPEC §7; seed problem: a messaging module that faked delays with a
 * sleep, never retried and had no dead letters). A published message fans out to every enabled
 * subscription of its topic — one `message_deliveries` row per pair, unique, so a redelivered
 * message fans out once — and each delivery is attempted:
 * - `webhook`: a Standard Webhooks POST, retried with exponential backoff and full jitter up to
 *   the message's `maxAttempts`, honouring `Retry-After`; 410 disables the subscription;
 * - `notify`: a notification for the user at `userIdPointer`, created once per (message,
 *   subscription) through the notification path's idempotency records.
 * Exhausted deliveries become dead letters; the message's status rolls up from its deliveries.
 */
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { pool } from "../lib/pool";
import { backoffSeconds, MAX_QUEUE_DELAY_SECONDS, sendPacked } from "../lib/queue";
import { openSecret } from "../lib/secret-box";
import { ApiError } from "../lib/errors";
import { enqueueDispatch } from "../notifications/dispatch";
import { NotificationInput } from "../notifications/input";
import { createNotificationsOnce, loadTemplates, prepareNotification } from "../notifications/store";
import { sendWebhook, type AttemptOutcome } from "../sync/webhook";
import { resolvePointer } from "./pointer";

/** Queue messages of `herald-messages`: published message ids to fan out, or delivery ids to attempt. */
export type MessagingMessage = { kind: "publish"; ids: string[] } | { kind: "attempt"; ids: string[] };

/** Backoff for subscription retries: base and cap in seconds (SPEC §7: `min(cap, base·2^n)`, full jitter). */
export const RETRY_BASE_SECONDS = 2;
export const RETRY_CAP_SECONDS = 3600;
/** Notify deliveries hold their idempotency key for 30 days: longer than any redelivery. */
const NOTIFY_KEY_TTL_MS = 30 * 86_400_000;
const WEBHOOK_TIMEOUT_MS = 15_000;
const CONCURRENCY = 6;

interface MessageRow {
  id: string;
  topic: string;
  payload: string;
  metadata: string | null;
  status: string;
  max_attempts: number;
  deliver_at: number;
  created_at: number;
}

interface DeliveryRow {
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

/** The webhook body for a topic message: Standard Webhooks' `{type, timestamp, data}`. */
export function messageBody(m: { id: string; topic: string; payload: string; metadata: string | null; created_at: number }): string {
  return JSON.stringify({
    type: m.topic,
    timestamp: new Date(m.created_at).toISOString(),
    data: JSON.parse(m.payload) as unknown,
    metadata: m.metadata === null ? null : (JSON.parse(m.metadata) as unknown),
    messageId: m.id,
  });
}

/** Enqueues messages for fan-out after `delaySeconds` (≤ 12 h; longer waits are the sweeper's). */
export async function enqueuePublish(env: Pick<Bindings, "MESSAGES">, ids: string[], delaySeconds = 0) {
  await sendPacked<string, MessagingMessage>(env.MESSAGES, ids, (chunk) => ({ kind: "publish", ids: chunk }), delaySeconds);
}

/**
 * Fans due messages out to their topic's enabled subscriptions and attempts the deliveries.
 * A message not yet due (it came early) goes back with the remaining delay.
 */
export async function fanOutMessages(env: Bindings, ids: string[], now = Date.now()): Promise<string[]> {
  const { results: rows } = await env.DB.prepare(
    `SELECT id, topic, payload, metadata, status, max_attempts, deliver_at, created_at FROM messages
     WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('pending', 'processing')`,
  )
    .bind(JSON.stringify(ids))
    .all<MessageRow>();
  const early = rows.filter((m) => m.deliver_at > now);
  for (const m of early) await enqueuePublish(env, [m.id], Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((m.deliver_at - now) / 1000)));
  const due = rows.filter((m) => m.deliver_at <= now);
  if (due.length === 0) return [];
  const dueIds = JSON.stringify(due.map((m) => m.id));
  const [, created] = await env.DB.batch<{ id: string }>([
    env.DB.prepare(
      `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT 'mdl_' || m.id || '_' || s.id, m.id, s.id, 'pending', 0, ?2, ?2, ?2
       FROM messages m JOIN topic_subscriptions s ON s.topic = m.topic AND s.enabled = 1
       WHERE m.id IN (SELECT value FROM json_each(?1))
       ON CONFLICT (message_id, subscription_id) DO NOTHING`,
    ).bind(dueIds, now),
    env.DB.prepare(
      `SELECT d.id FROM message_deliveries d WHERE d.message_id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending'`,
    ).bind(dueIds),
    // A message with no subscription completes here; the others are `processing` until their deliveries finish.
    rollUpStatement(env.DB, dueIds, now),
  ]);
  return created!.results.map((r) => r.id);
}

type Outcome = { kind: "ok"; status: number | null; latencyMs: number | null; notificationId: string | null } | (AttemptOutcome & { notificationId?: null });

/** Creates the notification a `notify` subscription makes of a message, once per (message, subscription). */
async function notify(env: Bindings, d: DeliveryRow, now: number): Promise<Outcome> {
  const payload = JSON.parse(d.payload) as unknown;
  const userId = resolvePointer(payload, d.user_id_pointer ?? "/userId");
  const input = NotificationInput.safeParse({
    userId,
    template: d.template,
    data: payload !== null && typeof payload === "object" && !Array.isArray(payload) ? payload : { value: payload },
    channels: JSON.parse(d.channels ?? '["in_app"]') as unknown,
  });
  if (!input.success) {
    const where = typeof userId === "string" ? input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : `no user id at ${d.user_id_pointer}`;
    return { kind: "fail", status: 422, latencyMs: 0, error: `cannot build the notification: ${where}` };
  }
  try {
    const templates = await loadTemplates(env.DB, [d.template ?? ""]);
    const key = `${d.message_id}:${d.subscription_id}`;
    const row = prepareNotification(input.data, templates, { idempotencyKey: key, fingerprint: key, now });
    const created = await createNotificationsOnce(env.DB, "message", [row], NOTIFY_KEY_TTL_MS, now);
    await enqueueDispatch(env, created, now);
    const record = await env.DB.prepare(`SELECT resource_id FROM idempotency_records WHERE scope = 'message' AND key = ?1`).bind(key).first<{ resource_id: string }>();
    return { kind: "ok", status: null, latencyMs: null, notificationId: record?.resource_id ?? row.id };
  } catch (error) {
    if (error instanceof ApiError) return { kind: "fail", status: error.status, latencyMs: 0, error: `${error.code}: ${error.detail}` };
    throw error;
  }
}

/**
 * Attempts pending deliveries once each, records every outcome in one transaction (deliveries,
 * disabled subscriptions, dead letters, message status roll-up) and schedules retries.
 */
export async function attemptMessageDeliveries(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  const { results: deliveries } = await env.DB.prepare(
    `SELECT d.id, d.message_id, d.subscription_id, d.attempts, s.kind, s.url, s.secret, s.template, s.channels, s.user_id_pointer, s.enabled,
            m.topic, m.payload, m.metadata, m.max_attempts, m.created_at
     FROM message_deliveries d JOIN topic_subscriptions s ON s.id = d.subscription_id JOIN messages m ON m.id = d.message_id
     WHERE d.id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending'`,
  )
    .bind(JSON.stringify([...new Set(ids)]))
    .all<DeliveryRow>();
  if (deliveries.length === 0) return;

  const outcomes = await pool(deliveries, CONCURRENCY, async (d): Promise<Outcome> => {
    if (!d.enabled) return { kind: "fail", status: 0, latencyMs: 0, error: "subscription disabled" };
    if (d.kind === "notify") return notify(env, d, now);
    const secret = await openSecret(env, d.secret!);
    return sendWebhook({ url: d.url!, msgId: d.id, payload: messageBody({ id: d.message_id, topic: d.topic, payload: d.payload, metadata: d.metadata, created_at: d.created_at }), secrets: [secret], timeoutMs: WEBHOOK_TIMEOUT_MS });
  });

  const updates: Record<string, unknown>[] = [];
  const disable: string[] = [];
  const dead: { dlId: string; id: string; attempts: number; error: string }[] = [];
  const retries = new Map<number, string[]>();
  deliveries.forEach((d, i) => {
    const o = outcomes[i]!;
    const attempts = d.attempts + 1;
    const base = { id: d.id, attempts, code: o.status, latencyMs: o.latencyMs };
    if (o.kind === "ok") return void updates.push({ ...base, status: "succeeded", error: null, next: null, notificationId: o.notificationId ?? null });
    if (o.kind === "gone") disable.push(d.subscription_id);
    if (o.kind === "retry" && attempts < d.max_attempts) {
      const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(backoffSeconds(attempts, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS), o.retryAfterSeconds ?? 0));
      retries.set(delay, [...(retries.get(delay) ?? []), d.id]);
      return void updates.push({ ...base, status: "pending", error: o.error, next: now + delay * 1000 });
    }
    if (o.kind === "retry") dead.push({ dlId: newId(), id: d.id, attempts, error: o.error });
    updates.push({ ...base, status: o.kind === "retry" ? "dead" : "failed", error: o.kind === "gone" ? `${o.error} (subscription disabled)` : o.error, next: null });
  });

  const messageIds = JSON.stringify([...new Set(deliveries.map((d) => d.message_id))]);
  const statements = [
    env.DB.prepare(
      `UPDATE message_deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_status_code = u.v->>'code', last_error = u.v->>'error',
         latency_ms = u.v->>'latencyMs', next_attempt_at = u.v->>'next', notification_id = COALESCE(u.v->>'notificationId', notification_id), updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u WHERE message_deliveries.id = u.v->>'id'`,
    ).bind(JSON.stringify(updates), now),
    env.DB.prepare(
      `UPDATE topic_subscriptions SET enabled = 0, disabled_reason = 'endpoint answered 410 Gone', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`,
    ).bind(JSON.stringify(disable), now),
    env.DB.prepare(
      `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
       SELECT v->>'dlId', 'message', v->>'id', 'herald-messages', json_object('kind', 'attempt', 'ids', json_array(v->>'id')), v->>'attempts', v->>'error', ?2
       FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(dead), now),
    rollUpStatement(env.DB, messageIds, now),
  ];
  await env.DB.batch(statements);
  await Promise.all([...retries].map(([delay, retryIds]) => sendPacked<string, MessagingMessage>(env.MESSAGES, retryIds, (chunk) => ({ kind: "attempt", ids: chunk }), delay)));
}

/**
 * Message status from its deliveries: any still pending → `processing`; all succeeded (or no
 * subscriptions) → `completed`; otherwise `failed`, with the latest error. `attempts` is the
 * most any delivery has made.
 */
export function rollUpStatement(db: D1Database, messageIdsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET
         status = CASE
           WHEN EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND d.status = 'pending') THEN 'processing'
           WHEN NOT EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND d.status <> 'succeeded') THEN 'completed'
           ELSE 'failed' END,
         attempts = MAX(1, COALESCE((SELECT MAX(d.attempts) FROM message_deliveries d WHERE d.message_id = messages.id), 0)),
         last_error = (SELECT d.last_error FROM message_deliveries d WHERE d.message_id = messages.id AND d.last_error IS NOT NULL ORDER BY d.updated_at DESC LIMIT 1),
         processed_at = CASE WHEN EXISTS (SELECT 1 FROM message_deliveries d WHERE d.message_id = messages.id AND d.status = 'pending') THEN processed_at ELSE ?2 END,
         updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(messageIdsJson, now);
}

/**
 * The messaging sweeper: enqueues messages scheduled past the queue's 12 h cap once they come
 * within range, re-enqueues messages still `pending` a minute after they were due and enqueued
 * (a lost send), and deliveries whose retry is a minute overdue (a lost retry message).
 * @returns how many messages and deliveries were (re-)enqueued.
 */
export async function sweepMessages(env: Pick<Bindings, "DB" | "MESSAGES">, now = Date.now()): Promise<{ messages: number; deliveries: number }> {
  const [due, stalled] = await env.DB.batch<{ id: string; deliver_at: number }>([
    env.DB.prepare(
      `UPDATE messages SET enqueued_at = ?1, updated_at = ?1
       WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND deliver_at <= ?2
                      AND (enqueued_at IS NULL OR (deliver_at <= ?3 AND enqueued_at <= ?3)) LIMIT 1000)
       RETURNING id, deliver_at`,
    ).bind(now, now + MAX_QUEUE_DELAY_SECONDS * 1000, now - 60_000),
    env.DB.prepare(
      `UPDATE message_deliveries SET next_attempt_at = ?1, updated_at = ?1
       WHERE id IN (SELECT id FROM message_deliveries WHERE status = 'pending' AND next_attempt_at <= ?2 LIMIT 1000)
       RETURNING id`,
    ).bind(now, now - 60_000),
  ]);
  const byDelay = new Map<number, string[]>();
  for (const m of due!.results) {
    const delay = Math.max(0, Math.ceil((m.deliver_at - now) / 1000));
    byDelay.set(delay, [...(byDelay.get(delay) ?? []), m.id]);
  }
  await Promise.all([...byDelay].map(([delay, ids]) => enqueuePublish(env, ids, delay)));
  const retryIds = stalled!.results.map((r) => r.id);
  await sendPacked<string, MessagingMessage>(env.MESSAGES, retryIds, (chunk) => ({ kind: "attempt", ids: chunk }));
  return { messages: due!.results.length, deliveries: retryIds.length };
}
