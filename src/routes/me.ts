/**
 * The user's own inbox (docs/protocol.md#connecting), reached with a user token: the WebSocket and its REST twin.
 * Every call goes to the user's UserInbox Durable Object, the source of truth for inbox state.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { tokenExpOf, userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { FRAME_BURST, FRAME_RATE_PER_SECOND } from "../inbox/frame-budget";
import { MAX_CLIENT_FRAME_BYTES, TAG_PATTERN } from "../inbox/frames";
import { Category } from "../notifications/input";
import { feed } from "./feed";
import { connectInbox, stream } from "./stream";
import { mintTicket, TICKET_TTL_MS } from "../inbox/tickets";
import { userTokenKey } from "../lib/auth";
import { inboxOf } from "../inbox/user-inbox";

export const me = createRouter();

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
    seenAt: z.string().nullable().describe("When a device displayed it (`seen` frame or REST), else null."),
    archivedAt: z.string().nullable().describe("When it was archived, else null; archived items leave the default list and the counts."),
    snoozedUntil: z.string().nullable().describe("While snoozed: when it comes back; else null."),
    category: z.string().describe("The preference category (`general` when none was given)."),
    tags: z.array(z.string()).describe("Up to 10 tags for tabs and filters."),
    actions: z
      .array(z.object({ label: z.string().describe("Button text."), url: z.string().describe("https URL or a path relative to the app.") }))
      .describe("Up to 3 buttons."),
  })
  .openapi("InboxNotification");

const ReadResult = z.object({ ids: z.array(z.string()), unreadCount: z.number().int() }).openapi("ReadResult");

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/connect",
    operationId: "connectMyInbox",
    tags: ["inbox"],
    summary: "Open the in-app WebSocket",
    description: [
      "Upgrades to a WebSocket on the user's inbox. Browsers cannot set headers, so the credential may come in the URL: `?ticket=`",
      "(single-use, 60 s, from `POST /v1/me/connect-tickets`; a used or expired one → 401), or `?token=` (the user token itself,",
      "which then lands in logs on the way). The socket is closed with 4001 when the user token expires — with a ticket, the token it was made from.",
      "Server frames: `hello`, `notification`, `updated`, `recalled`, `read`, `state`, `error`, `pong`. Client frames: `ack {seq}`",
      "(cumulative), `read {ids}`, `seen {ids}`, `ping`. With `since`, every event with seq > since is replayed in order (live",
      "notifications in their current version, and edits or recalls of ones the device holds); without it, every event no",
      "device has acked. A device holds at most `window` unacked frames (default and maximum `INBOX_WINDOW`, 1,000).",
      `A device may send ${FRAME_RATE_PER_SECOND} frames per second (bursts of ${FRAME_BURST}; pings and acks that advance are free);`,
      "past that it gets an `error` frame `rate_limited` and the socket is closed with code 4008. A frame over",
      `${MAX_CLIENT_FRAME_BYTES} bytes is answered \`frame_too_large\` unread (it still costs its frame). Connects count against the`,
      "user's request rate limit (429).",
    ].join(" "),
    security: userSecurity,
    request: {
      query: z.object({
        ticket: z
          .string()
          .optional()
          .openapi({ description: "Single-use connect ticket from `POST /v1/me/connect-tickets`: keeps the token out of the URL." }),
        token: z.string().optional().openapi({ description: "User token (alternative to the Authorization header or a ticket)." }),
        since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: "Last seq the device holds." }),
        window: z.coerce
          .number()
          .int()
          .min(1)
          .max(100_000)
          .optional()
          .openapi({ description: "Unacked frames this device can hold; the server's `INBOX_WINDOW` is the most it gets." }),
      }),
    },
    responses: {
      101: { description: "Switching protocols" },
      ...commonErrors,
      409: problemResponse("The user already holds `INBOX_MAX_SOCKETS` open sockets (default 100): close one first"),
      426: problemResponse("Not a WebSocket upgrade"),
    },
  }),
  async (c) => {
    userOf(c);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("validation_failed", "Send a WebSocket upgrade request (`Upgrade: websocket`).");
    }
    const { since, window } = c.req.valid("query");
    return connectInbox(c, { since, window, sse: false });
  },
);

me.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/connect-tickets",
    tags: ["inbox"],
    summary: "Get a connect ticket",
    description:
      `A single-use ticket for \`GET /v1/me/connect?ticket=\`, valid ${TICKET_TTL_MS / 1000} s (less if the token expires sooner), so the ` +
      "long-lived user token never appears in a URL. Takes the user token in the Authorization header; a ticket is refused anywhere else.",
    security: userSecurity,
    responses: {
      201: {
        description: "Ticket minted",
        content: {
          "application/json": {
            schema: z
              .object({ ticket: z.string(), expiresAt: z.string().openapi({ example: "2026-11-21T12:00:00.000Z" }) })
              .openapi("ConnectTicket"),
          },
        },
      },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await mintTicket(userTokenKey(c.env), userOf(c), tokenExpOf(c)), 201),
);

me.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/notifications",
    operationId: "listMyNotifications",
    tags: ["inbox"],
    summary: "List my inbox",
    description: [
      "Newest first; `unread=true` for unread only. Archived items are left out unless `archived=include` (all) or `archived=only`",
      "(`true`/`false` mean `only`/`exclude`); snoozed items until their snooze ends; `tag` and `category` narrow further",
      "(docs/api.md#feed). Includes the exact `unreadCount` of the feed.",
    ].join(" "),
    security: userSecurity,
    request: {
      query: z.object({
        unread: z.enum(["true", "false"]).optional().describe("`true`: unread items only."),
        archived: z.enum(["exclude", "include", "only", "true", "false"]).optional().describe("Archived items: `exclude` (default), `include`, `only`."),
        tag: z.string().regex(TAG_PATTERN, "A tag: 1–32 of a-z, 0-9 and _ . : -").optional().describe("Items carrying this tag."),
        category: Category.optional().describe("Items of this preference category."),
        limit: z.coerce.number().int().min(1).max(200).default(50).describe("Items per page, 1–200."),
        cursor: z.string().regex(/^\d{1,16}$/, "Not a cursor from this API.").optional().describe("`nextCursor` of the previous page."),
      }),
    },
    responses: {
      200: {
        description: "A page of the inbox",
        content: {
          "application/json": {
            schema: z
              .object({
                items: z.array(InboxNotification).describe("Newest first."),
                nextCursor: z.string().nullable().describe("Null on the last page."),
                unreadCount: z.number().int().describe("Exact unread items in the feed."),
              })
              .openapi({
                example: {
                  items: [
                    {
                      id: "01JD7Y0ZC8N7Q4W5E6R7T8Y9U0",
                      seq: 42,
                      title: "Invoice ready",
                      body: "Your November invoice is ready.",
                      data: { invoiceId: "inv_42" },
                      priority: "normal",
                      createdAt: "2026-11-29T10:00:00.000Z",
                      expiresAt: null,
                      readAt: null,
                      deliveredAt: "2026-11-29T10:00:01.000Z",
                      seenAt: null,
                      archivedAt: null,
                      snoozedUntil: null,
                      category: "billing",
                      tags: ["billing"],
                      actions: [{ label: "View", url: "/invoices/42" }],
                    },
                  ],
                  nextCursor: null,
                  unreadCount: 1,
                },
              }),
          },
        },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { unread, archived, tag, category, limit, cursor } = c.req.valid("query");
    const page = await inboxOf(c.env, userOf(c)).list({
      unread: unread === "true",
      archived: archived === "true" ? "only" : archived === "false" ? "exclude" : archived,
      tag,
      category,
      limit,
      cursor: cursor === undefined ? undefined : Number(cursor),
    });
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
  async (c) => c.json({ unreadCount: await inboxOf(c.env, userOf(c)).unreadCount() }, 200),
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
    const inbox = inboxOf(c.env, userOf(c));
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
  async (c) => c.json(await inboxOf(c.env, userOf(c)).readAll(c.req.valid("json").upToSeq), 200),
);

// After the routes above: `{id}/read` must match before the feed's `{id}/{action}`.
me.route("/", feed);
me.route("/", stream);
