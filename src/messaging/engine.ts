/**
 * The messaging engine (docs/api.md#topics-messages-and-subscriptions; seed problem: a messaging module that faked delays with a
 * sleep, never retried and had no dead letters). A published message fans out to every enabled
 * subscription of its topic — one `message_deliveries` row per pair, unique, so a redelivered
 * message fans out once — and each delivery is attempted:
 * - `webhook`: a Standard Webhooks POST, retried with exponential backoff and full jitter up to
 *   the message's `maxAttempts`, honouring `Retry-After`; 410 disables the subscription;
 * - `notify`: a notification for the user at `userIdPointer`, created once per (message,
 *   subscription) through the notification path's idempotency records.
 * What follows each attempt is src/delivery/policy.ts's verdict: exhausted and non-retryable
 * deliveries (a 4xx, bad template data, a missing template variable, a disabled subscription, a
 * secret that cannot be opened) become dead letters naming the reason, to redrive once it is
 * fixed. The message's status rolls up from its deliveries.
 */
import { readKeyRecord } from "../db/idempotency-records";
import { z } from "zod";
import type { Bindings } from "../env";
import { pool } from "../lib/pool";
import { MAX_QUEUE_DELAY_SECONDS, sendPacked } from "../lib/queue";
import { openSecret } from "../lib/secret-box";
import { ApiError } from "../lib/errors";
import { enqueueDispatch } from "../notifications/dispatch";
import { NotificationInput } from "../notifications/input";
import { createNotificationsOnce, loadTemplates, prepareNotification } from "../notifications/store";
import { countFinishedWebhookDeliveriesStatement, observeWebhookDurationsStatement } from "../db/counters";
import { insertDeadLettersStatements, type NewDeadLetter } from "../db/dead-letters";
import { fanOutStatement, markStalledDeliveriesStatement, pendingAttempts, pendingDeliveryIdsStatement, recordAttemptsStatement, type AttemptRow, type AttemptUpdate } from "../db/message-deliveries";
import { markDueMessagesStatement, openMessages, rollUpMessagesStatement, type DueMessage, type MessageRow } from "../db/messages";
import { disableGoneSubscriptionsStatement } from "../db/topic-subscriptions";
import { DEFAULT_RETRY_POLICY, judgeAttempt, type AttemptOutcome } from "../delivery/policy";
import { sendWebhook } from "../delivery/webhook";
import { resolvePointer } from "./pointer";

/** Queue messages of `herald-messages`: published message ids to fan out, or delivery ids to attempt. */
export const MessagingMessageSchema = z.object({ kind: z.enum(["publish", "attempt"]), ids: z.array(z.string()) });
export type MessagingMessage = z.infer<typeof MessagingMessageSchema>;

/** Notify deliveries hold their idempotency key for 30 days: longer than any redelivery. */
const NOTIFY_KEY_TTL_MS = 30 * 86_400_000;
const WEBHOOK_TIMEOUT_MS = 15_000;
const CONCURRENCY = 6;

