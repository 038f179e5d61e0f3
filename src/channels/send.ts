/**
 * Sending notifications on email, SMS and Web Push (docs/api.md#templates-and-the-outbox): render per channel, resolve the
 * recipient (the user's email or phone from `users`, their push subscriptions), hand the message
 * to the configured provider and record the per-channel delivery status. What follows an attempt
 * is src/delivery/policy.ts's verdict: provider 429/5xx/network errors retry with backoff and full
 * jitter; other 4xx, a template that cannot be rendered and a missing recipient fail at once;
 * failed and exhausted deliveries are `failed` with a dead letter that keeps the work for a redrive.
 *
 * Queues deliver at least once, so two senders may hold the same ids. Each (notification,
 * channel) is claimed on its own, right before its send, with a lease that a heartbeat renews
 * while the provider call runs, and its outcome is recorded right after: no other sender (nor
 * the lease sweeper) can take an item whose send is still running, however slow the provider.
 */
import { deleteGoneEndpointsStatement } from "../db/push-subscriptions";
import Mustache from "mustache";
import { z } from "zod";
import { countSendsStatement } from "../db/counters";
import { insertDeadLettersStatements } from "../db/dead-letters";
import { claimSend, expiredSendLeases, holdSends, pendingSends, recordSendsStatement, releaseExpiredSendLeases, renewSendLease, type PendingSend, type SendUpdate, type Skip } from "../db/deliveries";
import { DEFAULT_RETRY_POLICY, judgeAttempt, type AttemptOutcome } from "../delivery/policy";
import type { Bindings } from "../env";
import { ApiError } from "../lib/errors";
import { pool } from "../lib/pool";
import { MAX_QUEUE_DELAY_SECONDS, sendPacked } from "../lib/queue";
import { loadJudge, skipStatements } from "../preferences/apply";
import { preferencesUrl, unsubscribeUrl } from "../preferences/links";
import { renderForChannel, type RenderedMessage } from "../templates/render";
import { providerFor, outboxProvider } from "./providers";
import type { ChannelMessage, Provider, SendChannel } from "./provider";

/** Queue message of `herald-channels`: notifications whose email/SMS/push deliveries to attempt. */
export const ChannelQueueMessageSchema = z.object({ kind: z.literal("channel"), ids: z.array(z.string()) });
export type ChannelQueueMessage = z.infer<typeof ChannelQueueMessageSchema>;

export const SEND_CHANNELS: readonly SendChannel[] = ["email", "sms", "push"];
/** Attempts per channel delivery before it fails and is dead-lettered (docs/api.md#retries-and-dead-letters: default 8). */
export const CHANNEL_MAX_ATTEMPTS = DEFAULT_RETRY_POLICY.maxAttempts;
const CONCURRENCY = 6;
/**
 * How long a sender holds a delivery it claimed, ms, unless the var `CHANNEL_LEASE_MS` says
 * otherwise (tests shorten it). Longer than a provider call's 15 s timeout; the heartbeat renews
 * it every third of its length while the call runs, so only a sender that died loses it.
 */
const DEFAULT_LEASE_MS = 60_000;

/** The lease length from the environment (unset or invalid → 60 s; at least 300 ms). */
function leaseMs(env: Bindings): number {
  const raw = Number((env as unknown as { CHANNEL_LEASE_MS?: string }).CHANNEL_LEASE_MS);
  return Number.isFinite(raw) && raw > 0 ? Math.max(300, raw) : DEFAULT_LEASE_MS;
}

type Pending = PendingSend;

type PushTarget = { endpoint: string; p256dh: string; auth: string; expirationTime: number | null };

/** Enqueues channel sends for notification ids (the dispatch consumer calls it for due rows). */
export async function enqueueChannelSends(env: Pick<Bindings, "CHANNELS">, ids: string[], delaySeconds = 0) {
  await sendPacked<string, ChannelQueueMessage>(env.CHANNELS, ids, (chunk) => ({ kind: "channel", ids: chunk }), delaySeconds);
}

