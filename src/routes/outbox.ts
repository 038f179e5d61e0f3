/** `GET /v1/outbox` (docs/api.md#templates-and-the-outbox): what the `outbox` provider stored instead of sending — the dev inbox for email, SMS and push. */
import { createRoute, z } from "@hono/zod-openapi";
import { listOutbox, OutboxChannel, type OutboxItem as OutboxItemRow } from "../db/outbox";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery, pageSchema } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";

export const outbox = createRouter();

const OUTBOX_EXAMPLE = {
  id: "01JN8ZB2C3D4E5F6G7H8J9K0L1",
  notificationId: "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
  channel: "email" as const,
  recipient: "ada@example.com",
  subject: "Your wallet was topped up",
  body: "Hi Ada, 50 EUR were added to your wallet.",
  html: "<p>Hi Ada, 50 EUR were added to your wallet.</p>",
  headers: { "List-Unsubscribe": "<https://herald.example.com/v1/unsubscribe?token=...>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  createdAt: "2026-03-01T09:00:00.500Z",
};

const OutboxItem = z
  .object({
    id: z.string().describe("Outbox item id (ULID)."),
    notificationId: z.string().describe("The notification it was rendered from."),
    channel: OutboxChannel.describe("The channel it was sent on."),
    recipient: z.string().nullable().describe("Email address, phone number or push endpoint it went to."),
    subject: z.string().nullable().describe("Email subject, or the push title."),
    body: z.string().describe("The rendered text."),
    html: z.string().nullable().describe("Email only: the rendered HTML."),
    headers: z.record(z.string(), z.string()).nullable().openapi({ description: "Email only: the headers it was sent with (`List-Unsubscribe`, `List-Unsubscribe-Post`)." }),
    createdAt: z.string().describe("When the provider took it (ISO 8601)."),
  })
  .openapi("OutboxItem", { example: OUTBOX_EXAMPLE });

outbox.openapi(
  createRoute({
    method: "get",
    path: "/v1/outbox",
    operationId: "listOutbox",
    tags: ["channels"],
    summary: "List rendered messages the outbox provider kept",
    description: "Newest first, paginated, optionally by `channel`.",
    request: { query: PageQuery.extend({ channel: OutboxChannel.optional().describe("Only items sent on this channel.") }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: pageSchema(OutboxItem, OUTBOX_EXAMPLE) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor, channel } = c.req.valid("query");
    const before = stringCursor(cursor);
    const results = await listOutbox(c.env.DB, { channel, before, limit: limit + 1 });
    const toItem = (r: OutboxItemRow) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });
    return c.json(pageOf(results, limit, (r) => r.id, toItem), 200);
  },
);
