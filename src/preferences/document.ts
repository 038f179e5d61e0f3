/**
 * The preference document (docs/api.md#preferences): its patch and stored shapes, and the
 * effective document a user sees — their own members over the workspace defaults over
 * "everything on". Stored documents hold only what was set; RFC 7396 merge patches change them.
 */
import { z } from "@hono/zod-openapi";
import { Category, Channel } from "../notifications/input";
import type { EffectivePreferences, PreferencesMergePatch } from "./types";

/** At most this many categories in one document (docs/api.md#preferences). */
export const MAX_CATEGORIES = 200;
/** A merge patch is at most 16 KiB of JSON (docs/api.md#preferences). */
export const MAX_PATCH_BYTES = 16 * 1024;

/** Whether `zone` is an IANA time zone this runtime knows (`Intl` throws a RangeError otherwise). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const TimeZone = z.string().max(64).refine(isTimeZone, "An IANA time zone, e.g. Europe/Berlin.").openapi({ example: "Europe/Berlin" });
const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 00:00–23:59.")
  .openapi({ example: "22:00" });

// Two shapes per member: as stored (no nulls) and in a merge patch (null removes it, RFC 7396).
const channelShape = <T extends z.ZodType>(value: T) => z.object({ in_app: value, email: value, sms: value, push: value }).strict();
const StoredSwitches = channelShape(z.boolean().optional());
const PatchSwitches = channelShape(z.boolean().nullable().optional());
const StoredCategory = z.object({ enabled: z.boolean().optional(), channels: StoredSwitches.optional() }).strict();
const PatchCategory = z.object({ enabled: z.boolean().nullable().optional(), channels: PatchSwitches.nullable().optional() }).strict();
/** Quiet hours are written whole (start and end together), so a merge can never leave half a window. */
const QuietHours = z
  .object({
    start: ClockTime,
    end: ClockTime,
    timezone: TimeZone.optional(),
    channels: z.array(Channel).max(4).optional().openapi({ description: "Channels held; default email, sms, push (in-app is never held)." }),
  })
  .strict()
  .openapi("QuietHours");
const categories = <T extends z.ZodType>(value: T) =>
  z.record(Category, value).refine((r) => Object.keys(r).length <= MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories.`);

/** What a user (or the workspace) has set: the stored document, with no nulls. */
export const StoredPreferences = z
  .object({
    channels: StoredSwitches.optional(),
    categories: categories(StoredCategory).optional(),
    quietHours: QuietHours.optional(),
    /** One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe. */
    unsubscribed: categories(StoredSwitches).optional(),
  })
  .strict()
  .openapi("PreferenceDefaults");
export type StoredPreferences = z.infer<typeof StoredPreferences>;

/** An RFC 7396 merge patch of a {@link StoredPreferences}: any member may be null to remove it. */
export const PreferencePatch = z
  .object({
    channels: PatchSwitches.nullable().optional(),
    categories: categories(PatchCategory.nullable()).nullable().optional(),
    quietHours: QuietHours.nullable().optional(),
    unsubscribed: categories(PatchSwitches.nullable()).nullable().optional(),
  })
  .strict()
  .openapi("PreferencePatch");
export type PreferencePatch = z.infer<typeof PreferencePatch>;
// The wire types (./types.ts) must describe what the schemas accept: a drift fails the typecheck.
type Assignable<A extends B, B> = A;
export type PatchMatchesWire = Assignable<PreferencePatch, PreferencesMergePatch>;

export type { EffectivePreferences } from "./types";

export const EffectivePreferencesView = z
  .object({
    channels: channelShape(z.boolean()),
    categories: z.record(z.string(), StoredCategory),
    quietHours: QuietHours.nullable(),
    unsubscribed: z.record(z.string(), StoredSwitches),
    version: z.number().int().openapi({ description: "Grows with every change; send it as `If-Match`. 0 before the first." }),
    updatedAt: z.string().nullable(),
  })
  .openapi("Preferences");

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7396 MergePatch(target, patch): objects merge member by member, null removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const EVERYTHING_ON: EffectivePreferences = {
  channels: { in_app: true, email: true, sms: true, push: true },
  categories: {},
  quietHours: null,
  unsubscribed: {},
};

/** The effective document of a user: `own` over the workspace `defaults` over everything on. */
export function effectivePreferences(defaults: StoredPreferences, own: StoredPreferences): EffectivePreferences {
  const merged = mergePatch(mergePatch(EVERYTHING_ON, defaults), own) as EffectivePreferences;
  return { ...merged, quietHours: merged.quietHours ?? null };
}

/** UTF-8 size of a JSON value, for {@link MAX_PATCH_BYTES}. */
export const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
