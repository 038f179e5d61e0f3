/** `GET /v1/outbox` (SPEC §7): what the `outbox` provider stored instead of sending — the dev inbox for email, SMS and push. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, PageQuery } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";

export const outbox = createRouter();

const OutboxItem = z
  .object({
    id: z.string(),
    notificationId: z.string(),
    channel: z.enum(["email", "sms", "push"]),
    recipient: z.string().nullable(),
    subject: z.string().nullable(),
    body: z.string(),
    html: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("OutboxItem");

interface OutboxRow {
  id: string;
  notification_id: string;
  channel: "email" | "sms" | "push";
  recipient: string | null;
  subject: string | null;
  body: string;
  html: string | null;
  created_at: number;
}

outbox.openapi(
  createRoute({
    method: "get",
    path: "/v1/outbox",
    tags: ["channels"],
    summary: "List rendered messages the outbox provider kept",
    description: "Newest first, paginated, optionally by `channel`.",
    request: { query: PageQuery.extend({ channel: z.enum(["email", "sms", "push"]).optional() }) },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: z.object({ items: z.array(OutboxItem), nextCursor: z.string().nullable() }) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor, channel } = c.req.valid("query");
    const before = stringCursor(cursor);
    const { results } = await c.env.DB.prepare(`SELECT * FROM outbox WHERE (?1 IS NULL OR channel = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3`)
      .bind(channel ?? null, before ?? "\u{10FFFF}", limit + 1)
      .all<OutboxRow>();
    const toItem = (r: OutboxRow) => ({ id: r.id, notificationId: r.notification_id, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, html: r.html, createdAt: new Date(r.created_at).toISOString() });
    return c.json(pageOf(results, limit, (r) => r.id, toItem), 200);
  },
);
