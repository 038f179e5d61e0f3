/**
 * Reading and changing preference documents (docs/api.md#preferences): validation of merge patches,
 * the single versioned `PATCH` with `If-Match`, and the set-based bulk patch.
 */
import type { z } from "@hono/zod-openapi";
import { loadPreferenceDefaults } from "../db/preference-defaults";
import { loadUserPreferences, patchPreferencesStatement } from "../db/user-preferences";
import { packJson } from "../lib/json-pack";
import { ApiError, type FieldError } from "../lib/errors";
import { fieldErrors } from "../http/router";
import { UserId } from "../notifications/input";
import { effectivePreferences, type EffectivePreferencesView, jsonBytes, MAX_CATEGORIES, MAX_PATCH_BYTES, PreferencePatch } from "./document";

export type PreferencesView = z.infer<typeof EffectivePreferencesView>;

/** At most this many items in `POST /v1/preferences/bulk` (docs/api.md#preferences). */
export const MAX_BULK_ITEMS = 1000;

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

const TOO_MANY_CATEGORIES: FieldError = { path: "categories", message: `At most ${MAX_CATEGORIES} categories after the merge.` };

/**
 * Validates a merge patch: at most 16 KiB of JSON, known channels, category names, HH:MM times,
 * IANA zones, at most 200 categories. @returns the errors (paths under `prefix`), empty when valid.
 */
export function patchErrors(patch: unknown, prefix: (string | number)[] = []): FieldError[] {
  if (jsonBytes(patch) > MAX_PATCH_BYTES) return [{ path: prefix.join("."), message: `A patch is at most ${MAX_PATCH_BYTES} bytes of JSON.` }];
  const parsed = PreferencePatch.safeParse(patch);
  return parsed.success ? [] : fieldErrors(parsed.error, prefix);
}

/** The effective document of `userId` with its version, as the API shows it. */
export async function preferencesOf(db: D1Database, userId: string): Promise<PreferencesView> {
  const [defaults, own] = await Promise.all([loadPreferenceDefaults(db), loadUserPreferences(db, [userId])]);
  const stored = own.get(userId)!;
  return { ...effectivePreferences(defaults.document, stored.document), version: stored.version, updatedAt: stored.updatedAt === null ? null : new Date(stored.updatedAt).toISOString() };
}

/**
 * Applies one RFC 7396 merge patch to `userId`'s document inside SQLite (`json_patch`), so a
 * concurrent patch to another member is never lost.
 * @param ifMatch the version the caller last saw, or null.
 * @throws ApiError `validation_failed` naming the field (nothing stored); `precondition_failed`
 *         (412) when `ifMatch` is not the current version.
 */
export async function patchPreferences(db: D1Database, userId: string, patch: unknown, ifMatch: number | null, now = Date.now()): Promise<PreferencesView> {
  const errors = patchErrors(patch);
  if (errors.length > 0) throw new ApiError("validation_failed", "The preference patch is invalid; nothing was stored.", { errors });
  const changed = await patchPreferencesStatement(db, JSON.stringify([{ userId, patch }]), now, ifMatch).all<{ userId: string; version: number }>();
  if (changed.results.length === 0) {
    const current = (await loadUserPreferences(db, [userId])).get(userId)!;
    if (ifMatch !== null && current.version !== ifMatch) {
      throw new ApiError("precondition_failed", `If-Match ${ifMatch} is stale: the preferences are at version ${current.version}.`);
    }
    throw new ApiError("validation_failed", "The preference patch is invalid; nothing was stored.", { errors: [TOO_MANY_CATEGORIES] });
  }
  return preferencesOf(db, userId);
}

/** One item's outcome in `POST /v1/preferences/bulk`, in request order. */
export interface BulkResult {
  index: number;
  userId: string | null;
  status: "updated" | "invalid" | "failed";
  version: number | null;
  error?: { code: string; detail: string; errors?: FieldError[] };
}

/**
 * Applies many merge patches set-based: one statement per ~90 KB of patches; a chunk that fails
 * marks only its own items `failed`. An item is
 * `invalid` when its user id or patch is, when its user already appears earlier in the request,
 * or when the merge would exceed 200 categories.
 */
export async function bulkPatchPreferences(db: D1Database, items: readonly unknown[], now = Date.now()): Promise<{ results: BulkResult[]; summary: Record<BulkResult["status"], number> }> {
  const results: BulkResult[] = [];
  const valid: { index: number; userId: string; patch: unknown }[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const record = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
    const userId = UserId.safeParse(record.userId);
    const errors = [
      ...(userId.success ? [] : fieldErrors(userId.error, ["userId"])),
      ...(record.patch === undefined ? [{ path: "patch", message: "Required." }] : patchErrors(record.patch, ["patch"])),
      ...Object.keys(record).filter((k) => k !== "userId" && k !== "patch").map((k) => ({ path: k, message: "Unknown member." })),
    ];
    if (userId.success && seen.has(userId.data)) errors.push({ path: "userId", message: "This user already appears earlier in the request." });
    if (errors.length > 0) {
      results[index] = { index, userId: userId.success ? userId.data : null, status: "invalid", version: null, error: { code: "validation_failed", detail: "The item is invalid; nothing was stored for it.", errors } };
      return;
    }
    seen.add(userId.data!);
    valid.push({ index, userId: userId.data!, patch: record.patch });
  });

  await Promise.all(
    packJson(valid, STATEMENT_JSON_BYTES, (v) => JSON.stringify({ userId: v.userId, patch: v.patch })).map(async ({ items: chunk, json }) => {
      try {
        const { results: changed } = await patchPreferencesStatement(db, json, now).all<{ userId: string; version: number }>();
        const versions = new Map(changed.map((r) => [r.userId, r.version]));
        for (const v of chunk) {
          const version = versions.get(v.userId);
          results[v.index] =
            version !== undefined
              ? { index: v.index, userId: v.userId, status: "updated", version }
              : { index: v.index, userId: v.userId, status: "invalid", version: null, error: { code: "validation_failed", detail: "The merge would exceed the category limit.", errors: [TOO_MANY_CATEGORIES] } };
        }
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "preference bulk chunk failed", items: chunk.length, error: String(error) }));
        for (const v of chunk) results[v.index] = { index: v.index, userId: v.userId, status: "failed", version: null, error: { code: "internal", detail: "A transient error; retry this item." } };
      }
    }),
  );
  const summary = { updated: 0, invalid: 0, failed: 0 };
  for (const r of results) summary[r.status] += 1;
  return { results, summary };
}
