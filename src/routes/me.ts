/**
 * The user's own inbox (SPEC §6), reached with a user token: the WebSocket and its REST twin.
 * Every call goes to the user's UserInbox Durable Object, the source of truth for inbox state.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { createRouter } from "../http/router";
import { commonErrors, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { UserId } from "../notifications/input";

export const me = createRouter();

/** The caller's user id; the auth middleware guarantees a user principal on /v1/me/*. */
function userOf(c: Context<AppEnv>): string {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError("forbidden", "This route takes a user token.");
  return principal.userId;
}

const inboxOf = (c: Context<AppEnv>, userId: string) => c.env.USER_INBOX.get(c.env.USER_INBOX.idFromName(userId));

const userSecurity = [{ userToken: [] }];

const InboxNotification = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    title: z.string().nullable(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    priority: z.enum(["high", "normal", "low"]),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    readAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .openapi("InboxNotification");

const ReadResult = z.object({ ids: z.array(z.string()), unreadCount: z.number().int() }).openapi("ReadResult");

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/connect",
    tags: ["inbox"],
    summary: "Open the in-app WebSocket",
    description: [
      "Upgrades to a WebSocket on the user's inbox (`?token=` carries the user token, as browsers cannot set headers).",
      "Server frames: `hello`, `notification`, `updated`, `recalled`, `read`, `error`, `pong`. Client frames: `ack {seq}`",
      "(cumulative), `read {ids}`, `ping`. With `since`, every live item with seq > since is replayed in order; without it,",
      "every item no device has acked.",
    ].join(" "),
    security: userSecurity,
    request: {
      query: z.object({
        token: z.string().optional().openapi({ description: "User token (alternative to the Authorization header)." }),
        since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: "Last seq the device holds." }),
      }),
    },
    responses: {
      101: { description: "Switching protocols" },
      ...commonErrors,
      426: problemResponse("Not a WebSocket upgrade"),
    },
  }),
  async (c) => {
    const userId = userOf(c);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("validation_failed", "Send a WebSocket upgrade request (`Upgrade: websocket`).");
    }
    const { since } = c.req.valid("query");
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-herald-user-id", userId);
    if (since !== undefined) headers.set("x-herald-since", String(since));
    else headers.delete("x-herald-since");
    return inboxOf(c, userId).fetch(new Request(c.req.raw.url, { headers }));
  },
);

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/notifications",
    tags: ["inbox"],
    summary: "List my inbox",
    description: "Newest first; `unread=true` for unread only. Includes the exact `unreadCount`.",
    security: userSecurity,
    request: {
      query: z.object({
        unread: z.enum(["true", "false"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().regex(/^\d{1,16}$/, "Not a cursor from this API.").optional(),
      }),
    },
    responses: {
      200: {
        description: "A page of the inbox",
        content: {
          "application/json": {
            schema: z.object({ items: z.array(InboxNotification), nextCursor: z.string().nullable(), unreadCount: z.number().int() }),
          },
        },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { unread, limit, cursor } = c.req.valid("query");
    const page = await inboxOf(c, userOf(c)).list({ unread: unread === "true", limit, cursor: cursor === undefined ? undefined : Number(cursor) });
    return c.json(page, 200);
  },
);

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/notifications/unread-count",
    tags: ["inbox"],
    summary: "My exact unread count",
    security: userSecurity,
    responses: {
      200: { description: "Exact and uncapped", content: { "application/json": { schema: z.object({ unreadCount: z.number().int() }) } } },
      ...commonErrors,
    },
  }),
  async (c) => c.json({ unreadCount: await inboxOf(c, userOf(c)).unreadCount() }, 200),
);

me.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/{id}/read",
    tags: ["inbox"],
    summary: "Mark one notification read",
    description: "Idempotent. Other devices get a `read` frame with the new unread count.",
    security: userSecurity,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: "Marked read", content: { "application/json": { schema: ReadResult } } },
      ...commonErrors,
      404: problemResponse("Not in this user's inbox"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const inbox = inboxOf(c, userOf(c));
    const result = await inbox.markRead([id]);
    if (result.ids.length === 0 && !(await inbox.has(id))) throw new ApiError("not_found", "This notification is not in your inbox.");
    return c.json(result, 200);
  },
);

me.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/read-all",
    tags: ["inbox"],
    summary: "Mark everything up to a seq read",
    description: "Items with seq > `upToSeq` (e.g. arriving meanwhile) stay unread, so there is no race with arrivals.",
    security: userSecurity,
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: z.object({ upToSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict() } },
      },
    },
    responses: { 200: { description: "Marked read", content: { "application/json": { schema: ReadResult } } }, ...commonErrors },
  }),
  async (c) => c.json(await inboxOf(c, userOf(c)).readAll(c.req.valid("json").upToSeq), 200),
);

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/presence",
    tags: ["inbox"],
    summary: "Is a user online",
    description: "`online` when at least one device holds a WebSocket; `lastSeenAt` is the last connect or disconnect.",
    request: { params: z.object({ userId: UserId }) },
    responses: {
      200: {
        description: "Presence",
        content: { "application/json": { schema: z.object({ online: z.boolean(), connections: z.number().int(), lastSeenAt: z.string().nullable() }) } },
      },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await inboxOf(c, c.req.valid("param").userId).presence(), 200),
);
