/**
 * Sending notifications on email, SMS and Web Push (SPEC §7): render per channel, resolve the
 * recipient (the user's email or phone from `users`, their push subscriptions), hand the message
 * to the configured provider and record the per-channel delivery status. Provider 429/5xx/
 * network errors retry with backoff and full jitter; other 4xx fail at once; exhausted → the
 * delivery is `failed` and a dead letter keeps the work for a redrive.
 */
import Mustache from "mustache";
import type { Bindings } from "../env";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import { pool } from "../lib/pool";
import { backoffSeconds, MAX_QUEUE_DELAY_SECONDS, sendPacked } from "../lib/queue";
import { renderForChannel, type RenderedMessage } from "../templates/render";
import type { AttemptOutcome } from "../sync/webhook";
import { providerFor, outboxProvider } from "./providers";
import type { ChannelMessage, Provider, SendChannel } from "./provider";

/** Queue message of `herald-channels`: notifications whose email/SMS/push deliveries to attempt. */
export interface ChannelQueueMessage {
  kind: "channel";
  ids: string[];
}

export const SEND_CHANNELS: readonly SendChannel[] = ["email", "sms", "push"];
/** Attempts per channel delivery before it fails and is dead-lettered (SPEC §7: default 8). */
export const CHANNEL_MAX_ATTEMPTS = 8;
const RETRY_BASE_SECONDS = 2;
const RETRY_CAP_SECONDS = 3600;
const CONCURRENCY = 6;
/** How long a sender holds a delivery it claimed, ms: longer than a provider call's 15 s timeout. */
const SEND_LEASE_MS = 60_000;

interface Pending {
  id: string;
  user_id: string;
  template: string | null;
  data: string | null;
  title: string | null;
  body: string | null;
  expires_at: number | null;
  recalled_at: number | null;
  channel: SendChannel;
  attempts: number;
  email: string | null;
  phone: string | null;
  subject_tpl: string | null;
  body_tpl: string | null;
  push_subscriptions: string;
}

/** Enqueues channel sends for notification ids (the dispatch consumer calls it for due rows). */
export async function enqueueChannelSends(env: Pick<Bindings, "CHANNELS">, ids: string[], delaySeconds = 0) {
  await sendPacked<string, ChannelQueueMessage>(env.CHANNELS, ids, (chunk) => ({ kind: "channel", ids: chunk }), delaySeconds);
}

/** Renders one notification for a channel: its template if it has one, else its literal title/body. */
function render(p: Pending): RenderedMessage {
  const data = p.data === null ? {} : (JSON.parse(p.data) as Record<string, unknown>);
  if (p.template !== null) {
    if (p.body_tpl === null) throw new ApiError("validation_failed", `Template \`${p.template}\` no longer exists.`);
    return renderForChannel({ subject: p.subject_tpl, body: p.body_tpl }, data, p.channel);
  }
  const body = p.body ?? p.title ?? "";
  return { subject: p.title, body, html: p.channel === "email" ? `<p>${Mustache.escape(body)}</p>` : null };
}

/** Sends to every push subscription; ok if any took it, retry if any may later, else the first failure. */
async function sendPush(provider: Provider, base: Omit<ChannelMessage, "recipient" | "push">, subscriptions: { endpoint: string; p256dh: string; auth: string; expirationTime: number | null }[]) {
  const outcomes = await Promise.all(subscriptions.map((s) => provider.send({ ...base, recipient: s.endpoint, push: s })));
  const gone = subscriptions.filter((_, i) => outcomes[i]!.kind === "gone").map((s) => s.endpoint);
  const best = outcomes.find((o) => o.kind === "ok") ?? outcomes.find((o) => o.kind === "retry") ?? outcomes[0]!;
  return { outcome: best.kind === "gone" ? ({ ...best, kind: "fail" } as AttemptOutcome) : best, gone };
}

/**
 * Attempts every queued email/SMS/push delivery of the notifications `ids` once and records the
 * outcomes in one transaction; retries go back on the queue with their backoff delay.
 */
