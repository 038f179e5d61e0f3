/**
 * The one delivery-attempt policy (docs/api.md#topics-messages-and-subscriptions, docs/api.md#user-sync; issue 13 §2): every sender — sync webhooks,
 * topic-message webhooks and notify subscriptions, email/SMS/push providers — classifies what
 * happened into an `AttemptOutcome`, and `judgeAttempt` alone decides what follows: done, retry
 * at a time, dead letter, or disable the target. Senders never decide it themselves, so the
 * rules cannot drift apart.
 */
import { backoffSeconds, MAX_QUEUE_DELAY_SECONDS } from "../lib/queue";

/** What one attempt at one delivery came to, as the sender saw it. `status` is the HTTP status, or null without one. */
export type AttemptOutcome =
  | { kind: "ok"; status: number | null; latencyMs: number | null }
  /** The endpoint answered 410 Gone (or the push service said the subscription is gone). */
  | { kind: "gone"; status: number; latencyMs: number; error: string }
  /** 408, 429, 5xx, a timeout or a network error: worth another try, after `retryAfterSeconds` if the answer named one. */
  | { kind: "retry"; status: number | null; latencyMs: number; error: string; retryAfterSeconds: number | null }
  /**
   * Will fail the same way every time until someone fixes the cause: another 4xx, bad template
   * data, an unknown recipient, a disabled target, a secret that cannot be opened.
   */
  | { kind: "fail"; status: number | null; latencyMs: number; error: string };

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all (the first included) before the work is dead (docs/api.md#topics-messages-and-subscriptions: default 8). */
  maxAttempts: number;
  /** Backoff base and cap, seconds: retry n waits a random time in [1, min(cap, base·2^(n-1))]. */
  baseSeconds: number;
  capSeconds: number;
}

/** docs/api.md#topics-messages-and-subscriptions's defaults for topic messages and channel sends. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseSeconds: 2, capSeconds: 3600 };

/** What to do after an attempt. */
export type Verdict =
  | { kind: "done" }
  /** Try again at `at` (ms since epoch), `delaySeconds` from now (a queue message delay, ≤ 12 h). */
  | { kind: "retry"; at: number; delaySeconds: number }
  /**
   * Stop and keep the work as a dead letter naming `reason`. `exhausted` tells a retryable failure
   * that ran out of attempts from one no retry could fix (the row's status differs: `dead` vs `failed`).
   */
  | { kind: "dead"; reason: string; exhausted: boolean }
  /** The endpoint is gone (HTTP 410): disable it, and keep the work as a dead letter naming `reason`. */
  | { kind: "disable_target"; reason: string };

/**
 * Judges one attempt. Pure: the clock and the jitter come in as arguments.
 * - `ok` → done;
 * - `gone` → disable the target (docs/api.md#user-sync: 410 disables; the work is dead-lettered so a redrive
 *   can finish it once the target is enabled again);
 * - `fail` → dead at once (docs/api.md#topics-messages-and-subscriptions: 4xx other than 408/429 fail at once; docs/api.md#retries-and-dead-letters: non-retryable
 *   failures become dead letters with their reason);
 * - `retry` with attempts left → retry after the full-jitter backoff, or `Retry-After` if that
 *   is longer (RFC 9110 §10.2.3), never past the queue's 12 h delay cap;
 * - `retry` with no attempts left → dead (exhausted).
 * @param attempts attempts made so far, this one included (1 after the first).
 * @param now ms since epoch.
 * @param random a number in [0, 1) for the jitter (tests pin it).
 */
export function judgeAttempt(outcome: AttemptOutcome, attempts: number, policy: RetryPolicy, now: number, random: () => number = Math.random): Verdict {
  switch (outcome.kind) {
    case "ok":
      return { kind: "done" };
    case "gone":
      return { kind: "disable_target", reason: outcome.error };
    case "fail":
      return { kind: "dead", reason: outcome.error, exhausted: false };
    case "retry": {
      if (attempts >= policy.maxAttempts) return { kind: "dead", reason: outcome.error, exhausted: true };
      const backoff = backoffSeconds(attempts, policy.baseSeconds, policy.capSeconds, random);
      const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(backoff, Math.ceil(outcome.retryAfterSeconds ?? 0)));
      return { kind: "retry", at: now + delaySeconds * 1000, delaySeconds };
    }
  }
}
