/**
 * Changing a notification after it was accepted (docs/api.md#recall-and-edit): `DELETE` recalls it, `PATCH` edits it.
 *
 * D1 is written first and is what every later dispatch reads, so from that commit on nothing
 * hands out the old version or the recalled notification. Then the user's inbox is told, which
 * tells the devices; the inbox also remembers a change to an item it does not hold yet, so a
 * dispatch that read D1 just before the change cannot win the race. D1 `deliveries` learns
 * `recalled` from the inbox through the receipts queue (the dispatch consumer says it for rows
 * never dispatched), and the sweeper repeats a recall whose inbox call failed. An edit records the
 * version the inbox took (`inbox_version`) once its call returned; the sweeper repeats the others.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { confirmInboxVersions, editNotification, notificationExists, recallNotification } from "../db/notifications";
import { inboxOf } from "../inbox/user-inbox";
import { dataBytes, MAX_DATA_BYTES } from "../notifications/input";
import { getNotification, NotificationId, NotificationView } from "../notifications/views";

export const notificationChanges = createRouter();

const IdParam = z.object({ id: NotificationId });

notificationChanges.openapi(
  createRoute({
    method: "delete",
    path: "/v1/notifications/{id}",
    operationId: "recallNotification",
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
    const row = await recallNotification(c.env.DB, id, Date.now());
    if (!row) throw new ApiError("not_found", "No notification has this id.");
    if (row.channels.includes("in_app")) await inboxOf(c.env, row.userId).recall([id]);
    return c.json((await getNotification(c.env.DB, { id }))!, 200);
  },
);

const NotificationPatch = z
  .object({
    title: z.string().min(1).max(512).optional().describe("New title, 1–512 characters."),
    body: z.string().min(1).max(8192).optional().describe("New body, 1–8,192 characters."),
    data: z.record(z.string(), z.unknown()).nullable().optional().openapi({ description: "Replaces `data` whole; null clears it." }),
  })
  .strict()
  .refine((v) => v.title !== undefined || v.body !== undefined || v.data !== undefined, "Give at least one of `title`, `body`, `data`.")
  .openapi("NotificationPatch", { example: { title: "Your order 1234 has shipped (updated)", body: "UPS will deliver it tomorrow.", data: { orderId: "1234", carrier: "UPS" } } });

notificationChanges.openapi(
  createRoute({
    method: "patch",
    path: "/v1/notifications/{id}",
    operationId: "editNotification",
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
    const edited = await editNotification(c.env.DB, id, patch, Date.now());
    if (!edited) {
      if (await notificationExists(c.env.DB, id)) throw new ApiError("conflict", "This notification was recalled; it cannot be edited.");
      throw new ApiError("not_found", "No notification has this id.");
    }
    if (edited.channels.includes("in_app")) {
      await inboxOf(c.env, edited.userId).edit(id, { title: edited.title, body: edited.body, data: edited.data, version: edited.version });
      await confirmInboxVersions(c.env.DB, [[id, edited.version]]);
    }
    return c.json((await getNotification(c.env.DB, { id }))!, 200);
  },
);
