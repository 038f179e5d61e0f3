/**
 * The providers: `outbox` (default), a Resend-compatible email API, a Twilio-compatible SMS API,
 * and Web Push with VAPID (RFC 8291 encryption, RFC 8292 auth) via @block65/webcrypto-web-push.
 */
import { buildPushPayload } from "@block65/webcrypto-web-push";
import { insertOutboxItem } from "../db/outbox";
import type { Bindings } from "../env";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import { outboundUrlOptions, outboundUrlRefusal } from "../lib/url-policy";
import type { AttemptOutcome } from "../delivery/policy";
import { classify, providerEnv, type ChannelMessage, type Provider, type SendChannel } from "./provider";

/** Provider HTTP calls give up after this long, ms (a retry follows). */
const TIMEOUT_MS = 15_000;

/** Runs one provider HTTP call, turning timeouts and network errors into `retry`. */
async function call(url: string, init: RequestInit): Promise<AttemptOutcome> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    return await classify(res, Date.now() - started);
  } catch (error) {
    return { kind: "retry", status: null, latencyMs: Date.now() - started, error: `network error: ${String(error)}`, retryAfterSeconds: null };
  }
}

/** Stores the rendered message in D1 `outbox` (listed by `GET /v1/outbox`), once per (notification, channel). */
export function outboxProvider(db: D1Database): Provider {
  return {
    name: "outbox",
    async send(m: ChannelMessage) {
      await insertOutboxItem(db, { id: `obx_${newId()}`, notificationId: m.notificationId, channel: m.channel, recipient: m.recipient, subject: m.subject, body: m.body, html: m.html, headers: m.headers ?? null, createdAt: Date.now() });
      return { kind: "ok", status: 200, latencyMs: 0 };
    },
  };
}

/** Resend-compatible: `POST {RESEND_API_URL}` with `{from, to, subject, html, text}` and a bearer key. */
function resendProvider(url: string, apiKey: string, from: string): Provider {
  return {
    name: "resend",
    send: (m) =>
      call(url, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `${m.notificationId}:email` },
        // Resend's `headers` carries the unsubscribe headers (RFC 2369, RFC 8058) onto the email.
        body: JSON.stringify({ from, to: [m.recipient], subject: m.subject ?? "", html: m.html ?? undefined, text: m.body, headers: m.headers }),
      }),
  };
}

/** Twilio-compatible: `POST {TWILIO_API_URL}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, basic auth. */
function twilioProvider(base: string, sid: string, token: string, from: string): Provider {
  return {
    name: "twilio",
    send: (m) =>
      call(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${sid}:${token}`)}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ To: m.recipient, From: from, Body: m.subject ? `${m.subject}\n${m.body}` : m.body }).toString(),
      }),
  };
}

/** Web Push to a browser subscription; 404/410 from the push service mean the subscription is gone. */
function webPushProvider(vapid: { subject: string; publicKey: string; privateKey: string }): Provider {
  return {
    name: "webpush",
    async send(m) {
      const payload = await buildPushPayload(
        { data: JSON.stringify({ title: m.subject, body: m.body, data: m.data, notificationId: m.notificationId }), options: { ttl: 86_400, urgency: "normal" } },
        { endpoint: m.recipient, expirationTime: m.push?.expirationTime ?? null, keys: { p256dh: m.push!.p256dh, auth: m.push!.auth } },
        vapid,
      );
      const outcome = await call(m.recipient, payload);
      if (outcome.kind === "fail" && (outcome.status === 404 || outcome.status === 410)) return { kind: "gone", status: 410, latencyMs: outcome.latencyMs, error: outcome.error };
      return outcome;
    },
  };
}

/**
 * The configured provider for a channel.
 * @throws ApiError `not_configured` when a real provider is selected but its settings are missing,
 *         or its API URL is not https while `ALLOW_HTTP_WEBHOOKS` is not "true".
 */
export function providerFor(env: Bindings, channel: SendChannel): Provider {
  const p = providerEnv(env);
  const missing = (what: string) => new ApiError("not_configured", `${channel} provider: missing ${what}.`);
  // Provider credentials travel in these requests: https only, unless development allows http
  // (issue 9; the same switch as webhook URLs).
  const secure = (name: string, url: string) => {
    const refusal = outboundUrlRefusal(url, outboundUrlOptions(env));
    if (refusal) throw new ApiError("not_configured", `${channel} provider: ${name} is refused. ${refusal}`);
    return url;
  };
  if (channel === "email" && p.EMAIL_PROVIDER === "resend") {
    if (!p.RESEND_API_KEY || !p.EMAIL_FROM) throw missing("RESEND_API_KEY or EMAIL_FROM");
    return resendProvider(secure("RESEND_API_URL", p.RESEND_API_URL ?? "https://api.resend.com/emails"), p.RESEND_API_KEY, p.EMAIL_FROM);
  }
  if (channel === "sms" && p.SMS_PROVIDER === "twilio") {
    if (!p.TWILIO_ACCOUNT_SID || !p.TWILIO_AUTH_TOKEN || !p.SMS_FROM) throw missing("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or SMS_FROM");
    return twilioProvider(secure("TWILIO_API_URL", p.TWILIO_API_URL ?? "https://api.twilio.com"), p.TWILIO_ACCOUNT_SID, p.TWILIO_AUTH_TOKEN, p.SMS_FROM);
  }
  if (channel === "push" && p.PUSH_PROVIDER === "webpush") {
    if (!p.VAPID_SUBJECT || !p.VAPID_PUBLIC_KEY || !p.VAPID_PRIVATE_KEY) throw missing("VAPID_SUBJECT, VAPID_PUBLIC_KEY or VAPID_PRIVATE_KEY");
    return webPushProvider({ subject: p.VAPID_SUBJECT, publicKey: p.VAPID_PUBLIC_KEY, privateKey: p.VAPID_PRIVATE_KEY });
  }
  return outboxProvider(env.DB);
}
