/**
 * The user's feed over REST (docs/api.md#feed): seen, read, unread, archive, unarchive and snooze
 * per item and in bulk, the exact counts, and the ack of a Server-Sent Events client. Reached with
 * a user token; every call goes to the user's UserInbox, which gives each change its own seq and
 * pushes it to the user's devices (src/inbox/feed.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, problemResponse } from "../http/schemas";
import { ApiError } from "../lib/errors";
import { MAX_READ_IDS } from "../inbox/frames";
import type { FeedChange } from "../inbox/feed";
import { inboxOf } from "../inbox/user-inbox";

export const feed = createRouter();

const userSecurity = [{ userToken: [] }];

/** docs/api.md#feed-actions: a snooze ends at most 90 days ahead (past the 30-day retention, the item is gone anyway). */
export const MAX_SNOOZE_MS = 90 * 86_400_000;

const NotificationId = z.string().min(1).max(64).describe("The notification's id.");
const SeqNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const FeedChangeResult = z
  .object({
    ids: z.array(z.string()).describe("Ids whose state changed now (an item already in that state is not listed)."),
    unreadCount: z.number().int().describe("Exact unread items in the feed after the change (archived and snoozed ones not counted)."),
    unseenCount: z.number().int().describe("Exact unseen items in the feed after the change."),
  })
  .openapi("FeedChangeResult", { example: { ids: ["01JD7Y0ZC8N7Q4W5E6R7T8Y9U0"], unreadCount: 3, unseenCount: 1 } });

const Until = z.string().datetime({ offset: true }).describe("When the snooze ends: ISO-8601, in the future, at most 90 days ahead.");

/** `until` as ms, checked against now: in the future and within {@link MAX_SNOOZE_MS}. @throws ApiError `validation_failed`. */
function snoozeUntil(until: string, path: string): number {
  const at = Date.parse(until);
  const now = Date.now();
  if (at <= now || at > now + MAX_SNOOZE_MS) {
    throw new ApiError("validation_failed", "A snooze ends in the future, at most 90 days ahead.", {
      errors: [{ path, message: "Must be a time in the future, at most 90 days ahead." }],
    });
  }
  return at;
}

/** Answers a per-item change: 404 when nothing changed because the item is not (or no longer) in the inbox. */
async function changeOne(env: Parameters<typeof inboxOf>[0], userId: string, id: string, change: FeedChange) {
  const inbox = inboxOf(env, userId);
  const result = await inbox.changeFeed(change, { ids: [id] });
  if (result.ids.length === 0 && !(await inbox.has(id))) throw new ApiError("not_found", "This notification is not in your inbox.");
  return result;
}

// Before `{id}/{action}`: the first route whose path matches answers.
feed.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/{id}/snooze",
    operationId: "snoozeMyNotification",
    tags: ["feed"],
    summary: "Snooze one notification",
    description:
      "Hides the item from the list and the counts until `until`; then it comes back under a new seq (a `state` frame with `snoozedUntil: null`). Snoozing again moves the time.",
    security: userSecurity,
    request: {
      params: z.object({ id: NotificationId }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({ until: Until })
              .strict()
              .openapi("SnoozeRequest", { example: { until: "2026-12-01T09:00:00.000Z" } }),
          },
        },
      },
    },
    responses: {
      200: { description: "Snoozed, and the counts after it", content: { "application/json": { schema: FeedChangeResult } } },
      ...commonErrors,
      404: problemResponse("Not in this user's inbox"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const until = snoozeUntil(c.req.valid("json").until, "until");
    return c.json(await changeOne(c.env, userOf(c), id, { action: "snooze", until }), 200);
  },
);

feed.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/{id}/{action}",
    operationId: "changeMyNotificationState",
    tags: ["feed"],
    summary: "Mark one notification seen, unread, archived or unarchived",
    description: [
      "Idempotent: an item already in that state does not change. Each change takes its own seq and every device of the user",
      "gets a `state` frame (docs/protocol.md#feed-state). Archived items leave the default list and the counts; archive and",
      "read shorten the item's retention to 7 days, unread and unarchive give the longer one back. (Read has its own route.)",
    ].join(" "),
    security: userSecurity,
    request: {
      params: z.object({
        id: NotificationId,
        action: z.enum(["seen", "unread", "archive", "unarchive"]).describe("The state change."),
      }),
    },
    responses: {
      200: { description: "The change and the counts after it", content: { "application/json": { schema: FeedChangeResult } } },
      ...commonErrors,
      404: problemResponse("Not in this user's inbox"),
    },
  }),
  async (c) => {
    const { id, action } = c.req.valid("param");
    return c.json(await changeOne(c.env, userOf(c), id, { action }), 200);
  },
);

