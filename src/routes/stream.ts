/**
 * The user's inbox as Server-Sent Events (docs/protocol.md#server-sent-events): the same frames as
 * the WebSocket, for clients behind proxies that block WebSockets. Authorised like the WebSocket —
 * `Authorization: Bearer <user token>`, `?ticket=` (single use) or `?token=` — because a browser's
 * `EventSource` cannot set headers. Also the one place that builds the inbox's connect headers,
 * for the socket route too (src/routes/me.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { connectTicketOf, tokenExpOf, userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { TICKET_EXPIRES_HEADER, TICKET_ID_HEADER } from "../inbox/tickets";
import { TOKEN_EXP_HEADER } from "../inbox/token-expiry";
import { SSE_KEEP_ALIVE_MS } from "../inbox/sse";
import { inboxOf, SSE_HEADER } from "../inbox/user-inbox";

export const stream = createRouter();

/**
 * Hands a connect (socket or stream) to the user's inbox with the headers it reads: the user, the
 * resume point, the window, the token's expiry and the ticket to redeem. Only this function sets
 * them: any a client sent are replaced or removed.
 */
export function connectInbox(c: Context<AppEnv>, opts: { since?: number; window?: number; sse: boolean }): Promise<Response> {
  const userId = userOf(c);
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-herald-user-id", userId);
  const ticket = connectTicketOf(c);
  const inboxHeaders = [
    ["x-herald-since", opts.since],
    ["x-herald-window", opts.window],
    [TOKEN_EXP_HEADER, tokenExpOf(c)],
    [TICKET_ID_HEADER, ticket?.id],
    [TICKET_EXPIRES_HEADER, ticket?.expiresAt],
    [SSE_HEADER, opts.sse ? 1 : undefined],
  ] as const;
  for (const [name, value] of inboxHeaders) {
    if (value !== undefined) headers.set(name, String(value));
    else headers.delete(name);
  }
  return inboxOf(c.env, userId).fetch(new Request(c.req.raw.url, { headers }));
}

const Seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

stream.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/stream",
    operationId: "streamMyInbox",
    tags: ["inbox"],
    summary: "The inbox as Server-Sent Events",
    description: [
      "`text/event-stream` with the WebSocket's server frames, each as the `data:` of one event. Events in the user's sequence",
      "carry `id: <seq>`; `hello`, `read` and `error` carry no id; a comment every",
      `${SSE_KEEP_ALIVE_MS / 1000} s keeps proxies from closing an idle stream. Resumes after \`Last-Event-ID\` (what a browser sends`,
      "on reconnect; it wins over `since`), else after `since`, else after what no device has acked — as the WebSocket. The",
      "device acks over REST (`POST /v1/me/notifications/ack {connectionId, seq}`); it is sent at most `window` unacked events.",
      "Seen, read and the other feed actions go over REST too. Counts against `INBOX_MAX_SOCKETS` with the sockets (409);",
      "ends when the user token expires. A ticket works once: reconnect with a new one.",
    ].join(" "),
    security: [{ userToken: [] }],
    request: {
      query: z.object({
        ticket: z.string().optional().describe("Single-use connect ticket from `POST /v1/me/connect-tickets` (keeps the token out of the URL)."),
        token: z.string().optional().describe("User token, for clients that can set neither a header nor get a ticket."),
        since: Seq.optional().describe("Last seq the device holds; `Last-Event-ID` wins over it."),
        window: z.coerce.number().int().min(1).max(100_000).optional().describe("Unacked events this device can hold; at most `INBOX_WINDOW`."),
      }),
      headers: z.object({
        "last-event-id": z.string().regex(/^\d{1,16}$/, "A seq this stream sent.").optional().describe("The last event id the client got (its seq)."),
      }),
    },
    responses: {
      200: { description: "The event stream", content: { "text/event-stream": { schema: z.string().describe("Server-Sent Events.") } } },
      ...commonErrors,
      409: problemResponse("The user already holds `INBOX_MAX_SOCKETS` open connections (default 100): close one first"),
    },
  }),
  async (c) => {
    const { since, window } = c.req.valid("query");
    const lastEventId = c.req.valid("header")["last-event-id"];
    if (c.req.header("upgrade")) throw new ApiError("validation_failed", "This is the Server-Sent Events route; WebSockets connect at `/v1/me/connect`.");
    return connectInbox(c, { since: lastEventId !== undefined ? Number(lastEventId) : since, window, sse: true });
  },
);