export async function sendChannels(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  // Claim first: queues deliver at least once, so two invocations may hold the same ids; only
  // the one whose UPDATE took the lease sends (a sender that dies frees it when the lease ends).
  const { results: claimed } = await env.DB.prepare(
    `UPDATE deliveries SET locked_until = ?2
     WHERE notification_id IN (SELECT value FROM json_each(?1)) AND channel IN ('email', 'sms', 'push') AND status = 'queued'
       AND (locked_until IS NULL OR locked_until <= ?3)
     RETURNING notification_id, channel`,
  )
    .bind(JSON.stringify([...new Set(ids)]), now + SEND_LEASE_MS, now)
    .all<{ notification_id: string; channel: string }>();
  if (claimed.length === 0) return;
  const { results } = await env.DB.prepare(
    `SELECT n.id, n.user_id, n.template, n.data, n.title, n.body, n.expires_at, n.recalled_at, d.channel, d.attempts,
            u.email, u.phone, t.subject AS subject_tpl, t.body AS body_tpl,
            (SELECT json_group_array(json_object('endpoint', p.endpoint, 'p256dh', p.p256dh, 'auth', p.auth, 'expirationTime', p.expiration_time))
             FROM push_subscriptions p WHERE p.user_id = n.user_id) AS push_subscriptions
     FROM (SELECT value->>'notification_id' AS nid, value->>'channel' AS ch FROM json_each(?1)) k
     JOIN deliveries d ON d.notification_id = k.nid AND d.channel = k.ch
     JOIN notifications n ON n.id = d.notification_id
     LEFT JOIN users u ON u.id = n.user_id AND u.deleted_at IS NULL
     LEFT JOIN templates t ON t.name = n.template`,
  )
    .bind(JSON.stringify(claimed))
    .all<Pending>();

  const providers = new Map<SendChannel, Provider>();
  const providerOf = (channel: SendChannel) => {
    if (!providers.has(channel)) {
      try {
        providers.set(channel, providerFor(env, channel));
      } catch (error) {
        // A half-configured real provider must not lose messages: keep them in the outbox.
        console.error(JSON.stringify({ level: "error", msg: "provider not configured, using outbox", channel, error: String(error) }));
        providers.set(channel, outboxProvider(env.DB));
      }
    }
    return providers.get(channel)!;
  };

  const goneEndpoints: string[] = [];
  const outcomes = await pool(results, CONCURRENCY, async (p): Promise<{ status?: "expired" | "recalled"; outcome?: AttemptOutcome }> => {
    if (p.recalled_at !== null) return { status: "recalled" };
    if (p.expires_at !== null && p.expires_at <= now) return { status: "expired" };
    let rendered: RenderedMessage;
    try {
      rendered = render(p);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { outcome: { kind: "fail", status: error.status, latencyMs: 0, error: `${error.code}: ${error.detail}` } };
    }
    const base = { notificationId: p.id, channel: p.channel, subject: rendered.subject, body: rendered.body, html: rendered.html, data: p.data === null ? null : (JSON.parse(p.data) as Record<string, unknown>) };
    const provider = providerOf(p.channel);
    if (p.channel === "push") {
      const subscriptions = JSON.parse(p.push_subscriptions) as { endpoint: string; p256dh: string; auth: string; expirationTime: number | null }[];
      if (subscriptions.length === 0) return { outcome: { kind: "fail", status: 0, latencyMs: 0, error: "the user has no push subscription" } };
      const { outcome, gone } = await sendPush(provider, base, subscriptions);
      goneEndpoints.push(...gone);
      return { outcome };
    }
    // The user profile is the source of truth; a notification made from a message may carry
    // the address in its data instead (the seed's user.registered payload has `email`).
    const fromData = base.data?.[p.channel === "email" ? "email" : "phone"];
    const recipient = (p.channel === "email" ? p.email : p.phone) ?? (typeof fromData === "string" ? fromData : null);
    if (!recipient) return { outcome: { kind: "fail", status: 0, latencyMs: 0, error: `the user has no ${p.channel === "email" ? "email address" : "phone number"} (PUT /v1/users/${p.user_id})` } };
    return { outcome: await provider.send({ ...base, recipient }) };
  });

  const updates: { id: string; channel: string; status: string; attempts: number; error: string | null; sentAt: number | null }[] = [];
  const dead: { dlId: string; id: string; channel: string; attempts: number; error: string }[] = [];
  const retries = new Map<number, string[]>();
  results.forEach((p, i) => {
    const { status, outcome } = outcomes[i]!;
    if (status) return void updates.push({ id: p.id, channel: p.channel, status, attempts: p.attempts, error: null, sentAt: null });
    const o = outcome!;
    const attempts = p.attempts + 1;
    if (o.kind === "ok") return void updates.push({ id: p.id, channel: p.channel, status: "sent", attempts, error: null, sentAt: now });
    if (o.kind === "retry" && attempts < CHANNEL_MAX_ATTEMPTS) {
      const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(backoffSeconds(attempts, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS), o.retryAfterSeconds ?? 0));
      retries.set(delay, [...(retries.get(delay) ?? []), p.id]);
      return void updates.push({ id: p.id, channel: p.channel, status: "queued", attempts, error: o.error, sentAt: null });
    }
    if (o.kind === "retry") dead.push({ dlId: newId(), id: p.id, channel: p.channel, attempts, error: o.error });
    updates.push({ id: p.id, channel: p.channel, status: "failed", attempts, error: o.error, sentAt: null });
  });

  await env.DB.batch([
    env.DB.prepare(
      `UPDATE deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_error = u.v->>'error',
         sent_at = COALESCE(u.v->>'sentAt', sent_at), locked_until = NULL, updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u
       WHERE deliveries.notification_id = u.v->>'id' AND deliveries.channel = u.v->>'channel' AND deliveries.status = 'queued'`,
    ).bind(JSON.stringify(updates), now),
    env.DB.prepare(
      `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
       SELECT v->>'dlId', 'channel', v->>'id' || ':' || (v->>'channel'), 'herald-channels', json_object('kind', 'channel', 'ids', json_array(v->>'id')),
              v->>'attempts', v->>'error', ?2
       FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(dead), now),
    env.DB.prepare(`DELETE FROM push_subscriptions WHERE endpoint IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(goneEndpoints)),
  ]);
  await Promise.all([...retries].map(([delay, retryIds]) => enqueueChannelSends(env, retryIds, delay)));
}