/** Renders one notification for a channel: its template if it has one (with the links Herald fills in), else its literal title/body. */
function render(p: Pending, links: Links): RenderedMessage {
  const data = { ...(p.data === null ? {} : (JSON.parse(p.data) as Record<string, unknown>)), ...links };
  if (p.template !== null) {
    if (p.body_tpl === null) throw new ApiError("validation_failed", `Template \`${p.template}\` no longer exists.`);
    return renderForChannel({ subject: p.subject_tpl, body: p.body_tpl }, data, p.channel);
  }
  const body = p.body ?? p.title ?? "";
  return { subject: p.title, body, html: p.channel === "email" ? `<p>${Mustache.escape(body)}</p>` : null };
}

/**
 * Push sends in flight for one delivery (one user's subscriptions, up to 20). Half of a Worker's
 * six simultaneous outbound connections: a user whose push services are slow holds at most
 * these, leaving the rest to the other deliveries of the batch running beside it.
 */
export const PUSH_CONCURRENCY = 3;

/**
 * Sends to one subscription. A provider that throws — a subscription whose keys cannot be used
 * for encryption, a failed outbox write — yields that endpoint's `retry` outcome instead of
 * rejecting, so the throw stays with this user's delivery (retried with backoff, dead-lettered
 * when exhausted) and never fails the batch that carries other users' sends.
 */
async function sendToSubscription(provider: Provider, base: Omit<ChannelMessage, "recipient" | "push">, s: PushTarget): Promise<AttemptOutcome> {
  const started = Date.now();
  try {
    return await provider.send({ ...base, recipient: s.endpoint, push: s });
  } catch (error) {
    const host = URL.canParse(s.endpoint) ? new URL(s.endpoint).host : "an invalid endpoint";
    return { kind: "retry", status: null, latencyMs: Date.now() - started, error: `push to ${host} failed: ${String(error)}`, retryAfterSeconds: null };
  }
}

/**
 * Sends to every push subscription, {@link PUSH_CONCURRENCY} at a time; ok if any took it, retry
 * if any may later, else the first failure.
 */
async function sendPush(provider: Provider, base: Omit<ChannelMessage, "recipient" | "push">, subscriptions: PushTarget[]) {
  const outcomes = await pool(subscriptions, PUSH_CONCURRENCY, (s) => sendToSubscription(provider, base, s));
  const gone = subscriptions.filter((_, i) => outcomes[i]!.kind === "gone").map((s) => s.endpoint);
  const best = outcomes.find((o) => o.kind === "ok") ?? outcomes.find((o) => o.kind === "retry") ?? outcomes[0]!;
  return { outcome: best.kind === "gone" ? ({ ...best, kind: "fail" } as AttemptOutcome) : best, gone };
}

/** The signed links of one delivery (src/preferences/links.ts): its category's unsubscribe (on its channel) and the preference page. */
type Links = { unsubscribeUrl: string; preferencesUrl: string };

/**
 * One attempt at one delivery: sign its links, render, resolve the recipient, call the provider.
 * Every email carries `List-Unsubscribe: <https URL>` and `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click` (RFC 2369, RFC 8058: one-click unsubscribe, required of bulk
 * senders by Gmail and Yahoo since 2024).
 */
