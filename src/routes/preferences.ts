/**
 * Preferences (docs/api.md#preferences): a user's versioned preference document, read and changed
 * by RFC 7396 merge patches — by the user (`/v1/me/preferences`, user token) or the backend
 * (`/v1/users/{userId}/preferences`, API key) — the workspace defaults under every user's own,
 * and the bulk patch.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { BatchItemError, commonErrors, jsonRequest, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { UserId } from "../notifications/input";
import { loadPreferenceDefaults, replacePreferenceDefaults } from "../db/preference-defaults";
import { effectivePreferences, EffectivePreferencesView, PreferencePatch, PreferencePatchBody, PREFERENCES_EXAMPLE, StoredPreferences } from "../preferences/document";
import { PREFERENCES_LINK_TTL_MS, preferencesUrl } from "../preferences/links";
import { bulkPatchPreferences, MAX_BULK_ITEMS, patchPreferences, preferencesOf, type PreferencesView } from "../preferences/store";

export const preferences = createRouter();
preferences.openAPIRegistry.register("PreferencePatch", PreferencePatch);

const userSecurity = [{ userToken: [] }];

const IfMatch = z.object({
  "if-match": z
    .string()
    .regex(/^(W\/)?"?\d{1,15}"?$/, "A version number, as `GET` returned it (quotes allowed).")
    .optional()
    .openapi({ description: "Apply only if the document is still at this version; else 412 `precondition_failed`." }),
});
const patchRequest = {
  headers: IfMatch,
  body: {
    required: true,
    content: { "application/merge-patch+json": { schema: PreferencePatchBody }, "application/json": { schema: PreferencePatchBody } },
  },
};
const ifMatchOf = (header: string | undefined) => (header === undefined ? null : Number(header.replace(/\D/g, "")));

const documentResponse = (description: string) => ({ description, content: { "application/json": { schema: EffectivePreferencesView } } });
const patchResponses = {
  200: documentResponse("The whole effective document after the patch, with its new `version`"),
  ...commonErrors,
  412: problemResponse("`If-Match` is stale"),
};

/** Answers the document with its version as a strong ETag, so `If-Match` can echo it. */
const answer = (c: Context<AppEnv>, view: PreferencesView) => {
  c.header("ETag", `"${view.version}"`);
  return c.json(view, 200);
};

const PATCH_DESCRIPTION = [
  "An RFC 7396 JSON Merge Patch (`application/merge-patch+json` or `application/json`): members merge, `null` removes one.",
  "Applied inside the database, so concurrent patches to different members all survive. Unknown channels, bad category",
  "names (`^[a-z0-9_.-]{1,64}$`), bad `HH:MM` times or IANA zones, a patch over 16 KiB or a result with more than 200",
  "categories → 400 `validation_failed` naming the field, nothing stored.",
].join(" ");

preferences.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/preferences",
    operationId: "getMyPreferences",
    tags: ["preferences"],
    summary: "Read my preferences",
    description: "The effective document: what the user set, over the workspace defaults, over everything on.",
    security: userSecurity,
    responses: { 200: documentResponse("The effective document"), ...commonErrors },
  }),
  async (c) => answer(c, await preferencesOf(c.env.DB, userOf(c))),
);

preferences.openapi(
  createRoute({
    method: "patch",
    path: "/v1/me/preferences",
    operationId: "updateMyPreferences",
    tags: ["preferences"],
    summary: "Change my preferences",
    description: PATCH_DESCRIPTION,
    security: userSecurity,
    request: patchRequest,
    responses: patchResponses,
  }),
  async (c) => answer(c, await patchPreferences(c.env.DB, userOf(c), await c.req.json(), ifMatchOf(c.req.valid("header")["if-match"]))),
);

const params = z.object({ userId: UserId });

preferences.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/preferences",
    operationId: "getUserPreferences",
    tags: ["preferences"],
    summary: "Read a user's preferences",
    description: "The user's effective document (their own settings over the workspace defaults) with its `version`.",
    request: { params },
    responses: { 200: documentResponse("The effective document"), ...commonErrors },
  }),
  async (c) => answer(c, await preferencesOf(c.env.DB, c.req.valid("param").userId)),
);

preferences.openapi(
  createRoute({
    method: "patch",
    path: "/v1/users/{userId}/preferences",
    operationId: "updateUserPreferences",
    tags: ["preferences"],
    summary: "Change a user's preferences",
    description: PATCH_DESCRIPTION,
    request: { params, ...patchRequest },
    responses: patchResponses,
  }),
  async (c) => answer(c, await patchPreferences(c.env.DB, c.req.valid("param").userId, await c.req.json(), ifMatchOf(c.req.valid("header")["if-match"]))),
);

const DefaultsView = z
  .object({
    channels: EffectivePreferencesView.shape.channels,
    categories: EffectivePreferencesView.shape.categories,
    quietHours: EffectivePreferencesView.shape.quietHours,
    unsubscribed: EffectivePreferencesView.shape.unsubscribed,
    version: z.number().int().describe("Grows with every change of the defaults."),
    updatedAt: z.string().nullable().describe("When the defaults last changed (ISO 8601); null before the first change."),
  })
  .openapi("PreferenceDefaultsView", { example: PREFERENCES_EXAMPLE });

const defaultsView = (d: Awaited<ReturnType<typeof loadPreferenceDefaults>>) => ({
  ...effectivePreferences({}, d.document),
  version: d.version,
  updatedAt: d.updatedAt === null ? null : new Date(d.updatedAt).toISOString(),
});

