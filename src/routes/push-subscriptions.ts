/**
 * Web Push subscriptions of the calling user (SPEC §6), stored in D1 `push_subscriptions` for the
 * push channel to send to. The body is what a browser's `PushSubscription.toJSON()` gives
 * (W3C Push API): `{endpoint, expirationTime, keys: {p256dh, auth}}`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";

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

/** Push service URLs are https (W3C Push API); 2,048 characters is far above any real one. */
const Endpoint = z
  .url({ protocol: /^https$/, error: "An https URL." })
  .max(2048)
  .openapi({ example: "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE" });

const PushSubscriptionInput = z
  .object({
    endpoint: Endpoint,
    expirationTime: z.number().nonnegative().nullable().optional().openapi({ description: "When the browser will drop it, in ms since the epoch." }),
    keys: z
      .object({
        // RFC 8291: the user agent's P-256 public key, uncompressed (65 bytes, first byte 0x04)…
        p256dh: z.string().refine((v) => {
          const bytes = base64UrlBytes(v);
          return bytes?.length === 65 && bytes[0] === 4;
        }, "A base64url uncompressed P-256 public key (65 bytes)."),
        // …and the 16-byte authentication secret.
        auth: z.string().refine((v) => base64UrlBytes(v)?.length === 16, "A base64url 16-byte secret."),
      })
      .strict(),
  })
  .strict()
  .openapi("PushSubscription");

const PushSubscriptionView = z
  .object({
    endpoint: z.string(),
    expirationTime: z.string().nullable().openapi({ description: "ISO-8601, or null when the browser gave none." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("PushSubscriptionView");

interface SubscriptionRow {
  endpoint: string;
  expiration_time: number | null;
  created_at: number;
  updated_at: number;
}

const toView = (r: SubscriptionRow) => ({
  endpoint: r.endpoint,
  expirationTime: r.expiration_time === null ? null : new Date(r.expiration_time).toISOString(),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const userSecurity = [{ userToken: [] }];

pushSubscriptions.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/push-subscriptions",
    tags: ["inbox"],
    summary: "Register a Web Push subscription",
    description:
      "Stores the browser's subscription for the calling user: 201 when new, 200 when the endpoint was known (its keys are replaced, and an endpoint registered by another user moves to this one — it is one browser profile).",
    security: userSecurity,
    request: jsonRequest(PushSubscriptionInput),
    responses: {
      200: { description: "Updated", content: { "application/json": { schema: PushSubscriptionView } } },
      201: { description: "Created", content: { "application/json": { schema: PushSubscriptionView } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { endpoint, expirationTime, keys } = c.req.valid("json");
    const now = Date.now();
    const row = await c.env.DB.prepare(
      `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, expiration_time, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         expiration_time = excluded.expiration_time, updated_at = excluded.updated_at
       RETURNING endpoint, expiration_time, created_at, updated_at`,
    )
      .bind(endpoint, userOf(c), keys.p256dh, keys.auth, expirationTime == null ? null : Math.round(expirationTime), now)
      .first<SubscriptionRow>();
    return c.json(toView(row!), row!.created_at === now ? 201 : 200);
  },
);

pushSubscriptions.openapi(
  createRoute({
    method: "delete",
    path: "/v1/me/push-subscriptions",
    tags: ["inbox"],
    summary: "Remove a Web Push subscription",
    description: "By `endpoint` (the whole subscription JSON is accepted too), e.g. after `PushSubscription.unsubscribe()`.",
    security: userSecurity,
    request: jsonRequest(PushSubscriptionInput.partial({ keys: true })),
    responses: {
      204: { description: "Removed" },
      ...commonErrors,
      404: problemResponse("This user has no subscription with this endpoint"),
    },
  }),
  async (c) => {
    const result = await c.env.DB.prepare(`DELETE FROM push_subscriptions WHERE endpoint = ?1 AND user_id = ?2`).bind(c.req.valid("json").endpoint, userOf(c)).run();
    if (result.meta.changes === 0) throw new ApiError("not_found", "You have no push subscription with this endpoint.");
    return c.body(null, 204);
  },
);

pushSubscriptions.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/push-subscriptions",
    tags: ["inbox"],
    summary: "List my Web Push subscriptions",
    description: "By endpoint, paginated. Keys are not shown.",
    security: userSecurity,
    request: { query: PageQuery },
    responses: {
      200: {
        description: "A page",
        content: { "application/json": { schema: z.object({ items: z.array(PushSubscriptionView), nextCursor: z.string().nullable() }) } },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const { results } = await c.env.DB.prepare(
      `SELECT endpoint, expiration_time, created_at, updated_at FROM push_subscriptions
       WHERE user_id = ?1 AND endpoint > ?2 ORDER BY endpoint LIMIT ?3`,
    )
      .bind(userOf(c), after ?? "", limit + 1)
      .all<SubscriptionRow>();
    return c.json(pageOf(results, limit, (r) => r.endpoint, toView), 200);
  },
);
