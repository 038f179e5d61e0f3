/**
 * Presence (docs/api.md#presence): is one user online, and who is online.
 *
 * The two questions have different sources, chosen for how they scale:
 * - one user: asked of that user's UserInbox, which holds the user's sockets (they survive
 *   hibernation, and the runtime reports abrupt disconnects to it), so the answer is exact;
 * - everyone online: a list across users cannot ask every object, and a single registry object
 *   would serialise every connect and disconnect of every user through one thread. So each inbox
 *   reports its connection count through the receipts queue into D1 `presence` (versioned, so
 *   reordered reports cannot regress it), renewing a 15-minute lease every 5 minutes while online;
 *   an inbox whose sockets vanished without a close event corrects its row at its next alarm, and
 *   a row whose lease ran out stops counting. The list trails reality by one queue hop (~1 s).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery, pageSchema } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { listOnline, type OnlineUser } from "../db/presence";
import { inboxOf } from "../inbox/user-inbox";
import { UserId } from "../notifications/input";

export const presence = createRouter();

/** One user's presence, exact, from their inbox. */
const Presence = z
  .object({
    online: z.boolean().describe("True while at least one device holds a WebSocket."),
    connections: z.number().int().describe("Open WebSockets now."),
    lastSeenAt: z.string().nullable().describe("Now while online, else the last connect or disconnect (ISO 8601); `null` if never connected."),
  })
  .openapi({ example: { online: true, connections: 2, lastSeenAt: "2026-03-01T09:00:00.000Z" } });

presence.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/presence",
    operationId: "getUserPresence",
    tags: ["inbox"],
    summary: "Is a user online",
    description: "Exact, from the user's inbox: `online` when at least one device holds a WebSocket; `lastSeenAt` is now while online, else the last connect or disconnect.",
    request: { params: z.object({ userId: UserId }) },
    responses: {
      200: {
        description: "Presence",
        content: { "application/json": { schema: Presence } },
      },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await inboxOf(c.env, c.req.valid("param").userId).presence(), 200),
);

const ONLINE_USER_EXAMPLE = { userId: "user_42", connections: 2, lastSeenAt: "2026-03-01T09:00:00.000Z" };
const OnlineUser = z
  .object({
    userId: z.string().describe("The online user's id."),
    connections: z.number().int().openapi({ description: "Open WebSockets at the last report." }),
    lastSeenAt: z.string().openapi({ description: "When the user's inbox last reported (connect, disconnect or lease renewal)." }),
  })
  .openapi("OnlineUser", { example: ONLINE_USER_EXAMPLE });

presence.openapi(
  createRoute({
    method: "get",
    path: "/v1/presence",
    operationId: "listOnlineUsers",
    tags: ["inbox"],
    summary: "Who is online",
    description: "Users with at least one open WebSocket, by user id, paginated. Mirrored from the inboxes through a queue: a change shows here within about a second.",
    request: { query: PageQuery },
    responses: {
      200: {
        description: "A page of online users",
        content: { "application/json": { schema: pageSchema(OnlineUser, ONLINE_USER_EXAMPLE) } },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const results = await listOnline(c.env.DB, { after: after ?? "", limit: limit + 1, now: Date.now() });
    const toItem = (r: OnlineUser) => ({ userId: r.userId, connections: r.connections, lastSeenAt: new Date(r.lastSeenAt).toISOString() });
    return c.json(pageOf(results, limit, (r) => r.userId, toItem), 200);
  },
);
