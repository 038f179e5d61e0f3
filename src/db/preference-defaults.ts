/**
 * The one module that owns the SQL of D1 `preference_defaults` (docs/data-model.md#preference_defaults):
 * the workspace's default preference document, one row (`id = 'workspace'`). Configuration: no retention.
 */
import type { StoredPreferences } from "../preferences/document";

const ID = "workspace";

/** The workspace defaults with their version (0 and `{}` before the first `PUT`) and `updatedAt` (ms, null before). */
export async function loadPreferenceDefaults(db: D1Database): Promise<{ document: StoredPreferences; version: number; updatedAt: number | null }> {
  const row = await db
    .prepare(`SELECT document, version, updated_at AS updatedAt FROM preference_defaults WHERE id = ?1`)
    .bind(ID)
    .first<{ document: string; version: number; updatedAt: number }>();
  return row ? { document: JSON.parse(row.document) as StoredPreferences, version: row.version, updatedAt: row.updatedAt } : { document: {}, version: 0, updatedAt: null };
}

/** Replaces the workspace defaults with `document` at `now` (ms); `version` grows by one. @returns the new version. */
export async function replacePreferenceDefaults(db: D1Database, document: StoredPreferences, now: number): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO preference_defaults (id, document, version, updated_at) VALUES (?1, ?2, 1, ?3)
       ON CONFLICT (id) DO UPDATE SET document = excluded.document, version = preference_defaults.version + 1, updated_at = excluded.updated_at
       RETURNING version`,
    )
    .bind(ID, JSON.stringify(document), now)
    .first<{ version: number }>();
  return row!.version;
}
