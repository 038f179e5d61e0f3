/**
 * The one module that owns the SQL of D1 `user_preferences` (docs/data-model.md#user_preferences):
 * one stored preference document per user, changed only by RFC 7396 merge patches applied inside
 * SQLite (`json_patch`), so two concurrent patches to different members both survive — no read,
 * merge and write-back that could lose one. Preferences are state: no retention purge.
 */
import { MAX_CATEGORIES, type StoredPreferences } from "../preferences/document";
import type { userPreferences } from "./schema";

/** A user's stored document with its version (0 and `{}` before the first change: no row) and `updatedAt` (ms, null before). */
export type StoredUserPreferences = Pick<typeof userPreferences.$inferSelect, "userId" | "version"> & {
  document: StoredPreferences;
  updatedAt: number | null;
};

/** The patch of the conflicting row, from the statement's JSON parameter (`excluded.document` is already merged into `{}`, which drops nulls). */
const PATCH_OF_ROW = `(SELECT p.value->'patch' FROM json_each(?1) AS p WHERE p.value->>'userId' = excluded.user_id)`;

/**
 * The statement applying merge patches, set-based, in one upsert: `json` is a JSON array of
 * `{userId, patch}` with distinct user ids (keep it under ~90 KB). A user without a document gets
 * the patch applied to `{}` at version 1; an existing document is patched inside SQLite and its
 * version grows by one. The result may hold at most MAX_CATEGORIES categories, checked on the
 * merge itself. Returns `{userId, version}` for each user changed; a user missing from it was
 * refused — the merge would exceed MAX_CATEGORIES, or `ifMatch` was stale — and nothing was written.
 * @param ifMatch apply only when the stored version equals it (0: no document yet; meant for one user); null: always.
 * @param now ms.
 */
export function patchPreferencesStatement(db: D1Database, json: string, now: number, ifMatch: number | null = null): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO user_preferences (user_id, document, version, updated_at)
       SELECT value->>'userId', json_patch('{}', value->'patch'), 1, ?2 FROM json_each(?1)
       WHERE ?3 IS NULL OR ?3 = 0 OR EXISTS (SELECT 1 FROM user_preferences x WHERE x.user_id = value->>'userId')
       ON CONFLICT (user_id) DO UPDATE SET
         document = json_patch(user_preferences.document, ${PATCH_OF_ROW}),
         version = user_preferences.version + 1,
         updated_at = excluded.updated_at
       WHERE (?3 IS NULL OR user_preferences.version = ?3)
         AND (SELECT COUNT(*) FROM json_each(json_patch(user_preferences.document, ${PATCH_OF_ROW}), '$.categories')) <= ${MAX_CATEGORIES}
       RETURNING user_id AS userId, version`,
    )
    .bind(json, now, ifMatch);
}

interface PreferenceRecord {
  userId: string;
  document: string;
  version: number;
  updatedAt: number;
}

/** The stored documents of `userIds` in one query (~90 KB of ids at most); users without one get version 0 and `{}`. */
export async function loadUserPreferences(db: D1Database, userIds: readonly string[]): Promise<Map<string, StoredUserPreferences>> {
  const { results } = await db
    .prepare(
      `SELECT user_id AS userId, document, version, updated_at AS updatedAt FROM user_preferences
       WHERE user_id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(userIds))
    .all<PreferenceRecord>();
  const found = new Map(results.map((r) => [r.userId, r]));
  return new Map(
    userIds.map((userId) => {
      const r = found.get(userId);
      return [userId, r ? { userId, document: JSON.parse(r.document) as StoredPreferences, version: r.version, updatedAt: r.updatedAt } : { userId, document: {}, version: 0, updatedAt: null }];
    }),
  );
}

/**
 * What a send needs to judge the users of one batch, in ONE query: each user's stored document,
 * the workspace defaults and the synced profile's `timezone` (joins `users` and
 * `preference_defaults`, read-only). Users without a row get `{}`.
 */
export async function loadSendPreferences(db: D1Database, userIds: readonly string[]): Promise<SendPreferences> {
  return sendPreferencesFrom((await sendPreferencesStatement(db, userIds).all<SendPreferencesRow>()).results);
}

/** What {@link loadSendPreferences} returns: the workspace defaults and each user's document and profile time zone. */
export interface SendPreferences {
  defaults: StoredPreferences;
  users: Map<string, { document: StoredPreferences; profileTimezone: string | null }>;
}

type SendPreferencesRow = { userId: string; document: string | null; profileTimezone: string | null; defaults: string | null };

/** The query of {@link loadSendPreferences}, to run inside a caller's `db.batch` (one round trip with its writes); read its rows with {@link sendPreferencesFrom}. */
export function sendPreferencesStatement(db: D1Database, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT j.value AS userId, p.document, u.timezone AS profileTimezone,
              (SELECT document FROM preference_defaults WHERE id = 'workspace') AS defaults
       FROM json_each(?1) AS j
       LEFT JOIN user_preferences p ON p.user_id = j.value
       LEFT JOIN users u ON u.id = j.value`,
    )
    .bind(JSON.stringify([...new Set(userIds)]));
}

/** The preferences in the rows of {@link sendPreferencesStatement}. */
export function sendPreferencesFrom(rows: readonly unknown[]): SendPreferences {
  const results = rows as SendPreferencesRow[];
  const defaults = results[0]?.defaults ? (JSON.parse(results[0].defaults) as StoredPreferences) : {};
  return {
    defaults,
    users: new Map(results.map((r) => [r.userId, { document: r.document ? (JSON.parse(r.document) as StoredPreferences) : {}, profileTimezone: r.profileTimezone }])),
  };
}
