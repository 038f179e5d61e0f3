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

const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, "An IANA time zone, e.g. Europe/Berlin.")
  .describe("IANA time zone the window is in; default: the user's `timezone`, else UTC.")
  .openapi({ example: "Europe/Berlin" });
const clockTime = (description: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 00:00–23:59.")
    .describe(description)
    .openapi({ example: "22:00" });

// Two shapes per member: as stored (no nulls) and in a merge patch (null removes it, RFC 7396).
const channelShape = <T extends z.ZodType>(value: T) =>
  z
    .object({
      in_app: value.describe("The in-app inbox and WebSocket."),
      email: value.describe("Email."),
      sms: value.describe("SMS."),
      push: value.describe("Web Push."),
    })
    .strict();
const StoredSwitches = channelShape(z.boolean().optional());
const PatchSwitches = channelShape(z.boolean().nullable().optional());
const categoryEnabled = "False turns the whole category off, on every channel.";
const categoryChannels = "Per-channel switches inside this category, over the top-level ones.";
const StoredCategory = z.object({ enabled: z.boolean().optional().describe(categoryEnabled), channels: StoredSwitches.optional().describe(categoryChannels) }).strict();
const PatchCategory = z
  .object({ enabled: z.boolean().nullable().optional().describe(categoryEnabled), channels: PatchSwitches.nullable().optional().describe(categoryChannels) })
  .strict();
/** Quiet hours are written whole (start and end together), so a merge can never leave half a window. */
const QUIET_HOURS_EXAMPLE = { start: "22:00", end: "07:00", timezone: "Europe/Berlin", channels: ["email", "sms", "push"] as Channel[] };
const QuietHours = z
  .object({
    start: clockTime("Start of the quiet window, HH:MM local time."),
    end: clockTime("End of the quiet window, HH:MM local time; before `start` means it spans midnight."),
    timezone: TimeZone.optional(),
    channels: z.array(Channel).max(4).optional().openapi({ description: "Channels held; default email, sms, push (in-app is never held)." }),
  })
  .strict()
  .openapi("QuietHours", { example: QUIET_HOURS_EXAMPLE });
const categories = <T extends z.ZodType>(value: T) =>
  z.record(Category, value).refine((r) => Object.keys(r).length <= MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories.`);

const DESCRIPTIONS = {
  channels: "Channel switches that apply to every category: false turns a channel off.",
  categories: "Per-category settings, keyed by category (at most 200).",
  unsubscribed: "One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe.",
} as const;

/** What a user (or the workspace) has set: the stored document, with no nulls. */
export const StoredPreferences = z
  .object({
    channels: StoredSwitches.optional().describe(DESCRIPTIONS.channels),
    categories: categories(StoredCategory).optional().describe(DESCRIPTIONS.categories),
    quietHours: QuietHours.optional(),
    unsubscribed: categories(StoredSwitches).optional().describe(DESCRIPTIONS.unsubscribed),
  })
  .strict()
  .openapi("PreferenceDefaults", {
    example: {
      channels: { in_app: true, email: true, sms: false, push: true },
      categories: { marketing: { enabled: false }, billing: { channels: { sms: true } } },
      quietHours: QUIET_HOURS_EXAMPLE,
      unsubscribed: {},
    },
  });
export type StoredPreferences = z.infer<typeof StoredPreferences>;

/** An RFC 7396 merge patch of a {@link StoredPreferences}: any member may be null to remove it. */
export const PreferencePatch = z
  .object({
    channels: PatchSwitches.nullable().optional().describe(`${DESCRIPTIONS.channels} Null removes every switch.`),
    categories: categories(PatchCategory.nullable()).nullable().optional().describe(`${DESCRIPTIONS.categories} Null removes a category's settings.`),
    quietHours: QuietHours.nullable().optional().describe("The quiet window, written whole; null removes it."),
    unsubscribed: categories(PatchSwitches.nullable()).nullable().optional().describe(DESCRIPTIONS.unsubscribed),
  })
  .strict()
  .openapi("PreferencePatch", {
    description: "An RFC 7396 merge patch: members given replace, `null` removes, members omitted are kept.",
    example: { channels: { sms: false }, categories: { marketing: { enabled: false } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" } },
  });
export type PreferencePatch = z.infer<typeof PreferencePatch>;

/**
 * The body schema of the patch routes: any JSON object, checked against {@link PreferencePatch}
 * in the handler (src/preferences/store.ts `patchErrors`), so the 16 KiB limit is judged first.
 */
export const PreferencePatchBody = z.record(z.string(), z.unknown()).openapi({
  description: "An RFC 7396 merge patch of the document: see the `PreferencePatch` schema.",
  example: { channels: { sms: false }, categories: { marketing: { enabled: false } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" } },
});
// The wire types (./types.ts) must describe what the schemas accept: a drift fails the typecheck.
type Assignable<A extends B, B> = A;
export type PatchMatchesWire = Assignable<PreferencePatch, PreferencesMergePatch>;

export type { EffectivePreferences } from "./types";

/** The effective document of a user who turned SMS and marketing off: the example of every response carrying one. */
export const PREFERENCES_EXAMPLE = {
  channels: { in_app: true, email: true, sms: false, push: true },
  categories: { marketing: { enabled: false } },
  quietHours: QUIET_HOURS_EXAMPLE,
  unsubscribed: { newsletter: { email: true } },
  version: 4,
  updatedAt: "2026-03-01T09:00:00.000Z",
};

export const EffectivePreferencesView = z
  .object({
    channels: channelShape(z.boolean()).describe("Effective channel switches: the user's over the workspace defaults over all on."),
    categories: z.record(z.string(), StoredCategory).describe(DESCRIPTIONS.categories),
    quietHours: QuietHours.nullable().describe("The quiet window in force, or null."),
    unsubscribed: z.record(z.string(), StoredSwitches).describe(DESCRIPTIONS.unsubscribed),
    version: z.number().int().openapi({ description: "Grows with every change; send it as `If-Match`. 0 before the first." }),
    updatedAt: z.string().nullable().describe("When the user's own document last changed (ISO 8601); null before the first change."),
  })
  .openapi("Preferences", { example: PREFERENCES_EXAMPLE });


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
