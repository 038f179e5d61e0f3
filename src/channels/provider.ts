/**
 * The one small interface every email/SMS/push provider implements (docs/api.md#templates-and-the-outbox), and the choice
 * of provider by configuration. The default everywhere is `outbox`, which stores the rendered
 * message in D1 so the whole flow works locally with no account anywhere.
 */
import type { Bindings } from "../env";
import type { AttemptOutcome } from "../delivery/policy";
import { classifyAnswer } from "../delivery/webhook";

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
  /** Email only: extra headers (`List-Unsubscribe`, `List-Unsubscribe-Post`; RFC 2369, RFC 8058). */
  headers?: Record<string, string>;
  data: Record<string, unknown> | null;
  /** Push only: the browser subscription's keys. */
  push?: { p256dh: string; auth: string; expirationTime: number | null };
}

/**
 * Sends one message. Outcomes follow the retry policy of docs/api.md#retries-and-dead-letters: `ok`; `retry` for 429, 5xx,
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
 * Classifies an HTTP answer from a provider API (shared by the HTTP providers) as webhooks are
 * classified, except that a 410 is an ordinary 4xx here: the provider's API is not going away,
 * the request was refused. An error body is read only up to a few KiB.
 */
export async function classify(res: Response, latencyMs: number): Promise<AttemptOutcome> {
  const outcome = await classifyAnswer(res, latencyMs);
  return outcome.kind === "gone" ? { ...outcome, kind: "fail" } : outcome;
}
