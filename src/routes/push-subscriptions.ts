/**
 * Web Push subscriptions of the calling user (docs/protocol.md), stored in D1 `push_subscriptions`
 * (src/db/push-subscriptions.ts) for the push channel to send to. The body is what a browser's
 * `PushSubscription.toJSON()` gives (W3C Push API): `{endpoint, expirationTime, keys: {p256dh, auth}}`.
 * Endpoints must be at a known push service (src/lib/url-policy.ts, `PUSH_ENDPOINT_HOSTS` adds
 * hosts), and a user holds at most 20 (docs/data-model.md#per-user-caps).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { deletePushSubscription, listPushSubscriptions, MAX_PUSH_SUBSCRIPTIONS_PER_USER, type PushSubscriptionRow, upsertPushSubscription } from "../db/push-subscriptions";
import type { Bindings } from "../env";
import { userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, pageSchema, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { extraPushHosts, pushEndpointRefusal } from "../lib/url-policy";

export const pushSubscriptions = createRouter();

/** Bytes of a base64url string (RFC 4648 §5, padding optional), or null when it is not one. */
function base64UrlBytes(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(value)) return null;
  try {
    return Uint8Array.from(atob(value.replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "")), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The largest time value a Date holds, ms since the epoch (ECMA-262 §21.4.1.1: ±8.64e15). */
const MAX_DATE_MS = 8.64e15;

/** Push service URLs are https (W3C Push API); 2,048 characters is far above any real one. */
const Endpoint = z
  .url({ protocol: /^https$/, error: "An https URL." })
  .max(2048)
  .describe("The push service URL from the browser's `PushSubscription` (https, a known push service).")
  .openapi({ example: "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE" });

/** What `PushSubscription.toJSON()` gives in a browser (keys of the right sizes, not a real subscription). */
const PUSH_SUBSCRIPTION_EXAMPLE = {
  endpoint: "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE",
  expirationTime: null,
  keys: {
    p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    auth: "tBHItJI5svbpez7KI4CCXg",
  },
};

const PushSubscriptionInput = z
  .object({
    endpoint: Endpoint,
    // At most the last instant a JavaScript Date can hold (ECMA-262 §21.4.1.1), so it renders as ISO-8601.
    expirationTime: z.number().nonnegative().max(MAX_DATE_MS).nullable().optional().openapi({ description: "When the browser will drop it, in ms since the epoch." }),
    keys: z
      .object({
        // RFC 8291: the user agent's P-256 public key, uncompressed (65 bytes, first byte 0x04)…
        p256dh: z.string().refine((v) => {
          const bytes = base64UrlBytes(v);
          return bytes?.length === 65 && bytes[0] === 4;
        }, "A base64url uncompressed P-256 public key (65 bytes).").describe("The browser's P-256 public key, base64url (65 bytes, uncompressed)."),
        // …and the 16-byte authentication secret.
        auth: z.string().refine((v) => base64UrlBytes(v)?.length === 16, "A base64url 16-byte secret.").describe("The browser's 16-byte authentication secret, base64url."),
      })
      .strict()
      .describe("The subscription's encryption keys (RFC 8291), as `PushSubscription.toJSON()` gives them."),
  })
  .strict()
  .openapi("PushSubscription", { example: PUSH_SUBSCRIPTION_EXAMPLE });

const PUSH_VIEW_EXAMPLE = {
  endpoint: PUSH_SUBSCRIPTION_EXAMPLE.endpoint,
  expirationTime: null,
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
};

const PushSubscriptionView = z
  .object({
    endpoint: z.string().describe("The push service URL."),
    expirationTime: z.string().nullable().openapi({ description: "ISO-8601, or null when the browser gave none." }),
    createdAt: z.string().describe("When it was first registered (ISO 8601)."),
    updatedAt: z.string().describe("When it was last registered again (ISO 8601)."),
  })
  .openapi("PushSubscriptionView", { example: PUSH_VIEW_EXAMPLE });

const toView = (r: PushSubscriptionRow) => ({
  endpoint: r.endpoint,
  expirationTime: r.expirationTime === null ? null : new Date(r.expirationTime).toISOString(),
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** Read through a wider type: `wrangler types` types the var as its declared literal. */
const pushHostsOf = (env: Bindings) => extraPushHosts((env as unknown as { PUSH_ENDPOINT_HOSTS?: string }).PUSH_ENDPOINT_HOSTS);

const userSecurity = [{ userToken: [] }];

pushSubscriptions.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/push-subscriptions",
    operationId: "registerMyPushSubscription",
    tags: ["inbox"],
    summary: "Register a Web Push subscription",
    description:
      `Stores the browser's subscription for the calling user: 201 when new, 200 when the endpoint was known (its keys are replaced, and an endpoint registered by another user moves to this one — it is one browser profile). The endpoint must be https on port 443 at a known push service (FCM, Mozilla autopush, Apple, Windows WNS, or a host of the var \`PUSH_ENDPOINT_HOSTS\`); a user holds at most ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} (409 \`conflict\` past that).`,
    security: userSecurity,
    request: jsonRequest(PushSubscriptionInput),
    responses: {
      200: { description: "Updated", content: { "application/json": { schema: PushSubscriptionView } } },
      201: { description: "Created", content: { "application/json": { schema: PushSubscriptionView } } },
      ...commonErrors,
      409: problemResponse(`The user already holds ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} other subscriptions`),
    },
  }),
  async (c) => {
    const { endpoint, expirationTime, keys } = c.req.valid("json");
    const refusal = pushEndpointRefusal(endpoint, pushHostsOf(c.env));
    if (refusal) throw new ApiError("validation_failed", `The endpoint is refused: ${refusal}`, { errors: [{ path: "endpoint", message: refusal }] });
    const input = { endpoint, userId: userOf(c), p256dh: keys.p256dh, auth: keys.auth, expirationTime: expirationTime == null ? null : Math.round(expirationTime) };
    const stored = await upsertPushSubscription(c.env.DB, input, Date.now());
    if (!stored) {
      throw new ApiError(
        "conflict",
        `You have ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} push subscriptions, the most a user may hold; remove one (DELETE /v1/me/push-subscriptions) before adding another.`,
      );
    }
    return c.json(toView(stored.row), stored.created ? 201 : 200);
  },
);