preferences.openapi(
  createRoute({
    method: "get",
    path: "/v1/preferences/defaults",
    operationId: "getPreferenceDefaults",
    tags: ["preferences"],
    summary: "Read the workspace defaults",
    description: "What every user gets for the members they have not set (missing here too: on).",
    responses: { 200: { description: "The defaults", content: { "application/json": { schema: DefaultsView } } }, ...commonErrors },
  }),
  async (c) => c.json(defaultsView(await loadPreferenceDefaults(c.env.DB)), 200),
);

preferences.openapi(
  createRoute({
    method: "put",
    path: "/v1/preferences/defaults",
    operationId: "replacePreferenceDefaults",
    tags: ["preferences"],
    summary: "Replace the workspace defaults",
    description: "The whole defaults document (no nulls); validated as a patch is.",
    request: jsonRequest(StoredPreferences),
    responses: { 200: { description: "The new defaults", content: { "application/json": { schema: DefaultsView } } }, ...commonErrors },
  }),
  async (c) => {
    await replacePreferenceDefaults(c.env.DB, c.req.valid("json"), Date.now());
    return c.json(defaultsView(await loadPreferenceDefaults(c.env.DB)), 200);
  },
);

const BulkRequest = z
  .object({
    // Items are validated one by one in the handler, so one bad item is `invalid`, not a 400 for all.
    items: z
      .array(z.unknown())
      .min(1)
      .describe(`1 to ${MAX_BULK_ITEMS} \`{userId, patch}\` items, one per user.`)
      .openapi({
        items: {
          type: "object",
          properties: {
            userId: { type: "string", description: "The user whose preferences change." },
            patch: { $ref: "#/components/schemas/PreferencePatch", description: "The RFC 7396 merge patch for that user." },
          },
        },
        maxItems: MAX_BULK_ITEMS,
      }),
  })
  .strict()
  .openapi("PreferenceBulkRequest", {
    example: {
      items: [
        { userId: "user_42", patch: { categories: { marketing: { enabled: false } } } },
        { userId: "user_43", patch: { channels: { sms: false } } },
      ],
    },
  });

const BulkResponse = z
  .object({
    results: z
      .array(
        z.object({
          index: z.number().int().describe("Position of the item in the request's `items`, from 0."),
          userId: z.string().nullable().describe("The item's user (`null` when the item had none)."),
          status: z.enum(["updated", "invalid", "failed"]).describe("`updated` stored; `invalid` refused, nothing stored; `failed` transient, retry it."),
          version: z.number().int().nullable().describe("The user's new document version, when `updated`."),
          error: BatchItemError.optional().describe("Why an item is `invalid` or `failed`."),
        }),
      )
      .describe("One result per item, in request order."),
    summary: z
      .object({
        updated: z.number().int().describe("Items stored."),
        invalid: z.number().int().describe("Items refused."),
        failed: z.number().int().describe("Items that failed transiently; retry them."),
      })
      .describe("How many items ended in each status."),
  })
  .openapi("PreferenceBulkResponse", {
    example: {
      results: [
        { index: 0, userId: "user_42", status: "updated", version: 5 },
        { index: 1, userId: "user_43", status: "updated", version: 2 },
      ],
      summary: { updated: 2, invalid: 0, failed: 0 },
    },
  });

preferences.openapi(
  createRoute({
    method: "post",
    path: "/v1/preferences/bulk",
    operationId: "updatePreferencesInBulk",
    tags: ["preferences"],
    summary: "Patch many users' preferences",
    description: [
      `Up to ${MAX_BULK_ITEMS} \`{userId, patch}\` items, each an RFC 7396 merge patch as in \`PATCH /v1/users/{userId}/preferences\`.`,
      "Per-item results in request order: `updated` (with the new `version`), `invalid` (the item failed validation, its user",
      "repeats an earlier item, or the result would exceed 200 categories; nothing stored for it), `failed` (transient: retry it).",
    ].join(" "),
    request: jsonRequest(BulkRequest),
    responses: { 200: { description: "Per-item results", content: { "application/json": { schema: BulkResponse } } }, ...commonErrors },
  }),
  async (c) => {
    const { items } = c.req.valid("json");
    if (items.length > MAX_BULK_ITEMS) throw new ApiError("payload_too_large", `A bulk request holds at most ${MAX_BULK_ITEMS} items; this one has ${items.length}.`);
    return c.json(await bulkPatchPreferences(c.env.DB, items), 200);
  },
);

/** A link to the hosted preference page. */
const PreferencesLink = z
  .object({
    url: z.string().describe("The hosted preference page, `/preferences?token=...`, under PUBLIC_URL."),
    expiresAt: z.string().describe("When the link stops working (ISO 8601)."),
  })
  .openapi("PreferencesLink", { example: { url: "https://herald.example.com/preferences?token=eyJhbGciOi...", expiresAt: "2026-03-31T09:00:00.000Z" } });

preferences.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/preferences/link",
    operationId: "createMyPreferencesLink",
    tags: ["preferences"],
    summary: "Get a link to my hosted preference page",
    description: `A \`/preferences?token=\` URL for the calling user, valid ${PREFERENCES_LINK_TTL_MS / 86_400_000} days (the /inbox page links to it).`,
    security: userSecurity,
    responses: {
      201: { description: "The link", content: { "application/json": { schema: PreferencesLink } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const now = Date.now();
    return c.json({ url: await preferencesUrl(c.env, userOf(c), now), expiresAt: new Date(now + PREFERENCES_LINK_TTL_MS).toISOString() }, 201);
  },
);
