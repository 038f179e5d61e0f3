/** Reading notifications back from D1 in their public shape (docs/api.md#delivery-statuses). */
import { z } from "@hono/zod-openapi";
import { DeliveryStatus } from "../db/deliveries";
import { findNotificationView, listNotificationViews, type NotificationViewRow } from "../db/notifications";
import { deliveries, notifications } from "../db/schema";

const DELIVERY_EXAMPLE = {
  channel: "in_app",
  status: "delivered",
  reason: null,
  deliverAt: null,
  attempts: 1,
  lastError: null,
  sentAt: "2026-03-01T09:00:00.120Z",
  deliveredAt: "2026-03-01T09:00:00.350Z",
  readAt: null,
} as const;

export const DeliveryView = z
  .object({
    channel: z.string().describe("The channel this delivery is on: `in_app`, `email`, `sms` or `push`."),
    status: DeliveryStatus.describe("Delivery state (docs/api.md#delivery-statuses): `queued`, `sent`, `delivered`, `read`, `failed`, `skipped`, `expired` or `recalled`."),
    reason: z.enum(deliveries.reason.enumValues).nullable().openapi({ description: "Why a `skipped` delivery was not sent." }),
    deliverAt: z.string().nullable().openapi({ description: "Email/SMS/push held by quiet hours: not sent before this time." }),
    attempts: z.number().int().describe("Send attempts made so far."),
    lastError: z.string().nullable().describe("The last attempt's error, when it failed."),
    sentAt: z.string().nullable().describe("When the provider or the inbox accepted it (ISO 8601)."),
    deliveredAt: z.string().nullable().describe("When a device acknowledged it (in-app) or the provider confirmed it (ISO 8601)."),
    readAt: z.string().nullable().describe("When the user read it (in-app only, ISO 8601)."),
  })
  .openapi("Delivery", { example: DELIVERY_EXAMPLE });

/** A sent and delivered notification, the example of every response that carries one. */
export const NOTIFICATION_EXAMPLE = {
  id: "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
  userId: "user_42",
  idempotencyKey: "order-1234-shipped",
  template: "order-shipped",
  title: "Your order 1234 has shipped",
  body: "DHL will deliver it tomorrow.",
  data: { orderId: "1234", carrier: "DHL" },
  channels: ["in_app"],
  priority: "normal" as const,
  category: "orders",
  critical: false,
  tags: ["orders"],
  actions: [{ label: "Track parcel", url: "/orders/1234" }],
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
  deliverAt: "2026-03-01T09:00:00.000Z",
  expiresAt: "2026-03-02T09:00:00.000Z",
  dispatchedAt: "2026-03-01T09:00:00.080Z",
  recalledAt: null,
  deliveries: [DELIVERY_EXAMPLE],
};

/** A notification id path parameter. */
export const NotificationId = z.string().min(1).max(64).describe("Notification id (ULID), as `POST /v1/notifications` returned it.").openapi({ example: "01JN8Z6Q4C7T2V9XK3M5R8B1DW" });

export const NotificationView = z
  .object({
    id: z.string().describe("Notification id (ULID)."),
    userId: z.string().describe("The recipient's user id."),
    idempotencyKey: z.string().nullable().describe("The `Idempotency-Key` it was created with, if any."),
    template: z.string().nullable().describe("The template it was rendered from, if any."),
    title: z.string().nullable().describe("Title as delivered (rendered from the template, or literal)."),
    body: z.string().nullable().describe("Body as delivered (rendered from the template, or literal)."),
    data: z.record(z.string(), z.unknown()).nullable().describe("The request's `data`, delivered with the notification."),
    channels: z.array(z.string()).describe("Channels it was sent on."),
    priority: z.enum(notifications.priority.enumValues).describe("`high`, `normal` or `low`."),
    category: z.string().describe("Preference category it was judged under."),
    critical: z.boolean().describe("Whether it bypassed preferences and quiet hours."),
    tags: z.array(z.string()).describe("Feed tags its in-app item carries (docs/api.md#feed); empty when none."),
    actions: z
      .array(z.object({ label: z.string().describe("Button text."), url: z.string().describe("https URL or a path relative to the app.") }))
      .describe("Buttons its in-app item shows (docs/api.md#feed); empty when none."),
    createdAt: z.string().describe("When it was accepted (ISO 8601)."),
    updatedAt: z.string().openapi({ description: "Last change: creation, an edit or the recall." }),
    deliverAt: z.string().describe("When it is (or was) due: creation plus `delaySeconds` (ISO 8601)."),
    expiresAt: z.string().nullable().describe("When an unread in-app copy expires (creation plus `ttlSeconds`), if set."),
    dispatchedAt: z.string().nullable().describe("When the dispatch queue handed it to its channels; `null` while waiting."),
    recalledAt: z.string().nullable().describe("When it was recalled (`DELETE /v1/notifications/{id}`), if it was."),
    deliveries: z.array(DeliveryView).describe("One delivery per channel, by channel name."),
  })
  .openapi("Notification", { example: NOTIFICATION_EXAMPLE });