pushSubscriptions.openapi(
  createRoute({
    method: "delete",
    path: "/v1/me/push-subscriptions",
    operationId: "deleteMyPushSubscription",
    tags: ["inbox"],
    summary: "Remove a Web Push subscription",
    description: "By `endpoint` (the whole subscription JSON is accepted too), e.g. after `PushSubscription.unsubscribe()`.",
    security: userSecurity,
    request: jsonRequest(PushSubscriptionInput.partial({ keys: true }).openapi({ example: { endpoint: PUSH_SUBSCRIPTION_EXAMPLE.endpoint } })),
    responses: {
      204: { description: "Removed" },
      ...commonErrors,
      404: problemResponse("This user has no subscription with this endpoint"),
    },
  }),
  async (c) => {
    if (!(await deletePushSubscription(c.env.DB, userOf(c), c.req.valid("json").endpoint))) throw new ApiError("not_found", "You have no push subscription with this endpoint.");
    return c.body(null, 204);
  },
);

pushSubscriptions.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/push-subscriptions",
    operationId: "listMyPushSubscriptions",
    tags: ["inbox"],
    summary: "List my Web Push subscriptions",
    description: "By endpoint, paginated. Keys are not shown.",
    security: userSecurity,
    request: { query: PageQuery },
    responses: {
      200: {
        description: "A page",
        content: { "application/json": { schema: pageSchema(PushSubscriptionView, PUSH_VIEW_EXAMPLE) } },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const results = await listPushSubscriptions(c.env.DB, userOf(c), after ?? "", limit + 1);
    return c.json(pageOf(results, limit, (r) => r.endpoint, toView), 200);
  },
);
