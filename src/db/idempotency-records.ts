/**
 * The one module that owns the SQL of D1 `idempotency_records` (Stripe-style, docs/api.md#notifications): one row
 * per (scope, key), whose primary key decides which of two concurrent requests with one key wins.
 * A record past `expires_at`, or an in-flight claim whose holder died (past `locked_until`), is
 * taken over by the next claim; records past `expires_at` are purged.
 *
 * In the `notifications` scope a notification is the record of its own key (`notifications.key_scope`,
 * migration 0017, docs/cost.md): the rows here then hold only broadcasts' keys, and the reads and
 * claims below treat a notification holding (scope, key) as a record — one key, one holder, across both.
 */
import { packJson } from "../lib/json-pack";
import type { DeliveryStatus } from "./deliveries";
import type { idempotencyRecords } from "./schema";
import { UNFLATTENED } from "./json-rows";

export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/** The condition under which an existing record is taken over by a new claim at `?now`. */
const TAKEOVER = (now: string) => `idempotency_records.expires_at <= ${now}
  OR (idempotency_records.state = 'in_flight' AND idempotency_records.locked_until <= ${now})`;

/** A notification holding key `key` in scope `scope` that has not expired at `now` (SQL over the three parameters). */
const LIVE_HOLDER = (scope: string, key: string, now: string) =>
  `SELECT 1 FROM notifications n WHERE n.idempotency_key = ${key} AND n.key_scope = ${scope} AND n.key_expires_at > ${now}`;

/**
 * Claims (scope, key) as `in_flight` until `lockedUntil`, or takes over a record that expired or
 * whose holder's lock lapsed — unless a notification holds the key unexpired. `resourceId`, when given, names what the holder will create: writes
 * conditional on the claim (`insertNotificationStatements(…, scope)`, {@link completeKeyStatement})
 * then apply only while the record still names it, so a holder that stalled past its lock and
 * lost the key to a retry writes nothing.
 * @param times ms. @returns whether this call holds the key.
 */
export async function claimKeyRecord(
  db: D1Database,
  claim: { scope: string; key: string; fingerprint: string; resourceId: string | null },
  times: { now: number; lockedUntil: number; expiresAt: number },
): Promise<boolean> {
  const claimed = await db
    .prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, resource_id, created_at, expires_at)
       SELECT ?1, ?2, ?3, 'in_flight', ?4, ?7, ?5, ?6 WHERE NOT EXISTS (${LIVE_HOLDER("?1", "?2", "?5")})
       ON CONFLICT (scope, key) DO UPDATE SET
         fingerprint = excluded.fingerprint, state = 'in_flight', locked_until = excluded.locked_until,
         resource_id = excluded.resource_id, response_status = NULL, response_body = NULL,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE ${TAKEOVER("?5")}
       RETURNING key`,
    )
    .bind(claim.scope, claim.key, claim.fingerprint, times.lockedUntil, times.now, times.expiresAt, claim.resourceId)
    .first();
  return claimed !== null;
}

/**
 * The live record of (scope, key) at `now` (ms), or null: the `idempotency_records` row, else the
 * notification holding the key unexpired, read as a completed record naming it (its response is
 * the notification itself: `responseBody` null, see `acceptedBody` in src/notifications/store.ts).
 */
export async function readKeyRecord(db: D1Database, scope: string, key: string, now: number): Promise<IdempotencyRecord | null> {
  const { results } = await db
    .prepare(
      `SELECT scope, key, fingerprint, state, locked_until AS lockedUntil, resource_id AS resourceId, response_status AS responseStatus,
         response_body AS responseBody, created_at AS createdAt, expires_at AS expiresAt
       FROM idempotency_records WHERE scope = ?1 AND key = ?2
       UNION ALL
       SELECT ?1, n.idempotency_key, COALESCE(n.fingerprint, ''), 'completed', 0, n.id, 202, NULL, n.created_at, n.key_expires_at
       FROM notifications n WHERE n.idempotency_key = ?2 AND n.key_scope = ?1 AND n.key_expires_at > ?3`,
    )
    .bind(scope, key, now)
    .all<IdempotencyRecord>();
  return results.find((r) => !claimable(r, now)) ?? results[0] ?? null;
}

/** Whether a claim made at `now` (ms) would take this record over (see `TAKEOVER`). */
export const claimable = (record: Pick<IdempotencyRecord, "state" | "expiresAt" | "lockedUntil">, now: number): boolean =>
  record.expiresAt <= now || (record.state === "in_flight" && record.lockedUntil <= now);

/**
 * The statement that marks a claimed key completed with the response to replay; run it in the
 * same `batch()` as the write it describes. A claim made with a `resourceId` is completed only
 * while the record still names that resource (the holder did not lose the key).
 */
export function completeKeyStatement(db: D1Database, scope: string, key: string, status: number, body: unknown, resourceId: string | null): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE idempotency_records SET state = 'completed', response_status = ?3, response_body = ?4, resource_id = ?5
       WHERE scope = ?1 AND key = ?2 AND (resource_id IS NULL OR resource_id = ?5)`,
    )
    .bind(scope, key, status, JSON.stringify(body), resourceId);
}

