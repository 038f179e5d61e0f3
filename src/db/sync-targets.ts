/**
 * The `sync_targets` table (docs/api.md#user-sync): services receiving user events as Standard Webhooks.
 * Secrets are stored sealed (src/lib/secret-box.ts); the listed columns never include them.
 */
import type { syncTargets } from "./schema";

export type SyncTarget = typeof syncTargets.$inferSelect;

/** A target as the API shows it: everything but the secrets. */
export interface TargetRow {
  id: string;
  name: string;
  url: string;
  events: string | null;
  enabled: number;
  disabled_reason: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A target with its sealed secrets, for signing. */
export interface SigningTargetRow {
  id: string;
  url: string;
  enabled: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  events: string | null;
}

const COLUMNS = "id, name, url, events, enabled, disabled_reason, previous_secret_expires_at, created_at, updated_at";

/** One target, or null. */
export async function findTarget(db: D1Database, id: string): Promise<TargetRow | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM sync_targets WHERE id = ?1`).bind(id).first<TargetRow>();
}

/** Inserts an enabled target. `secret` is sealed; `events` JSON text or null (every type). */
export async function insertTarget(db: D1Database, t: { id: string; name: string; url: string; events: string | null; secret: string }, now: number): Promise<TargetRow> {
  const row = await db
    .prepare(`INSERT INTO sync_targets (id, name, url, events, enabled, secret, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6) RETURNING ${COLUMNS}`)
    .bind(t.id, t.name, t.url, t.events, t.secret, now)
    .first<TargetRow>();
  return row!;
}

/** Targets after `after` in id order, at most `limit`. */
export async function listTargets(db: D1Database, after: string | undefined, limit: number): Promise<TargetRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM sync_targets WHERE id > ?1 ORDER BY id LIMIT ?2`).bind(after ?? "", limit).all<TargetRow>();
  return results;
}

/**
 * Applies a PATCH: each given field changes, absent ones stay; re-enabling clears the reason.
 * @param events undefined keeps them; null means every type; else JSON text.
 * @returns the target, or null when there is none.
 */
export async function patchTarget(db: D1Database, id: string, patch: { url?: string; events?: string | null; enabled?: boolean }, now: number): Promise<TargetRow | null> {
  return db
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
    .first<TargetRow>();
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

/** Enabled targets: id and subscribed event types (JSON text, null for all). */
export async function enabledTargets(db: D1Database): Promise<{ id: string; events: string | null; reconcile_cursor: string | null }[]> {
  const { results } = await db.prepare(`SELECT id, events, reconcile_cursor FROM sync_targets WHERE enabled = 1 ORDER BY id`).all<{ id: string; events: string | null; reconcile_cursor: string | null }>();
  return results;
}

/** Targets `ids` with their sealed secrets (a batch's statement). */
export function signingTargetsStatement(db: D1Database, ids: string[]): D1PreparedStatement {
  return db
    .prepare(`SELECT id, url, enabled, secret, previous_secret, previous_secret_expires_at, events FROM sync_targets WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids));
}

/** Disables targets whose endpoint answered 410 Gone (docs/api.md#user-sync). */
export function disableGoneTargetsStatement(db: D1Database, ids: string[], now: number): D1PreparedStatement {
  return db.prepare(`UPDATE sync_targets SET enabled = 0, disabled_reason = 'endpoint answered 410 Gone', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids), now);
}

/** Stores where the cron's reconciliation of a target continues (null: from the start). */
export async function storeReconcileCursor(db: D1Database, id: string, cursor: string | null): Promise<void> {
  await db.prepare(`UPDATE sync_targets SET reconcile_cursor = ?2 WHERE id = ?1`).bind(id, cursor).run();
}