const BulkRequest = z
  .object({
    action: z.enum(["seen", "read", "unread", "archive", "unarchive", "snooze"]).describe("The state change for every item selected."),
    ids: z.array(NotificationId).min(1).max(MAX_READ_IDS).optional().describe("The items, 1–1,000 ids. Give `ids` or `upToSeq`."),
    upToSeq: SeqNumber.optional().describe("Every live item with seq ≤ this (items arriving later are left alone). Give `ids` or `upToSeq`."),
    until: Until.optional().describe("With `snooze` only: when the snooze ends (ISO-8601, future, ≤ 90 days)."),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.ids === undefined) === (v.upToSeq === undefined)) ctx.addIssue({ code: "custom", path: ["ids"], message: "Give exactly one of `ids` or `upToSeq`." });
    if ((v.action === "snooze") !== (v.until !== undefined)) ctx.addIssue({ code: "custom", path: ["until"], message: "`until` goes with `snooze`, and only with it." });
  })
  .openapi("FeedBulkRequest", { example: { action: "archive", ids: ["01JD7Y0ZC8N7Q4W5E6R7T8Y9U0"] } });

feed.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/bulk",
    operationId: "changeMyNotificationsInBulk",
    tags: ["feed"],
    summary: "Change many notifications at once",
    description:
      "One state change for up to 1,000 ids, or for every item up to a seq (no race with arrivals after it). Ids not in the inbox are ignored. Each changed item takes its own seq and every device gets its `state` frame.",
    security: userSecurity,
    request: { body: { required: true, content: { "application/json": { schema: BulkRequest } } } },
    responses: {
      200: { description: "The changes and the counts after them", content: { "application/json": { schema: FeedChangeResult } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const change: FeedChange = body.action === "snooze" ? { action: "snooze", until: snoozeUntil(body.until!, "until") } : { action: body.action };
    const target = body.ids !== undefined ? { ids: body.ids } : { upToSeq: body.upToSeq! };
    return c.json(await inboxOf(c.env, userOf(c)).changeFeed(change, target), 200);
  },
);

const Counts = z.object({
  unread: z.number().int().describe("Items in the feed not read."),
  unseen: z.number().int().describe("Items in the feed not seen."),
  total: z.number().int().describe("Items in the feed: live, not archived, not snoozed."),
});

feed.openapi(
  createRoute({
    method: "get",
    path: "/v1/me/notifications/counts",
    operationId: "getMyNotificationCounts",
    tags: ["feed"],
    summary: "My exact feed counts",
    description:
      "Exact and uncapped, over the feed: live items that are not archived and not snoozed (as Knock counts). `byTag` has the same three counts for each tag in use.",
    security: userSecurity,
    responses: {
      200: {
        description: "The counts",
        content: {
          "application/json": {
            schema: Counts.extend({ byTag: z.record(z.string(), Counts).describe("The counts of the items carrying each tag.") }).openapi("FeedCounts", {
              example: { unread: 3, unseen: 1, total: 12, byTag: { billing: { unread: 1, unseen: 0, total: 4 } } },
            }),
          },
        },
      },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await inboxOf(c.env, userOf(c)).counts(), 200),
);

feed.openapi(
  createRoute({
    method: "post",
    path: "/v1/me/notifications/ack",
    operationId: "ackMyNotifications",
    tags: ["feed"],
    summary: "Ack what a connection received",
    description: [
      "How a Server-Sent Events client acks (any connection may): cumulative, every event with seq ≤ `seq` sent on connection",
      "`connectionId` (from its `hello`) is received. Items become `delivered` only so, never on send; the freed window lets",
      "more frames flow (docs/protocol.md#server-sent-events). 404 when the connection is not open, 409 for a seq it was never sent.",
    ].join(" "),
    security: userSecurity,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({
                connectionId: z.string().min(1).max(64).describe("The `connectionId` of the connection's `hello` frame."),
                seq: SeqNumber.describe("The highest seq the device holds (cumulative)."),
              })
              .strict()
              .openapi("AckRequest", { example: { connectionId: "01JD7Y0ZC8N7Q4W5E6R7T8Y9U0", seq: 42 } }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Acked",
        content: {
          "application/json": {
            schema: z
              .object({ ackedSeq: z.number().int().describe("The connection's acked seq after this ack.") })
              .openapi("AckResult", { example: { ackedSeq: 42 } }),
          },
        },
      },
      ...commonErrors,
      404: problemResponse("No such open connection of this user"),
      409: problemResponse("A seq this connection was never sent"),
    },
  }),
  async (c) => {
    const { connectionId, seq } = c.req.valid("json");
    const result = await inboxOf(c.env, userOf(c)).ackConnection(connectionId, seq);
    if ("refused" in result) throw new ApiError(result.refused === "not_found" ? "not_found" : "conflict", result.detail);
    return c.json(result, 200);
  },
);
