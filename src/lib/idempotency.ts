import { ApiError } from "./errors";

/** How long the first request holds a key before a crashed holder's claim may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 30_000;

/**
 * Record lifetime in ms from `IDEMPOTENCY_TTL_HOURS` (default 24, clamped to 1..720; SPEC §5).
 */
export function idempotencyTtlMs(raw: string | undefined): number {
  const hours = Number(raw ?? 24);
  const clamped = Number.isFinite(hours) ? Math.min(720, Math.max(1, hours)) : 24;
  return clamped * 3600 * 1000;
}

export type Claim = { kind: "claimed" } | { kind: "replay"; status: number; body: unknown; resourceId: string | null };

/**
 * Claims `(scope, key)` for a request with body fingerprint `fp` (Stripe-style semantics, SPEC §5).
 * The primary key on (scope, key) decides races: exactly one concurrent caller gets `claimed`.
 * A claim held by a crashed request (past `locked_until`) or an expired record is taken over.
 * @returns `claimed` (caller must later `completeKey` or `releaseKey`) or `replay` with the stored response.
 * @throws ApiError `idempotency_key_reused` (422) when the key was used with another body;
 *         `idempotency_key_in_use` (409, `Retry-After` in s) while the first request is in flight.
 */
export async function claimKey(db: D1Database, scope: string, key: string, fp: string, ttlMs: number, now = Date.now()): Promise<Claim> {
  const claimed = await db
    .prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at)
       VALUES (?1, ?2, ?3, 'in_flight', ?4, ?5, ?6)
       ON CONFLICT (scope, key) DO UPDATE SET
         fingerprint = excluded.fingerprint, state = 'in_flight', locked_until = excluded.locked_until,
         resource_id = NULL, response_status = NULL, response_body = NULL,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE idempotency_records.expires_at <= ?5
          OR (idempotency_records.state = 'in_flight' AND idempotency_records.locked_until <= ?5)
       RETURNING key`,
    )
    .bind(scope, key, fp, now + IDEMPOTENCY_LOCK_MS, now, now + ttlMs)
    .first();
  if (claimed) return { kind: "claimed" };

  const record = await db
    .prepare(`SELECT fingerprint, state, locked_until, response_status, response_body, resource_id FROM idempotency_records WHERE scope = ?1 AND key = ?2`)
    .bind(scope, key)
    .first<{ fingerprint: string; state: string; locked_until: number; response_status: number | null; response_body: string | null; resource_id: string | null }>();
  if (!record) return claimKey(db, scope, key, fp, ttlMs, now);
  if (record.fingerprint !== fp) {
    throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body.");
  }
  if (record.state === "in_flight") {
    const retryAfter = Math.max(1, Math.ceil((record.locked_until - now) / 1000));
    throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.", {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
  return {
    kind: "replay",
    status: record.response_status ?? 200,
    body: record.response_body ? JSON.parse(record.response_body) : null,
    resourceId: record.resource_id,
  };
}

/** The statement that marks a claimed key completed with the response to replay; run it in the same `batch()` as the write it describes. */
export function completeKeyStatement(db: D1Database, scope: string, key: string, status: number, body: unknown, resourceId: string | null): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE idempotency_records SET state = 'completed', response_status = ?3, response_body = ?4, resource_id = ?5
       WHERE scope = ?1 AND key = ?2`,
    )
    .bind(scope, key, status, JSON.stringify(body), resourceId);
}

/** Frees a key whose request failed (validation, 5xx): failures are not stored (SPEC §5). */
export async function releaseKey(db: D1Database, scope: string, key: string): Promise<void> {
  await db.prepare(`DELETE FROM idempotency_records WHERE scope = ?1 AND key = ?2 AND state = 'in_flight'`).bind(scope, key).run();
}