export type NotificationView = z.infer<typeof NotificationView>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

interface DeliveryRow {
  channel: string;
  status: DeliveryStatus;
  reason: (typeof deliveries.reason.enumValues)[number] | null;
  deliverAt: number | null;
  attempts: number;
  lastError: string | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
}

/**
 * A delivery's status as of now. The D1 mirror trails the facts by a queue hop, so two facts
 * the notification row already holds are shown at once: an in-app delivery of a recalled
 * notification is `recalled`, and one past its expiry that no device received is `expired`.
 */
function derivedStatus(d: DeliveryRow, row: NotificationViewRow, now: number): DeliveryRow["status"] {
  if (d.status === "skipped") return "skipped";
  if (d.channel === "in_app" && row.recalledAt !== null) return "recalled";
  if ((d.status === "queued" || d.status === "sent") && row.expiresAt !== null && row.expiresAt <= now) return "expired";
  return d.status;
}

function toView(row: NotificationViewRow, now = Date.now()): NotificationView {
  const deliveries = (JSON.parse(row.deliveries) as DeliveryRow[]).map((d) => ({
    ...d,
    status: derivedStatus(d, row, now),
    deliverAt: iso(d.deliverAt),
    sentAt: iso(d.sentAt),
    deliveredAt: iso(d.deliveredAt),
    readAt: iso(d.readAt),
  }));
  return {
    id: row.id,
    userId: row.userId,
    idempotencyKey: row.idempotencyKey,
    template: row.template,
    title: row.title,
    body: row.body,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown> | null),
    channels: JSON.parse(row.channels) as string[],
    priority: row.priority,
    category: row.category,
    critical: row.critical === 1,
    // Stored as JSON, `null` (SQL or JSON) when none were given.
    tags: (row.tags === null ? null : (JSON.parse(row.tags) as string[] | null)) ?? [],
    actions: (row.actions === null ? null : (JSON.parse(row.actions) as NotificationView["actions"] | null)) ?? [],
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    deliverAt: new Date(row.dispatchAfter).toISOString(),
    expiresAt: iso(row.expiresAt),
    dispatchedAt: iso(row.dispatchedAt),
    recalledAt: iso(row.recalledAt),
    deliveries: deliveries.sort((a, b) => a.channel.localeCompare(b.channel)),
  };
}

/** One notification by id or by the idempotency key that created it (the newest such). */
export async function getNotification(db: D1Database, by: { id: string } | { idempotencyKey: string }): Promise<NotificationView | null> {
  const row = await findNotificationView(db, by);
  return row ? toView(row) : null;
}

/**
 * A user's notifications, newest first (ids are ULIDs, so id order is creation order).
 * @param before continue below this id; @param status filter on the in-app delivery status.
 */
export async function listUserNotifications(
  db: D1Database,
  opts: { userId: string; limit: number; before?: string; status?: DeliveryStatus },
): Promise<NotificationView[]> {
  const rows = await listNotificationViews(db, { userId: opts.userId, limit: opts.limit, before: opts.before ?? "\u{10FFFF}", status: opts.status ?? null });
  return rows.map((r) => toView(r));
}
