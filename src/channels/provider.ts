/**
 * The one small interface every email/SMS/push provider implements (SPEC §7), and the choice
 * of provider by configuration. The default everywhere is `outbox`, which stores the rendered
 * message in D1 so the whole flow works locally with no account anywhere.
 */
import type { Bindings } from "../env";
import { readCapped, type AttemptOutcome } from "../sync/webhook";

export type SendChannel = "email" | "sms" | "push";

/** A rendered message for one recipient on one channel. */
export interface ChannelMessage {
  notificationId: string;
  channel: SendChannel;
  /** Email address, E.164 phone number, or the push subscription endpoint. */
  recipient: string;
  subject: string | null;
  /** Plain text. */
  body: string;
  /** Email only: the HTML body. */
  html: string | null;
  data: Record<string, unknown> | null;
  /** Push only: the browser subscription's keys. */
  push?: { p256dh: string; auth: string; expirationTime: number | null };
}

/**
 * Sends one message. Outcomes follow the retry policy of SPEC §7: `ok`; `retry` for 429, 5xx,
 * timeouts and network errors (with `Retry-After` when given); `fail` for other 4xx; `gone`
 * when the recipient no longer exists (a 404/410 push subscription).
 */
export interface Provider {
  readonly name: string;
  send(message: ChannelMessage): Promise<AttemptOutcome>;
}

/** Provider configuration (vars and secrets); unset means `outbox`. */
export interface ProviderEnv {
  EMAIL_PROVIDER?: string;
  EMAIL_FROM?: string;
  RESEND_API_KEY?: string;
  RESEND_API_URL?: string;
  SMS_PROVIDER?: string;
  SMS_FROM?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_API_URL?: string;
  PUSH_PROVIDER?: string;
  VAPID_SUBJECT?: string;
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
}

export const providerEnv = (env: Bindings) => env as unknown as ProviderEnv;

/**
 * Classifies an HTTP answer from a provider API (shared by the HTTP providers). An error body is
 * read only up to a few KiB (a provider, or whatever answers at its URL, may send any amount).
 */
export async function classify(res: Response, latencyMs: number, parseRetryAfter: (v: string | null) => number | null): Promise<AttemptOutcome> {
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel();
    return { kind: "ok", status: res.status, latencyMs };
  }
  const text = (await readCapped(res).catch(() => "")).slice(0, 500);
  const error = `HTTP ${res.status}${text ? `: ${text}` : ""}`;
  if (res.status === 429 || res.status >= 500 || res.status === 408) return { kind: "retry", status: res.status, latencyMs, error, retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after")) };
  return { kind: "fail", status: res.status, latencyMs, error };
}
