/**
 * The one delivery-attempt policy (src/delivery/policy.ts): properties over every outcome,
 * attempt count, policy and jitter draw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeAttempt, type AttemptOutcome, type RetryPolicy } from "../../src/delivery/policy";
import { MAX_QUEUE_DELAY_SECONDS } from "../../src/lib/queue";

const NOW = 1_800_000_000_000;
const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 50 }),
  baseSeconds: fc.integer({ min: 1, max: 3600 }),
  capSeconds: fc.integer({ min: 1, max: 12 * 3600 }),
});
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const retryable = (retryAfterSeconds: number | null): AttemptOutcome => ({ kind: "retry", status: 503, latencyMs: 10, error: "HTTP 503", retryAfterSeconds });

describe("judgeAttempt", () => {
  it("retries within [1, cap] seconds while attempts are left, scheduled that far from now", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), randomArb, (policy, attempts, r) => {
        fc.pre(attempts < policy.maxAttempts);
        const verdict = judgeAttempt(retryable(null), attempts, policy, NOW, () => r);
        expect(verdict.kind).toBe("retry");
        if (verdict.kind !== "retry") return;
        expect(verdict.delaySeconds).toBeGreaterThanOrEqual(1);
        expect(verdict.delaySeconds).toBeLessThanOrEqual(Math.max(1, Math.min(policy.capSeconds, policy.baseSeconds * 2 ** (attempts - 1))));
        expect(verdict.at).toBe(NOW + verdict.delaySeconds * 1000);
      }),
    );
  });

  it("waits at least Retry-After (up to the queue's 12 h delay cap)", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 86_400 }), randomArb, (policy, attempts, retryAfter, r) => {
        fc.pre(attempts < policy.maxAttempts);
        const verdict = judgeAttempt(retryable(retryAfter), attempts, policy, NOW, () => r);
        if (verdict.kind !== "retry") throw new Error(`expected a retry, got ${verdict.kind}`);
        expect(verdict.delaySeconds).toBeGreaterThanOrEqual(Math.min(retryAfter, MAX_QUEUE_DELAY_SECONDS));
        expect(verdict.delaySeconds).toBeLessThanOrEqual(MAX_QUEUE_DELAY_SECONDS);
      }),
    );
  });

  it("is dead, exhausted, once the attempts are used up, naming the last error", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 20 }), (policy, extra) => {
        expect(judgeAttempt(retryable(1), policy.maxAttempts + extra, policy, NOW)).toEqual({ kind: "dead", reason: "HTTP 503", exhausted: true });
      }),
    );
  });

  it("is dead at once on a 4xx (other than 408/429/410), whatever attempts are left", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 400, max: 499 }).filter((s) => ![408, 410, 429].includes(s)), (policy, attempts, status) => {
        const outcome: AttemptOutcome = { kind: "fail", status, latencyMs: 5, error: `HTTP ${status}` };
        expect(judgeAttempt(outcome, attempts, policy, NOW)).toEqual({ kind: "dead", reason: `HTTP ${status}`, exhausted: false });
      }),
    );
  });

  it("disables the target on 410, and is done on success", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), (policy, attempts) => {
        expect(judgeAttempt({ kind: "gone", status: 410, latencyMs: 5, error: "HTTP 410" }, attempts, policy, NOW)).toEqual({ kind: "disable_target", reason: "HTTP 410" });
        expect(judgeAttempt({ kind: "ok", status: 200, latencyMs: 5 }, attempts, policy, NOW)).toEqual({ kind: "done" });
      }),
    );
  });
});