/**
 * Frees a key whose request failed (validation, 5xx): failures are not stored (docs/api.md#notifications). Only an
 * in-flight claim is freed, and with `resourceId` only the caller's own (not a retry's that took it over).
 */
export async function releaseKey(db: D1Database, scope: string, key: string, resourceId: string | null = null): Promise<void> {
  await db
    .prepare(`DELETE FROM idempotency_records WHERE scope = ?1 AND key = ?2 AND state = 'in_flight' AND (?3 IS NULL OR resource_id = ?3)`)
    .bind(scope, key, resourceId)
    .run();
}

/** One completed claim to write: the key, the request's fingerprint, the id it creates and the response a replay returns (JSON text). */
export interface CompletedClaim {
  key: string | null;
  fingerprint: string;
  id: string;
  response: string;
}

/**
 * Statements claiming one key per item, set-based: `INSERT … ON CONFLICT DO NOTHING` on (scope,
 * key) — unless the record may be taken over — each claim stored `completed` at once, naming its
 * `id` as `resource_id`. Follow them with a write conditional on `resource_id` (see
 * `insertNotificationStatements`) in the same transaction, so only the claims that won create.
 * @param ttlMs record lifetime; @param now ms.
 * Each statement's `meta.changes` counts the claims it won (an insert, or a takeover's update).
 */
export function completedClaimStatements(
  db: D1Database,
  scope: string,
  claims: readonly CompletedClaim[],
  ttlMs: number,
  now: number,
): D1PreparedStatement[] {
  return packJson(claims, STATEMENT_JSON_BYTES).map(({ json }) =>
    db
      .prepare(
        // Unflattened, so each claim's JSON is parsed once, not once per member read (./json-rows).
        `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, resource_id, response_status, response_body, created_at, expires_at)
         SELECT ?1, v->>'key', v->>'fingerprint', 'completed', ?3, v->>'id', 202, v->>'response', ?3, ?4
         FROM (SELECT value AS v FROM json_each(?2) ${UNFLATTENED}) WHERE true
         ON CONFLICT (scope, key) DO UPDATE SET
           fingerprint = excluded.fingerprint, state = 'completed', locked_until = excluded.locked_until,
           resource_id = excluded.resource_id, response_status = 202, response_body = excluded.response_body,
           created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE ${TAKEOVER("?3")}`,
      )
      .bind(scope, json, now, now + ttlMs),
  );
}

/** A record as the batch route judges it, with the current status of the notification it names. */
export type JudgedRecord = Pick<IdempotencyRecord, "key" | "fingerprint" | "state" | "resourceId" | "createdAt" | "expiresAt" | "lockedUntil"> & {
  /** In-app (or first channel's) delivery status of the notification `resourceId` names. */
  deliveryStatus: DeliveryStatus | null;
};

/** A {@link JudgedRecord} as {@link readRecordsWithStatus} packs it: the members in this order. */
type PackedRecord = [key: string, fingerprint: string, state: IdempotencyRecord["state"], resourceId: string | null, createdAt: number, expiresAt: number, lockedUntil: number, deliveryStatus: DeliveryStatus | null];