/**
 * Re-enqueues email/SMS/push deliveries whose sender claimed them and never recorded an outcome —
 * it died mid-send, or D1 failed on the write after the provider call — once their lease ran out.
 * Without this, the queue's retry of that batch finds the lease still held, acks, and the
 * delivery stays `queued` for ever (found by test/integration/faults-consumers.test.ts). The
 * resend may repeat a provider call: providers get the same `Idempotency-Key`, the outbox keeps
 * one row per (notification, channel). Reads only `queued` rows (index `deliveries_status`).
 * The lease is cleared after the enqueue, so a failed enqueue leaves the rows for the next run.
 * @returns how many deliveries were re-enqueued (at most 1,000 per run).
 */
export async function sweepExpiredLeases(env: Pick<Bindings, "DB" | "CHANNELS">, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT notification_id, channel FROM deliveries
     WHERE status = 'queued' AND channel IN ('email', 'sms', 'push') AND locked_until IS NOT NULL AND locked_until <= ?1 LIMIT 1000`,
  )
    .bind(now)
    .all<{ notification_id: string; channel: string }>();
  if (results.length === 0) return 0;
  await enqueueChannelSends(env, [...new Set(results.map((r) => r.notification_id))]);
  // Only leases still expired: a sender that claimed one meanwhile keeps its own.
  await env.DB.prepare(
    `UPDATE deliveries SET locked_until = NULL
     FROM (SELECT value->>'notification_id' AS nid, value->>'channel' AS ch FROM json_each(?1)) AS k
     WHERE deliveries.notification_id = k.nid AND deliveries.channel = k.ch AND deliveries.status = 'queued' AND deliveries.locked_until <= ?2`,
  )
    .bind(JSON.stringify(results), now)
    .run();
  return results.length;
}
