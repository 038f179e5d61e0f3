/** `GET /v1/outbox` (docs/api.md#templates-and-the-outbox): what the `outbox` provider stored instead of sending — the dev inbox for email, SMS and push. */
import { createRoute, z } from "@hono/zod-openapi";
import { listOutbox, OutboxChannel, type OutboxItem as OutboxItemRow } from "../db/outbox";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";

export const outbox = createRouter();

const OutboxItem = z
  .object({
    id: z.string(),
    notificationId: z.string(),
    channel: OutboxChannel,
    recipient: z.string().nullable(),
    subject: z.string().nullable(),
    body: z.string(),
    html: z.string().nullable(),
    headers: z.record(z.string(), z.string()).nullable().openapi({ description: "Email only: the headers it was sent with (`List-Unsubscribe`, `List-Unsubscribe-Post`)." }),
    createdAt: z.string(),
  })
  .openapi("OutboxItem");

outbox.openapi(
  createRoute({
    method: "get",
    path: "/v1/outbox",
    operationId: "listOutbox",
    tags: ["channels"],
    summary: "List rendered messages the outbox provider kept",
    description: "Newest first, paginated, optionally by `channel`.",
    request: { query: PageQuery.extend({ channel: OutboxChannel.optional() }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: z.object({ items: z.array(OutboxItem), nextCursor: z.string().nullable() }) } } },
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
