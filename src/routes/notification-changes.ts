/**
 * Changing a notification after it was accepted (SPEC §5): `DELETE` recalls it, `PATCH` edits it.
 *
 * D1 is written first and is what every later dispatch reads, so from that commit on nothing
 * hands out the old version or the recalled notification. Then the user's inbox is told, which
 * tells the devices; the inbox also remembers a change to an item it does not hold yet, so a
 * dispatch that read D1 just before the change cannot win the race. D1 `deliveries` learns
 * `recalled` from the inbox through the receipts queue (the dispatch consumer says it for rows
 * never dispatched), and the sweeper repeats a recall whose inbox call failed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { inboxOf } from "../inbox/user-inbox";
import { dataBytes, MAX_DATA_BYTES } from "../notifications/input";
import { getNotification, NotificationView } from "../notifications/views";

export const notificationChanges = createRouter();

const IdParam = z.object({ id: z.string().min(1).max(64) });

notificationChanges.openapi(
  createRoute({
    method: "delete",
    path: "/v1/notifications/{id}",
    tags: ["notifications"],
    summary: "Recall a notification",
    description: [
      "Removes it from the user's inbox: devices that were sent it get a `recalled` frame with the new unread count, no",
      "device is sent it again (a notification not dispatched yet never will be), and its in-app delivery ends `recalled`.",
      "Channels already sent (email, SMS) cannot be taken back. Idempotent: recalling again answers the same.",
    ].join(" "),
    request: { params: IdParam },
    responses: {
      200: { description: "Recalled", content: { "application/json": { schema: NotificationView } } },
      ...commonErrors,
      404: problemResponse("No such notification"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const now = Date.now();
    // Right-hand sides see the row before the update: the first recall's time is kept.
    const row = await c.env.DB.prepare(
      `UPDATE notifications SET recalled_at = COALESCE(recalled_at, ?2), updated_at = CASE WHEN recalled_at IS NULL THEN ?2 ELSE updated_at END
       WHERE id = ?1 RETURNING user_id AS userId, channels`,
    )
      .bind(id, now)
      .first<{ userId: string; channels: string }>();
    if (!row) throw new ApiError("not_found", "No notification has this id.");
    if ((JSON.parse(row.channels) as string[]).includes("in_app")) await inboxOf(c.env, row.userId).recall([id]);
    return c.json((await getNotification(c.env.DB, { id }))!, 200);
  },
);

const NotificationPatch = z
  .object({
    title: z.string().min(1).max(512).optional(),
    body: z.string().min(1).max(8192).optional(),
    data: z.record(z.string(), z.unknown()).nullable().optional().openapi({ description: "Replaces `data` whole; null clears it." }),
  })
  .strict()
  .refine((v) => v.title !== undefined || v.body !== undefined || v.data !== undefined, "Give at least one of `title`, `body`, `data`.")
  .openapi("NotificationPatch");

notificationChanges.openapi(
  createRoute({
    method: "patch",
    path: "/v1/notifications/{id}",
    tags: ["notifications"],
    summary: "Edit a notification",
    description: [
      "Replaces the fields given (a template is not rendered again: send `title`/`body` to change the text). Devices that",
      "were sent it get an `updated` frame; a device that gets it later, or replays it, only ever sees the new version.",
      "Concurrent edits apply in the order D1 committed them. A recalled notification cannot be edited (409).",
    ].join(" "),
    request: { params: IdParam, ...jsonRequest(NotificationPatch) },
    responses: {
      200: { description: "Edited", content: { "application/json": { schema: NotificationView } } },
      ...commonErrors,
      404: problemResponse("No such notification"),
      409: problemResponse("The notification was recalled"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    if (patch.data && dataBytes(patch.data) > MAX_DATA_BYTES) {
      throw new ApiError("payload_too_large", `\`data\` exceeds ${MAX_DATA_BYTES} bytes of JSON.`);
    }
    const row = await c.env.DB.prepare(
      `UPDATE notifications SET
         title = CASE WHEN ?2 THEN ?3 ELSE title END,
         body = CASE WHEN ?4 THEN ?5 ELSE body END,
         data = CASE WHEN ?6 THEN ?7 ELSE data END,
         version = version + 1, updated_at = ?8
       WHERE id = ?1 AND recalled_at IS NULL
       RETURNING user_id AS userId, channels, title, body, data, version`,
    )
      .bind(
        id,
        patch.title !== undefined ? 1 : 0,
        patch.title ?? null,
        patch.body !== undefined ? 1 : 0,
        patch.body ?? null,
        patch.data !== undefined ? 1 : 0,
        patch.data ? JSON.stringify(patch.data) : null,
        Date.now(),
      )
      .first<{ userId: string; channels: string; title: string | null; body: string | null; data: string | null; version: number }>();
    if (!row) {
      const exists = await c.env.DB.prepare(`SELECT 1 FROM notifications WHERE id = ?1`).bind(id).first();
      if (exists) throw new ApiError("conflict", "This notification was recalled; it cannot be edited.");
      throw new ApiError("not_found", "No notification has this id.");
    }
    if ((JSON.parse(row.channels) as string[]).includes("in_app")) {
      await inboxOf(c.env, row.userId).edit(id, {
        title: row.title,
        body: row.body,
        data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown> | null),
        version: row.version,
      });
    }
    return c.json((await getNotification(c.env.DB, { id }))!, 200);
  },
);
