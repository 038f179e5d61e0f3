/**
 * The `sync_targets` table (docs/api.md#user-sync): services receiving user events as Standard Webhooks.
 * Secrets are stored sealed (src/lib/secret-box.ts); the listed columns never include them.
 */
import type { syncTargets } from "./schema";

export type SyncTarget = typeof syncTargets.$inferSelect;

/** `events` as stored and read: JSON text of the subscribed event types, null for every type; callers parse it. */
type EventsAsText<T extends Pick<SyncTarget, "events">> = Omit<T, "events"> & { events: string | null };

/** A target as the API shows it: everything but the secrets and the reconcile cursor (times in ms). */
export type TargetRow = EventsAsText<Pick<SyncTarget, "id" | "name" | "url" | "events" | "enabled" | "disabledReason" | "previousSecretExpiresAt" | "createdAt" | "updatedAt">>;

/** A target with its sealed secrets, for signing (`previousSecretExpiresAt` in ms). */
export type SigningTargetRow = EventsAsText<Pick<SyncTarget, "id" | "url" | "enabled" | "secret" | "previousSecret" | "previousSecretExpiresAt" | "events">>;

/** An enabled target with where the cron's reconciliation of it continues. */
export type EnabledTarget = EventsAsText<Pick<SyncTarget, "id" | "events" | "reconcileCursor">>;

/** A row with `sync_targets` columns as D1 returns it: SQLite has no boolean, so `enabled` is 0 or 1. */
type Stored<T extends Pick<SyncTarget, "enabled">> = Omit<T, "enabled"> & { enabled: number };

/**
 * The table's one mapper, for every read that includes `enabled`: D1's 0/1 becomes the schema's
 * boolean. Other columns arrive under their camelCase names through SQL aliases.
 */
function fromStored<T extends Pick<SyncTarget, "enabled">>(r: Stored<T>): T {
  return { ...r, enabled: r.enabled === 1 } as unknown as T;
}

const COLUMNS = `id, name, url, events, enabled, disabled_reason AS "disabledReason", previous_secret_expires_at AS "previousSecretExpiresAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** One target, or null. */
export async function findTarget(db: D1Database, id: string): Promise<TargetRow | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM sync_targets WHERE id = ?1`).bind(id).first<Stored<TargetRow>>();
  return row ? fromStored<TargetRow>(row) : null;
}

/** Inserts an enabled target. `secret` is sealed; `events` JSON text or null (every type). */
export async function insertTarget(
  db: D1Database,
  t: EventsAsText<Required<Pick<typeof syncTargets.$inferInsert, "id" | "name" | "url" | "events" | "secret">>>,
  now: number,
): Promise<TargetRow> {
  const row = await db
    .prepare(`INSERT INTO sync_targets (id, name, url, events, enabled, secret, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6) RETURNING ${COLUMNS}`)
    .bind(t.id, t.name, t.url, t.events, t.secret, now)
    .first<Stored<TargetRow>>();
  return fromStored<TargetRow>(row!);
}

/** Targets after `after` in id order, at most `limit`. */
export async function listTargets(db: D1Database, after: string | undefined, limit: number): Promise<TargetRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM sync_targets WHERE id > ?1 ORDER BY id LIMIT ?2`).bind(after ?? "", limit).all<Stored<TargetRow>>();
  return results.map((r) => fromStored<TargetRow>(r));
}

/**
 * Applies a PATCH: each given field changes, absent ones stay; re-enabling clears the reason.
 * @param events undefined keeps them; null means every type; else JSON text.
 * @returns the target, or null when there is none.
 */
export async function patchTarget(db: D1Database, id: string, patch: { url?: string; events?: string | null; enabled?: boolean }, now: number): Promise<TargetRow | null> {
  const row = await db
    .prepare(
      `UPDATE sync_targets SET
         url = COALESCE(?2, url),
         events = CASE WHEN ?3 THEN ?4 ELSE events END,
         enabled = COALESCE(?5, enabled),
         disabled_reason = CASE WHEN ?5 = 1 THEN NULL ELSE disabled_reason END,
         updated_at = ?6
       WHERE id = ?1 RETURNING ${COLUMNS}`,
    )
    .bind(id, patch.url ?? null, patch.events !== undefined ? 1 : 0, patch.events ?? null, patch.enabled === undefined ? null : patch.enabled ? 1 : 0, now)
    .first<Stored<TargetRow>>();
  return row ? fromStored<TargetRow>(row) : null;
}

/** Deletes a target (run with `deleteAcksOfTargetStatement` in one batch). */
export function deleteTargetStatement(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM sync_targets WHERE id = ?1`).bind(id);
}

/**
 * Rotates the secret: the current one becomes the previous one, signing too until `overlapUntil` (ms).
 * @returns whether the target exists.
 */
export async function rotateTargetSecret(db: D1Database, id: string, sealed: string, overlapUntil: number, now: number): Promise<boolean> {
  const row = await db
    .prepare(`UPDATE sync_targets SET previous_secret = secret, previous_secret_expires_at = ?3, secret = ?2, updated_at = ?4 WHERE id = ?1 RETURNING id`)
    .bind(id, sealed, overlapUntil, now)
    .first();
  return row !== null;
}

/** Enabled targets in id order: id, subscribed event types (JSON text, null for all) and reconcile cursor. */
export async function enabledTargets(db: D1Database): Promise<EnabledTarget[]> {
  const { results } = await db.prepare(`SELECT id, events, reconcile_cursor AS "reconcileCursor" FROM sync_targets WHERE enabled = 1 ORDER BY id`).all<EnabledTarget>();
  return results;
}

/** Targets `ids` with their sealed secrets (a batch's statement); read its result with {@link signingTargetsOf}. */
export function signingTargetsStatement(db: D1Database, ids: string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT id, url, enabled, secret, previous_secret AS "previousSecret", previous_secret_expires_at AS "previousSecretExpiresAt", events
       FROM sync_targets WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids));
}

/** The rows of a {@link signingTargetsStatement} result. */
export function signingTargetsOf(result: D1Result): SigningTargetRow[] {
  return (result.results as Stored<SigningTargetRow>[]).map((r) => fromStored<SigningTargetRow>(r));
}

/** Disables targets whose endpoint answered 410 Gone (docs/api.md#user-sync). */
export function disableGoneTargetsStatement(db: D1Database, ids: string[], now: number): D1PreparedStatement {
  return db.prepare(`UPDATE sync_targets SET enabled = 0, disabled_reason = 'endpoint answered 410 Gone', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids), now);
}

/** Stores where the cron's reconciliation of a target continues (null: from the start). */
export async function storeReconcileCursor(db: D1Database, id: string, cursor: string | null): Promise<void> {
  await db.prepare(`UPDATE sync_targets SET reconcile_cursor = ?2 WHERE id = ?1`).bind(id, cursor).run();
}
