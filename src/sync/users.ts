/**
 * Users and their versioned change events (docs/api.md#user-sync; seed problem: users created or changed in
 * one service never reached the others). Every real change increments `version` inside one D1
 * transaction, so concurrent upserts of one user serialise: none is lost, no version is reused.
 */
import { findLiveUser, findUsers, softDeleteUser, upsertUserRow, UserStatus, type UserRow } from "../db/users";
import { z } from "@hono/zod-openapi";
import { canonicalJson } from "../lib/fingerprint";

export const USER_EVENT_TYPES = ["user.created", "user.updated", "user.status_changed", "user.deleted", "user.snapshot"] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** docs/api.md#limits caps notification data at 16 KiB; user attributes get the same bound. */
const MAX_ATTRIBUTES_BYTES = 16 * 1024;

/** `PUT /v1/users/{userId}` body: fields given are set (null clears), fields omitted are kept. */
export const UserInput = z
  .object({
    email: z.email().max(254).nullable().optional().describe("Email address for the email channel; `null` clears it."),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, "E.164, e.g. +14155550123").nullable().optional().describe("Phone number in E.164 (`+14155550123`) for SMS; `null` clears it."),
    name: z.string().min(1).max(200).nullable().optional().describe("Display name, 1–200 characters; `null` clears it."),
    locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "A BCP 47 tag, e.g. en-GB").nullable().optional().describe("BCP 47 language tag (`en-GB`); `null` clears it."),
    timezone: z
      .string()
      .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, "An IANA time zone, e.g. Europe/Paris")
      .max(64)
      .nullable()
      .optional()
      .describe("IANA time zone (`Europe/Paris`), used by quiet hours; `null` clears it."),
    attributes: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .refine((a) => a == null || new TextEncoder().encode(JSON.stringify(a)).byteLength <= MAX_ATTRIBUTES_BYTES, "At most 16 KiB of JSON.")
      .describe("Your own key/value data, at most 16 KiB of JSON; replaced whole, `null` clears it."),
    status: UserStatus.optional().describe("Account status; a change emits `user.status_changed`."),
  })
  .strict()
  .openapi("UserInput", {
    example: { email: "ada@example.com", phone: "+14155550123", name: "Ada Lovelace", locale: "en-GB", timezone: "Europe/London", attributes: { plan: "pro" }, status: "active" },
  });
export type UserInput = z.infer<typeof UserInput>;

export const UserView = z
  .object({
    id: z.string().describe("The user's id in your systems."),
    email: z.string().nullable().describe("Email address."),
    phone: z.string().nullable().describe("Phone number (E.164)."),
    name: z.string().nullable().describe("Display name."),
    locale: z.string().nullable().describe("BCP 47 language tag."),
    timezone: z.string().nullable().describe("IANA time zone."),
    attributes: z.record(z.string(), z.unknown()).nullable().describe("Your own key/value data."),
    status: UserStatus.describe("Account status."),
    version: z.number().int().describe("Increments on every real change; sync targets apply the highest version they have seen."),
    createdAt: z.string().describe("When the user was created (ISO 8601)."),
    updatedAt: z.string().describe("When the user last changed (ISO 8601)."),
    deletedAt: z.string().nullable().describe("When the user was deleted (ISO 8601); `null` while not deleted."),
  })
  .openapi("User", {
    example: {
      id: "user_42",
      email: "ada@example.com",
      phone: "+14155550123",
      name: "Ada Lovelace",
      locale: "en-GB",
      timezone: "Europe/London",
      attributes: { plan: "pro" },
      status: "active",
      version: 3,
      createdAt: "2026-03-01T09:00:00.000Z",
      updatedAt: "2026-03-02T10:30:00.000Z",
      deletedAt: null,
    },
  });
export type UserView = z.infer<typeof UserView>;

export interface UserEvent {
  type: UserEventType;
  userId: string;
  version: number;
  user: UserView;
  /** ms since the epoch. */
  at: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    locale: row.locale,
    timezone: row.timezone,
    attributes: row.attributes === null ? null : (JSON.parse(row.attributes) as Record<string, unknown>),
    status: row.status,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

/**
 * Upserts a user. Reads the previous row and writes in one transaction (D1 runs a batch
 * atomically and serially), so the event type is decided on the state the write replaced.
 * @returns the user now, whether it was created, and the event to emit — `null` when nothing
 *          changed (an unchanged upsert emits nothing and keeps `version`).
 */
export async function upsertUser(db: D1Database, userId: string, input: UserInput, now = Date.now()): Promise<{ user: UserView; created: boolean; event: UserEvent | null }> {
  // Attributes are stored as canonical JSON text so an equal object compares equal in SQL.
  const fields: Record<string, unknown> = { ...input };
  if (input.attributes !== undefined) fields.attributes = input.attributes === null ? null : canonicalJson(input.attributes);
  const [old, row] = await upsertUserRow(db, userId, fields, now);
  if (!row) return { user: toUserView(old!), created: false, event: null };
  const created = !old || old.deletedAt !== null;
  const type: UserEventType = created ? "user.created" : old.status !== row.status ? "user.status_changed" : "user.updated";
  const user = toUserView(row);
  return { user, created, event: { type, userId, version: row.version, user, at: now } };
}

/**
 * Soft-deletes a user: `deleted_at` set, `version` incremented, `user.deleted` emitted.
 * @returns null when there is no live user with this id.
 */
export async function deleteUser(db: D1Database, userId: string, now = Date.now()): Promise<UserEvent | null> {
  const row = await softDeleteUser(db, userId, now);
  if (!row) return null;
  const user = toUserView(row);
  return { type: "user.deleted", userId, version: row.version, user, at: now };
}

/** A live user by id, or null (deleted users are gone from the API). */
export async function getUser(db: D1Database, userId: string): Promise<UserView | null> {
  const row = await findLiveUser(db, userId);
  return row ? toUserView(row) : null;
}

/** Users by id (deleted ones included, for snapshots), one query. */
export async function loadUsers(db: D1Database, ids: string[]): Promise<Map<string, UserView>> {
  if (ids.length === 0) return new Map();
  const results = await findUsers(db, ids);
  return new Map(results.map((r) => [r.id, toUserView(r)]));
}