/** The webhook body for a topic message: Standard Webhooks' `{type, timestamp, data}`. */
export function messageBody(m: Pick<MessageRow, "id" | "topic" | "payload" | "metadata" | "createdAt">): string {
  return JSON.stringify({
    type: m.topic,
    timestamp: new Date(m.createdAt).toISOString(),
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
  const rows = await openMessages(env.DB, ids);
  const early = rows.filter((m) => m.deliverAt > now);
  for (const m of early) await enqueuePublish(env, [m.id], Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((m.deliverAt - now) / 1000)));
  const due = rows.filter((m) => m.deliverAt <= now);
  if (due.length === 0) return [];
  const dueIds = JSON.stringify(due.map((m) => m.id));
  const [, created] = await env.DB.batch<{ id: string }>([
    fanOutStatement(env.DB, dueIds, now),
    pendingDeliveryIdsStatement(env.DB, dueIds),
    // A message with no subscription completes here; the others are `processing` until their deliveries finish.
    rollUpMessagesStatement(env.DB, dueIds, now),
  ]);
  return created!.results.map((r) => r.id);
}

type Outcome = AttemptOutcome & { notificationId?: string | null };

/** Creates the notification a `notify` subscription makes of a message, once per (message, subscription). */
async function notify(env: Bindings, d: AttemptRow, now: number): Promise<Outcome> {
  const payload = JSON.parse(d.payload) as unknown;
  const userId = resolvePointer(payload, d.userIdPointer ?? "/userId");
  const input = NotificationInput.safeParse({
    userId,
    template: d.template,
    data: payload !== null && typeof payload === "object" && !Array.isArray(payload) ? payload : { value: payload },
    channels: JSON.parse(d.channels ?? '["in_app"]') as unknown,
  });
  if (!input.success) {
    const where = typeof userId === "string" ? input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : `no user id at ${d.userIdPointer}`;
    return { kind: "fail", status: 422, latencyMs: 0, error: `cannot build the notification: ${where}` };
  }
  try {
    const templates = await loadTemplates(env.DB, [d.template ?? ""]);
    const key = `${d.messageId}:${d.subscriptionId}`;
    const row = prepareNotification(input.data, templates, { idempotencyKey: key, fingerprint: key, now });
    const created = await createNotificationsOnce(env.DB, "message", [row], NOTIFY_KEY_TTL_MS, now);
    await enqueueDispatch(env, created, now);
    const record = await readKeyRecord(env.DB, "message", key, now);
    return { kind: "ok", status: null, latencyMs: null, notificationId: record?.resourceId ?? row.id };
  } catch (error) {
    if (error instanceof ApiError) return { kind: "fail", status: error.status, latencyMs: 0, error: `${error.code}: ${error.detail}` };
    throw error;
  }
}

/**
 * Attempts pending deliveries once each, records every outcome in one transaction (deliveries,
 * their counters and webhook durations, disabled subscriptions, dead letters, message status
 * roll-up) and schedules retries.
 */
export async function attemptMessageDeliveries(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  const deliveries = await pendingAttempts(env.DB, ids);
  if (deliveries.length === 0) return;

  // Answer times of the webhook attempts made, for `webhook_duration_seconds` (docs/api.md#stats-and-metrics).
  const webhookLatenciesMs: (number | null)[] = [];
  const outcomes = await pool(deliveries, CONCURRENCY, async (d): Promise<Outcome> => {
    if (!d.enabled) return { kind: "fail", status: null, latencyMs: 0, error: "subscription disabled" };
    if (d.kind === "notify") return notify(env, d, now);
    let secret: string;
    try {
      secret = await openSecret(env, d.secret!);
    } catch (error) {
      // Only this delivery fails (a dead letter to redrive once the subscription is recreated).
      return { kind: "fail", status: null, latencyMs: 0, error: `cannot open the subscription's stored secret: ${String(error)}` };
    }
    const outcome = await sendWebhook({ url: d.url!, msgId: d.id, payload: messageBody({ id: d.messageId, topic: d.topic, payload: d.payload, metadata: d.metadata, createdAt: d.createdAt }), secrets: [secret], timeoutMs: WEBHOOK_TIMEOUT_MS });
    webhookLatenciesMs.push(outcome.latencyMs);
    return outcome;
  });

  const updates: AttemptUpdate[] = [];
  const disable: string[] = [];
  const dead: NewDeadLetter[] = [];
  const retries = new Map<number, string[]>();
  deliveries.forEach((d, i) => {
    const o = outcomes[i]!;
    const attempts = d.attempts + 1;
    const base = { id: d.id, attempts, lastStatusCode: o.status, latencyMs: o.latencyMs };
    const verdict = judgeAttempt(o, attempts, { ...DEFAULT_RETRY_POLICY, maxAttempts: d.maxAttempts }, now);
    if (verdict.kind === "done") return void updates.push({ ...base, status: "succeeded", lastError: null, nextAttemptAt: null, notificationId: o.notificationId ?? null });
    if (verdict.kind === "retry") {
      retries.set(verdict.delaySeconds, [...(retries.get(verdict.delaySeconds) ?? []), d.id]);
      return void updates.push({ ...base, status: "pending", lastError: o.kind === "ok" ? null : o.error, nextAttemptAt: verdict.at });
    }
    if (verdict.kind === "disable_target") disable.push(d.subscriptionId);
    const reason = verdict.kind === "disable_target" ? `${verdict.reason} (subscription disabled)` : verdict.reason;
    dead.push({ source: "message", sourceId: d.id, queue: "herald-messages", payload: { kind: "attempt", ids: [d.id] }, attempts, lastError: reason });
    updates.push({ ...base, status: verdict.kind === "dead" && verdict.exhausted ? "dead" : "failed", lastError: reason, nextAttemptAt: null });
  });

  const messageIds = JSON.stringify([...new Set(deliveries.map((d) => d.messageId))]);
  const statements = [
    countFinishedWebhookDeliveriesStatement(env.DB, "topic", updates),
    observeWebhookDurationsStatement(env.DB, "topic", webhookLatenciesMs),
    recordAttemptsStatement(env.DB, updates, now),
    disableGoneSubscriptionsStatement(env.DB, disable, now),
    ...insertDeadLettersStatements(env.DB, dead, now),
    rollUpMessagesStatement(env.DB, messageIds, now),
  ];
  await env.DB.batch(statements);
  await Promise.all([...retries].map(([delay, retryIds]) => sendPacked<string, MessagingMessage>(env.MESSAGES, retryIds, (chunk) => ({ kind: "attempt", ids: chunk }), delay)));
}

/**
 * The messaging sweeper: enqueues messages scheduled past the queue's 12 h cap once they come
 * within range, re-enqueues messages still `pending` a minute after they were due and enqueued
 * (a lost send), and deliveries whose retry is a minute overdue (a lost retry message).
 * @returns how many messages and deliveries were (re-)enqueued.
 */
export async function sweepMessages(env: Pick<Bindings, "DB" | "MESSAGES">, now = Date.now()): Promise<{ messages: number; deliveries: number }> {
  const [due, stalled] = (await env.DB.batch([
    markDueMessagesStatement(env.DB, now, now + MAX_QUEUE_DELAY_SECONDS * 1000, now - 60_000),
    markStalledDeliveriesStatement(env.DB, now, now - 60_000),
  ])) as [D1Result<DueMessage>, D1Result<{ id: string }>];
  const byDelay = new Map<number, string[]>();
  for (const m of due.results) {
    const delay = Math.max(0, Math.ceil((m.deliverAt - now) / 1000));
    byDelay.set(delay, [...(byDelay.get(delay) ?? []), m.id]);
  }
  await Promise.all([...byDelay].map(([delay, ids]) => enqueuePublish(env, ids, delay)));
  const retryIds = stalled.results.map((r) => r.id);
  await sendPacked<string, MessagingMessage>(env.MESSAGES, retryIds, (chunk) => ({ kind: "attempt", ids: chunk }));
  return { messages: due.results.length, deliveries: retryIds.length };
}
