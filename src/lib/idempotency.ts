import { claimable, claimKeyRecord, readKeyRecord } from "../db/idempotency-records";
import { ApiError } from "./errors";

export { completeKeyStatement, releaseKey } from "../db/idempotency-records";

/** How long the first request holds a key before a crashed holder's claim may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 30_000;

/**
 * Record lifetime in ms from `IDEMPOTENCY_TTL_HOURS` (default 24, clamped to 1..720; docs/api.md#idempotency).
 */
export function idempotencyTtlMs(raw: string | undefined): number {
  const hours = Number(raw ?? 24);
  const clamped = Number.isFinite(hours) ? Math.min(720, Math.max(1, hours)) : 24;
  return clamped * 3600 * 1000;
}

export type Claim = { kind: "claimed" } | { kind: "replay"; status: number; body: unknown; resourceId: string | null };

/**
 * Claims `(scope, key)` for a request with body fingerprint `fp` (Stripe-style semantics, docs/api.md#idempotency).
 * The primary key on (scope, key) decides races: exactly one concurrent caller gets `claimed`.
 * A claim held by a crashed request (past `locked_until`) or an expired record is taken over.
 * @param resourceId the id the caller will create, when it knows it already: its writes can then
 *        be made conditional on still holding the claim (see `claimKeyRecord`).
 * @returns `claimed` (caller must later `completeKey` or `releaseKey`) or `replay` with the stored response.
 * @throws ApiError `idempotency_key_reused` (422) when the key was used with another body;
 *         `idempotency_key_in_use` (409, `Retry-After` in s) while the first request is in flight.
 */
export async function claimKey(db: D1Database, scope: string, key: string, fp: string, ttlMs: number, now = Date.now(), resourceId: string | null = null): Promise<Claim> {
  const claimed = await claimKeyRecord(db, { scope, key, fingerprint: fp, resourceId }, { now, lockedUntil: now + IDEMPOTENCY_LOCK_MS, expiresAt: now + ttlMs });
  if (claimed) return { kind: "claimed" };
  const outcome = await existingOutcome(db, scope, key, fp, now);
  return outcome ?? claimKey(db, scope, key, fp, ttlMs, now, resourceId);
}

/**
 * What a request with key (scope, key) and fingerprint `fp` gets from the record another request
 * holds: a replay of its stored response, or null when there is no live record (none, or one a
 * claim at `now` would take over).
 * @throws ApiError `idempotency_key_reused` (422) for another fingerprint; `idempotency_key_in_use`
 *         (409, `Retry-After` in s) while that request is in flight.
 */
export async function existingOutcome(db: D1Database, scope: string, key: string, fp: string, now = Date.now()): Promise<Extract<Claim, { kind: "replay" }> | null> {
  const record = await readKeyRecord(db, scope, key, now);
  // A record a claim would take over (expired, or its holder's lock lapsed) is no answer: the caller claims again.
  if (!record || claimable(record, now)) return null;
  if (record.fingerprint !== fp) {
    throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body.");
  }
  if (record.state === "in_flight") {
    const retryAfter = Math.max(1, Math.ceil((record.lockedUntil - now) / 1000));
    throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.", {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
  return {
    kind: "replay",
    status: record.responseStatus ?? 200,
    body: record.responseBody ? JSON.parse(record.responseBody) : null,
    resourceId: record.resourceId,
  };
}