/**
 * Reads the records of `keys` in `scope` (one statement per ~90 KB of keys, one round trip), keyed
 * by key: `idempotency_records` rows and the notifications holding their own keys (expired or not;
 * where a key has both, the one a claim at `now` (ms) would not take over).
 * Each statement answers one row holding its records as one JSON array of arrays
 * ({@link PackedRecord}): a replayed 1,000-item batch reads 1,000 records, and as one value they
 * cross D1's result encoding once instead of 8,000 times (measured in workerd: ~4 ms against ~7.5 ms).
 * The delivery status is the in-app state (on the notification's own row), else the first channel's delivery.
 */
export async function readRecordsWithStatus(db: D1Database, scope: string, keys: readonly string[], now: number): Promise<Map<string, JudgedRecord>> {
  // The in-app state of the notification `inApp` names (its own row's column), else the first channel's delivery.
  const status = (id: string, inApp: string) =>
    `COALESCE(${inApp}, (SELECT d.status FROM deliveries d WHERE d.notification_id = ${id} ORDER BY d.channel LIMIT 1))`;
  const statements = packJson(keys, STATEMENT_JSON_BYTES).map(({ json }) =>
    db
      .prepare(
        `SELECT json_group_array(json_array(key, fingerprint, state, resource_id, created_at, expires_at, locked_until, status)) AS records FROM (
           SELECT n.idempotency_key AS key, COALESCE(n.fingerprint, '') AS fingerprint, 'completed' AS state, n.id AS resource_id, n.created_at,
             n.key_expires_at AS expires_at, 0 AS locked_until,
             ${status("n.id", "n.in_app_status")} AS status
           FROM notifications n WHERE n.idempotency_key IN (SELECT value FROM json_each(?2)) AND n.key_scope = ?1
           UNION ALL
           SELECT r.key, r.fingerprint, r.state, r.resource_id, r.created_at, r.expires_at, r.locked_until, ${status("r.resource_id", "(SELECT n.in_app_status FROM notifications n WHERE n.id = r.resource_id)")}
           FROM idempotency_records r WHERE r.scope = ?1 AND r.key IN (SELECT value FROM json_each(?2)))`,
      )
      .bind(scope, json),
  );
  const results = statements.length === 0 ? [] : await db.batch<{ records: string }>(statements);
  const records = new Map<string, JudgedRecord>();
  for (const result of results) {
    for (const [key, fingerprint, state, resourceId, createdAt, expiresAt, lockedUntil, deliveryStatus] of JSON.parse(result.results[0]!.records) as PackedRecord[]) {
      const record = { key, fingerprint, state, resourceId, createdAt, expiresAt, lockedUntil, deliveryStatus };
      const other = records.get(key);
      if (other === undefined || claimable(other, now)) records.set(key, record);
    }
  }
  return records;
}

/**
 * The statement deleting the records of `keysJson` (a JSON array, under ~90 KB) in `scope` that a
 * claim at `now` (ms) would take over, so that a notification holding its own key can take their
 * keys in the same transaction (`insertNotificationsStatement`'s `held` guard refuses a key any
 * record here names). A broadcast whose stalled request still holds such a record then creates
 * nothing: its insert is conditional on the record.
 */
export function deleteClaimableRecordsStatement(db: D1Database, scope: string, keysJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM idempotency_records WHERE scope = ?1 AND key IN (SELECT value FROM json_each(?2)) AND (${TAKEOVER("?3")})`)
    .bind(scope, keysJson, now);
}

/**
 * Retention (docs/api.md#notifications, docs/data-model.md#retention): deletes at most `limit` records whose `expires_at` is at or before
 * `before` (ms) — past their TTL a key may be used anew, so the record is finished. Uses
 * `idempotency_records_expires`.
 * @returns rows deleted.
 */
export async function purgeIdempotencyRecords(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(`DELETE FROM idempotency_records WHERE (scope, key) IN (SELECT scope, key FROM idempotency_records WHERE expires_at <= ?1 LIMIT ?2)`)
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
