/**
 * Sending one Standard Webhooks message (standardwebhooks.com; Svix): `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` per
 * secret, space-separated while a rotated secret still signs). Redirects are not followed and
 * at most 4 KiB of a response body is read (for `lastError`). The one sender for sync targets
 * and topic-message webhook subscriptions alike; what follows an outcome is src/delivery/policy.ts's.
 */
import { Webhook } from "standardwebhooks";
import type { AttemptOutcome } from "./policy";

const MAX_ERROR_BODY_BYTES = 4096;

/** Signs `payload` with every secret (docs/api.md#user-sync: both old and new sign during a rotation). */
export function signatureHeader(secrets: string[], msgId: string, timestamp: Date, payload: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, payload)).join(" ");
}

/**
 * Reads at most `max` bytes of a body as text, then cancels the rest: a receiver answering with
 * an endless or huge body costs one read of ~4 KiB, not the Worker's memory (issue 9). Shared by
 * webhooks and the provider APIs (src/channels/provider.ts).
 */
export async function readCapped(res: Response, max = MAX_ERROR_BODY_BYTES): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(size, max));
  let offset = 0;
  for (const chunk of chunks) {
    const take = chunk.subarray(0, Math.max(0, bytes.length - offset));
    bytes.set(take, offset);
    offset += take.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Classifies an HTTP answer that is not 2xx for the policy: 410 `gone`; 408, 429 (with
 * `Retry-After`) and 5xx `retry`; any other 3xx/4xx `fail` (redirects are never followed: a
 * credential or a signed body must not travel to another host, issue 9). Reads at most 4 KiB
 * of the body for the error text.
 */
export async function classifyAnswer(res: Response, latencyMs: number): Promise<AttemptOutcome> {
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel();
    return { kind: "ok", status: res.status, latencyMs };
  }
  const text = (await readCapped(res).catch(() => "")).trim();
  const detail = `HTTP ${res.status}${text ? `: ${text.slice(0, 500)}` : ""}`;
  if (res.status === 410) return { kind: "gone", status: 410, latencyMs, error: detail };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { kind: "retry", status: res.status, latencyMs, error: detail, retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after")) };
  }
  return { kind: "fail", status: res.status, latencyMs, error: res.status >= 300 && res.status < 400 ? `${detail} (redirects are not followed)` : detail };
}

/**
 * POSTs one signed message and classifies the answer: 2xx `ok`; 410 `gone` (disable the
 * target); 408, 429 (with `Retry-After`), 5xx, timeouts and network errors `retry`; other
 * 3xx/4xx `fail` at once.
 * @param timeoutMs abort after this many ms (docs/api.md#user-sync: 15 s).
 */
export async function sendWebhook(opts: { url: string; msgId: string; payload: string; secrets: string[]; timeoutMs: number; now?: Date }): Promise<AttemptOutcome> {
  const timestamp = opts.now ?? new Date();
  const started = Date.now();
  try {
    const res = await fetch(opts.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Herald-Webhooks/1",
        "webhook-id": opts.msgId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signatureHeader(opts.secrets, opts.msgId, timestamp, opts.payload),
      },
      body: opts.payload,
    });
    return await classifyAnswer(res, Date.now() - started);
  } catch (error) {
    const latencyMs = Date.now() - started;
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { kind: "retry", status: null, latencyMs, error: timedOut ? `timed out after ${opts.timeoutMs} ms` : `network error: ${String(error)}`, retryAfterSeconds: null };
  }
}
