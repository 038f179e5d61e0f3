/** Reading notifications back from D1 in their public shape (docs/api.md#delivery-statuses). */
import { z } from "@hono/zod-openapi";
import { DeliveryStatus } from "../db/deliveries";
import { findNotificationView, listNotificationViews, type NotificationViewRow } from "../db/notifications";
import { deliveries, notifications } from "../db/schema";

export const DeliveryView = z
  .object({
    channel: z.string(),
    status: DeliveryStatus,
    reason: z.enum(deliveries.reason.enumValues).nullable().openapi({ description: "Why a `skipped` delivery was not sent." }),
    deliverAt: z.string().nullable().openapi({ description: "Email/SMS/push held by quiet hours: not sent before this time." }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    readAt: z.string().nullable(),
  })
  .openapi("Delivery");

export const NotificationView = z
  .object({
    id: z.string(),
    userId: z.string(),
    idempotencyKey: z.string().nullable(),
    template: z.string().nullable(),
    title: z.string().nullable(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    channels: z.array(z.string()),
    priority: z.enum(notifications.priority.enumValues),
    category: z.string(),
    critical: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string().openapi({ description: "Last change: creation, an edit or the recall." }),
    deliverAt: z.string(),
    expiresAt: z.string().nullable(),
    dispatchedAt: z.string().nullable(),
    recalledAt: z.string().nullable(),
    deliveries: z.array(DeliveryView),
  })
  .openapi("Notification");
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