async function attempt(env: Bindings, p: Pending, provider: Provider, goneEndpoints: string[]): Promise<AttemptOutcome> {
  let rendered: RenderedMessage;
  let links: Links;
  try {
    links = { unsubscribeUrl: await unsubscribeUrl(env, p.user_id, p.category, p.channel), preferencesUrl: await preferencesUrl(env, p.user_id) };
    rendered = render(p, links);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { kind: "fail", status: error.status, latencyMs: 0, error: `${error.code}: ${error.detail}` };
  }
  const base = {
    notificationId: p.id,
    channel: p.channel,
    subject: rendered.subject,
    body: rendered.body,
    html: rendered.html,
    data: p.data === null ? null : (JSON.parse(p.data) as Record<string, unknown>),
    ...(p.channel === "email" ? { headers: { "List-Unsubscribe": `<${links.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
  };
  if (p.channel === "push") {
    const subscriptions = JSON.parse(p.push_subscriptions) as PushTarget[];
    if (subscriptions.length === 0) return { kind: "fail", status: null, latencyMs: 0, error: "the user has no push subscription" };
    const { outcome, gone } = await sendPush(provider, base, subscriptions);
    goneEndpoints.push(...gone);
    return outcome;
  }
  // The user profile is the source of truth; a notification made from a message may carry
  // the address in its data instead (the seed's user.registered payload has `email`).
  const fromData = base.data?.[p.channel === "email" ? "email" : "phone"];
  const recipient = (p.channel === "email" ? p.email : p.phone) ?? (typeof fromData === "string" ? fromData : null);
  if (!recipient) return { kind: "fail", status: null, latencyMs: 0, error: `the user has no ${p.channel === "email" ? "email address" : "phone number"} (PUT /v1/users/${p.user_id})` };
  return provider.send({ ...base, recipient });
}

/**
 * Runs `work` while renewing the lease every third of its length. A renewal only extends the
 * lease this sender still holds (`locked_until` equals its last value), so it can never take
 * back a delivery another sender took. A failed renewal is logged; the next one tries again.
 */
async function withHeartbeat<T>(db: D1Database, p: Pending, held: number, lease: number, work: () => Promise<T>): Promise<T> {
  let until = held;
  const timer = setInterval(() => {
    const next = Date.now() + lease;
    renewSendLease(db, p, until, next)
      .then((renewed) => {
        if (renewed) until = next;
      })
      .catch((error: unknown) => console.error(JSON.stringify({ level: "error", msg: "lease renewal failed", notificationId: p.id, channel: p.channel, error: String(error) })));
  }, Math.max(100, Math.floor(lease / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Records one delivery's outcome in one transaction: its status and attempts (the lease
 * released) and its counter (docs/api.md#stats-and-metrics), its dead letter, push subscriptions
 * the push service called gone.
 */
async function record(db: D1Database, p: Pending, attempts: number, outcome: AttemptOutcome, goneEndpoints: string[], now: number): Promise<{ retryInSeconds: number } | null> {
  const verdict = judgeAttempt(outcome, attempts, DEFAULT_RETRY_POLICY, now);
  const error = outcome.kind === "ok" ? null : outcome.error;
  const status = verdict.kind === "done" ? "sent" : verdict.kind === "retry" ? "queued" : "failed";
  const dead =
    verdict.kind === "dead" || verdict.kind === "disable_target"
      ? [{ source: "channel" as const, sourceId: `${p.id}:${p.channel}`, queue: "herald-channels", payload: { kind: "channel", ids: [p.id] }, attempts, lastError: verdict.reason }]
      : [];
  const updates: SendUpdate[] = [{ id: p.id, channel: p.channel, status, attempts, error, sentAt: status === "sent" ? now : null }];
  await db.batch([
    countSendsStatement(db, updates),
    recordSendsStatement(db, updates, now),
    ...insertDeadLettersStatements(db, dead, now),
    ...(goneEndpoints.length > 0 ? [deleteGoneEndpointsStatement(db, goneEndpoints)] : []),
  ]);
  return verdict.kind === "retry" ? { retryInSeconds: verdict.delaySeconds } : null;
}

/**
 * Judges the deliveries about to be sent by their users' preferences (one query for all of them):
 * records the skipped (`skipped` + reason) and the held (`deliver_at`, quiet hours), and puts the
 * held — and any that arrive before their hold ends — back on the queue for when it ends, in hops
 * of at most the queue's 12 h delay cap. Recalled and expired deliveries pass through to be
 * recorded as such. Critical notifications are always sent.
 * @returns the deliveries to send now.
 */
async function judgeSends(env: Bindings, pending: Pending[], now: number): Promise<Pending[]> {
  const live = (p: Pending) => p.recalled_at === null && (p.expires_at === null || p.expires_at > now);
  const judge = await loadJudge(env.DB, [...new Set(pending.filter((p) => live(p) && p.critical !== 1).map((p) => p.user_id))]);
  const send: Pending[] = [];
  const skips: Skip[] = [];
  const holds: { id: string; channel: SendChannel; until: number }[] = [];
  const waits = new Map<number, Set<string>>();
  const wait = (id: string, until: number) => {
    const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil((until - now) / 1000)));
    waits.set(delay, (waits.get(delay) ?? new Set()).add(id));
  };
  for (const p of pending) {
    if (!live(p)) {
      send.push(p);
      continue;
    }
    if (p.deliver_at !== null && p.deliver_at > now) {
      wait(p.id, p.deliver_at);
      continue;
    }
    const verdict = judge(p.user_id, { category: p.category, critical: p.critical === 1 }, p.channel, now);
    if (verdict.kind === "skip") skips.push({ id: p.id, channel: p.channel, reason: verdict.reason });
    else if (verdict.kind === "hold") {
      holds.push({ id: p.id, channel: p.channel, until: verdict.until });
      wait(p.id, verdict.until);
    } else send.push(p);
  }
  if (skips.length > 0) await env.DB.batch(skipStatements(env.DB, skips, now));
  if (holds.length > 0) await holdSends(env.DB, holds, now);
  await Promise.all([...waits].map(([delay, waiting]) => enqueueChannelSends(env, [...waiting], delay)));
  return send;
}

/**
 * Attempts every queued email/SMS/push delivery of the notifications `ids` once, as the user's
 * preferences allow ({@link judgeSends}): each is
 * claimed, sent and recorded on its own (see above); retries go back on the queue with their
 * backoff delay. A delivery another sender holds is left to it.
 * @throws when D1 fails a claim or a record: the batch is retried, and a delivery whose send
 *         happened but whose record failed is taken up again when its lease runs out (`sweepExpiredLeases`).
 */
export async function sendChannels(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  const pending = await pendingSends(env.DB, ids, now);
  if (pending.length === 0) return;
  const results = await judgeSends(env, pending, now);

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

  const lease = leaseMs(env);
  const retries = new Map<number, string[]>();
  await pool(results, CONCURRENCY, async (p) => {
    const claimedAt = Date.now();
    const leasedUntil = claimedAt + lease;
    const claimed = await claimSend(env.DB, p, leasedUntil, claimedAt);
    if (!claimed) return;
    if (p.recalled_at !== null || (p.expires_at !== null && p.expires_at <= now)) {
      const status = p.recalled_at !== null ? "recalled" : "expired";
      const updates: SendUpdate[] = [{ id: p.id, channel: p.channel, status, attempts: claimed.attempts, error: null, sentAt: null }];
      await env.DB.batch([countSendsStatement(env.DB, updates), recordSendsStatement(env.DB, updates, now)]);
      return;
    }
    const goneEndpoints: string[] = [];
    const outcome = await withHeartbeat(env.DB, p, leasedUntil, lease, () => attempt(env, p, providerOf(p.channel), goneEndpoints));
    const retry = await record(env.DB, p, claimed.attempts + 1, outcome, goneEndpoints, Date.now());
    if (retry) retries.set(retry.retryInSeconds, [...(retries.get(retry.retryInSeconds) ?? []), p.id]);
  });
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
  const results = await expiredSendLeases(env.DB, now);
  if (results.length === 0) return 0;
  await enqueueChannelSends(env, [...new Set(results.map((r) => r.notification_id))]);
  await releaseExpiredSendLeases(env.DB, results, now);
  return results.length;
}
