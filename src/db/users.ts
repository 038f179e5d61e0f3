/**
 * The `users` table (docs/api.md#user-sync): written only by `PUT`/`DELETE /v1/users/{userId}` (src/sync/users.ts
 * decides the events); `version` grows by one on every real change, the soft delete included.
 */
import { z } from "zod";
import { type syncAcks, users } from "./schema";

export const UserStatus = z.enum(users.status.enumValues);

/**
 * A user row as stored (`$inferSelect`, times in ms), read through camelCase column aliases.
 * `attributes` stays canonical JSON text (the upsert compares it as text); callers parse it.
 */
export type UserRow = Omit<typeof users.$inferSelect, "attributes"> & { attributes: string | null };

/** Every column of `users` under its {@link UserRow} name, each prefixed with `table` (an alias, or none). */
const columns = (table = "") =>
  ["id", "email", "phone", "name", "locale", "timezone", "attributes", "status", "version", `created_at AS "createdAt"`, `updated_at AS "updatedAt"`, `deleted_at AS "deletedAt"`]
    .map((c) => table + c)
    .join(", ");
const COLUMNS = columns();

const FIELDS = ["email", "phone", "name", "locale", "timezone", "attributes"] as const;

// Per field: keep the stored value unless the request gave one (json_type is NULL only when absent).
const setField = (f: string) => `${f} = CASE WHEN json_type(?2, '$.${f}') IS NULL THEN users.${f} ELSE excluded.${f} END`;
const changed = (f: string) => `(json_type(?2, '$.${f}') IS NOT NULL AND users.${f} IS NOT excluded.${f})`;

/** Writes only on a real change (or a revival of a deleted user); RETURNING nothing otherwise. */
const UPSERT = `
  INSERT INTO users (id, email, phone, name, locale, timezone, attributes, status, version, created_at, updated_at, deleted_at)
  VALUES (?1, ?2->>'email', ?2->>'phone', ?2->>'name', ?2->>'locale', ?2->>'timezone', ?2->>'attributes',
          COALESCE(?2->>'status', 'active'), 1, ?3, ?3, NULL)
  ON CONFLICT (id) DO UPDATE SET
    ${FIELDS.map(setField).join(",\n    ")},
    status = COALESCE(?2->>'status', CASE WHEN users.deleted_at IS NOT NULL THEN 'active' ELSE users.status END),
    version = users.version + 1,
    created_at = CASE WHEN users.deleted_at IS NOT NULL THEN ?3 ELSE users.created_at END,
    updated_at = ?3,
    deleted_at = NULL
  WHERE users.deleted_at IS NOT NULL
     OR ${[...FIELDS.map(changed), "(json_type(?2, '$.status') IS NOT NULL AND users.status IS NOT excluded.status)"].join("\n     OR ")}
  RETURNING ${COLUMNS}`;

/**
 * The row before, and the upsert of `fields` (the fields given; absent ones keep their value),
 * in one batch: D1 runs a batch atomically and serially, so the caller judges the change
 * against exactly the row the write replaced.
 * @returns [previous row or none, written row or none (nothing changed)].
 */
export async function upsertUserRow(db: D1Database, userId: string, fields: Record<string, unknown>, now: number): Promise<[UserRow | undefined, UserRow | undefined]> {
  const [before, written] = await db.batch<UserRow>([db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?1`).bind(userId), db.prepare(UPSERT).bind(userId, JSON.stringify(fields), now)]);
  return [before!.results[0], written!.results[0]];
}

/** Soft-deletes a live user (version + 1). @returns the row, or null when there was no live user. */
export async function softDeleteUser(db: D1Database, userId: string, now: number): Promise<UserRow | null> {
  return db.prepare(`UPDATE users SET deleted_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1 AND deleted_at IS NULL RETURNING ${COLUMNS}`).bind(userId, now).first<UserRow>();
}

/** A live user, or null. */
export async function findLiveUser(db: D1Database, userId: string): Promise<UserRow | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?1 AND deleted_at IS NULL`).bind(userId).first<UserRow>();
}

/** Users by id, deleted ones included, one query. */
export async function findUsers(db: D1Database, ids: string[]): Promise<UserRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM users WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids)).all<UserRow>();
  return results;
}

/**
 * Row shape of a reconciliation scan: a user with the `sync_acks.version` the target acknowledged
 * (null: none) and whether a delivery to it is pending (1) or not (0).
 */
export type UserScanRow = UserRow & { acked: (typeof syncAcks.$inferSelect)["version"] | null; pending: 0 | 1 };

/**
 * Users after `cursor` in id order, each with what `targetId` acknowledged and whether a delivery
 * to it is pending (the reconciliation scan, src/sync/reconcile.ts).
 */
export async function scanUsersForTarget(db: D1Database, targetId: string, cursor: string, limit: number): Promise<UserScanRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${columns("u.")}, a.version AS acked,
         EXISTS (SELECT 1 FROM sync_deliveries d WHERE d.target_id = ?1 AND d.user_id = u.id AND d.status = 'pending') AS pending
       FROM users u LEFT JOIN sync_acks a ON a.target_id = ?1 AND a.user_id = u.id
       WHERE u.id > ?2 ORDER BY u.id LIMIT ?3`,
    )
    .bind(targetId, cursor, limit)
    .all<UserScanRow>();
  return results;
}
