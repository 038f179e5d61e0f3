/**
 * Topic audiences (docs/api.md#audiences): who a broadcast to a topic reaches. The server
 * manages subscribers in sets of up to 1,000 ids; a user token may subscribe and unsubscribe itself
 * on topics marked `selfService`. Broadcasts are sent with `POST /v1/notifications {topic}`
 * (src/routes/notifications.ts) and their progress is read here.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { BroadcastStatus, findBroadcast } from "../db/broadcasts";
import { addSubscribers, findSubscriber, listSubscribers, listUserTopics, removeSubscribers, type TopicSubscriber } from "../db/topic-subscribers";
import { findTopic } from "../db/topics";
import { userOf } from "../http/principal";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, pageSchema, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { TopicName, UserId } from "../notifications/input";
import { requireTopic } from "./topics";

export const audiences = createRouter();

/** docs/api.md#audiences: one request adds or removes at most 1,000 subscribers (one statement). */
export const MAX_SUBSCRIBERS_PER_REQUEST = 1_000;

const topicParams = z.object({ name: TopicName });
const userSecurity = [{ userToken: [] }];

// No `.max()` here: more than 1,000 ids is 413 `payload_too_large` (the handler checks), not a validation failure.
const SubscribersInput = z
  .object({ userIds: z.array(UserId).min(1).describe("1 to 1,000 user ids; repeats count once.") })
  .strict()
  .openapi("SubscribersInput", { example: { userIds: ["user_42", "user_43"] } });
const SubscribersChanged = z
  .object({
    topic: z.string().describe("The topic name."),
    changed: z.number().int().describe("Ids whose state changed (added, or removed); ids already in that state are not counted."),
  })
  .openapi("SubscribersChanged", { example: { topic: "wallet.recharged", changed: 2 } });
const subscribedAt = z.string().describe("When the user was subscribed (ISO 8601).");
const SUBSCRIBER_EXAMPLE = { userId: "user_42", subscribedAt: "2026-03-01T09:00:00.000Z" };
const SubscriberView = z.object({ userId: z.string().describe("The subscriber's user id."), subscribedAt }).openapi("TopicSubscriber", { example: SUBSCRIBER_EXAMPLE });
const USER_TOPIC_EXAMPLE = { topic: "wallet.recharged", subscribedAt: "2026-03-01T09:00:00.000Z" };
const UserTopicView = z.object({ topic: z.string().describe("The topic name."), subscribedAt }).openapi("UserTopic", { example: USER_TOPIC_EXAMPLE });
const MyTopicView = z
  .object({
    topic: z.string().describe("The topic name."),
    subscribed: z.boolean().describe("Whether the caller is a subscriber now."),
    subscribedAt: z.string().nullable().describe("When the caller was subscribed (ISO 8601); `null` when not subscribed."),
  })
  .openapi("MyTopic", { example: { topic: "product.news", subscribed: true, subscribedAt: "2026-03-01T09:00:00.000Z" } });

const iso = (ms: number) => new Date(ms).toISOString();

/** The ids of a subscribers request, deduplicated. @throws ApiError `payload_too_large` past {@link MAX_SUBSCRIBERS_PER_REQUEST}. */
function userIdsOf(input: z.infer<typeof SubscribersInput>): string[] {
  if (input.userIds.length > MAX_SUBSCRIBERS_PER_REQUEST) throw new ApiError("payload_too_large", `At most ${MAX_SUBSCRIBERS_PER_REQUEST} \`userIds\` per request.`);
  return [...new Set(input.userIds)];
}

const changeRoute = (method: "put" | "delete", operationId: string, summary: string, description: string) =>
  createRoute({
    method,
    path: "/v1/topics/{name}/subscribers",
    operationId,
    tags: ["audiences"],
    summary,
    description,
    request: { params: topicParams, ...jsonRequest(SubscribersInput) },
    responses: {
      200: { description: "Applied; `changed` counts the ids that were not already in that state", content: { "application/json": { schema: SubscribersChanged } } },
      ...commonErrors,
      404: problemResponse("No such topic"),
      413: problemResponse("More than 1,000 userIds, or body over 1 MiB"),
    },
  });

audiences.openapi(changeRoute("put", "addTopicSubscribers", "Subscribe users to a topic (idempotent)", "Adds up to 1,000 users in one statement; users already subscribed keep their subscription."), async (c) => {
  const { name } = c.req.valid("param");
  const userIds = userIdsOf(c.req.valid("json"));
  await requireTopic(c.env.DB, name);
  return c.json({ topic: name, changed: await addSubscribers(c.env.DB, name, userIds, Date.now()) }, 200);
});

audiences.openapi(changeRoute("delete", "removeTopicSubscribers", "Unsubscribe users from a topic (idempotent)", "Removes up to 1,000 users in one statement; users not subscribed are ignored."), async (c) => {
  const { name } = c.req.valid("param");
  const userIds = userIdsOf(c.req.valid("json"));
  await requireTopic(c.env.DB, name);
  return c.json({ topic: name, changed: await removeSubscribers(c.env.DB, name, userIds) }, 200);
});

audiences.openapi(
  createRoute({
    method: "get",
    path: "/v1/topics/{name}/subscribers",
    operationId: "listTopicSubscribers",
    tags: ["audiences"],
    summary: "List a topic's subscribers",
    request: { params: topicParams, query: PageQuery },
    responses: {
      200: { description: "A page, by user id", content: { "application/json": { schema: pageSchema(SubscriberView, SUBSCRIBER_EXAMPLE) } } },
      ...commonErrors,
      404: problemResponse("No such topic"),
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    await requireTopic(c.env.DB, name);
    const rows = await listSubscribers(c.env.DB, name, after, limit + 1);
    return c.json(pageOf(rows, limit, (r) => r.userId, (r: TopicSubscriber) => ({ userId: r.userId, subscribedAt: iso(r.createdAt) })), 200);
  },
);

audiences.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/topics",
    operationId: "listUserTopics",
    tags: ["audiences"],
    summary: "List the topics a user is subscribed to",
    request: { params: z.object({ userId: UserId }), query: PageQuery },
    responses: { 200: { description: "A page, by topic name", content: { "application/json": { schema: pageSchema(UserTopicView, USER_TOPIC_EXAMPLE) } } }, ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const rows = await listUserTopics(c.env.DB, c.req.valid("param").userId, stringCursor(cursor), limit + 1);
    return c.json(pageOf(rows, limit, (r) => r.topic, (r: TopicSubscriber) => ({ topic: r.topic, subscribedAt: iso(r.createdAt) })), 200);
  },
);

/**
 * The topic of a `/v1/me/topics/{name}` call.
 * @throws ApiError `not_found` for an unknown topic, `forbidden` for one not marked `selfService`.
 */
async function requireSelfService(db: D1Database, name: string): Promise<void> {
  const topic = await findTopic(db, name);
  if (topic === null) throw new ApiError("not_found", `No topic \`${name}\`.`);
  if (!topic.selfService) throw new ApiError("forbidden", `Topic \`${name}\` is not self-service; its subscribers are managed by the server.`);
}

const meRoute = (method: "get" | "put" | "delete", operationId: string, summary: string, description: string) =>
  createRoute({
    method,
    path: "/v1/me/topics/{name}",
    operationId,
    tags: ["audiences"],
    summary,
    description,
    security: userSecurity,
    request: { params: topicParams },
    responses: {
      200: { description: "The caller's subscription to the topic", content: { "application/json": { schema: MyTopicView } } },
      ...commonErrors,
      403: problemResponse("Not a self-service topic, or not a user token"),
      404: problemResponse("No such topic"),
    },
  });

/** The caller's subscription as the `/v1/me/topics/{name}` routes answer it. */
async function myTopic(db: D1Database, name: string, userId: string): Promise<z.infer<typeof MyTopicView>> {
  const row = await findSubscriber(db, name, userId);
  return { topic: name, subscribed: row !== null, subscribedAt: row === null ? null : iso(row.createdAt) };
}

audiences.openapi(meRoute("get", "getMyTopicSubscription", "Whether I am subscribed to a self-service topic", "With a user token, on a topic marked `selfService`: whether the caller is among its subscribers."), async (c) => {
  const { name } = c.req.valid("param");
  const userId = userOf(c);
  await requireSelfService(c.env.DB, name);
  return c.json(await myTopic(c.env.DB, name, userId), 200);
});

audiences.openapi(meRoute("put", "subscribeMeToTopic", "Subscribe myself to a self-service topic (idempotent)", "With a user token, on a topic marked `selfService`: adds the caller to its subscribers; subscribing twice keeps the first `subscribedAt`."), async (c) => {
  const { name } = c.req.valid("param");
  const userId = userOf(c);
  await requireSelfService(c.env.DB, name);
  await addSubscribers(c.env.DB, name, [userId], Date.now());
  return c.json(await myTopic(c.env.DB, name, userId), 200);
});

audiences.openapi(meRoute("delete", "unsubscribeMeFromTopic", "Unsubscribe myself from a self-service topic (idempotent)", "With a user token, on a topic marked `selfService`: removes the caller from its subscribers; a caller not subscribed gets `subscribed: false` all the same."), async (c) => {
  const { name } = c.req.valid("param");
  const userId = userOf(c);
  await requireSelfService(c.env.DB, name);
  await removeSubscribers(c.env.DB, name, [userId]);
  return c.json(await myTopic(c.env.DB, name, userId), 200);
});

const BroadcastView = z
  .object({
    id: z.string().describe("The broadcast id; also the id of the item in every recipient's inbox."),
    topic: z.string().describe("The topic it was sent to."),
    status: BroadcastStatus.describe("`accepted` → `fanning_out` → `completed`; `failed` while some recipients' chunk waits in the dead letters (a redrive resumes it)."),
    recipients: z.number().int().describe("Subscribers the topic had at acceptance: the fixed recipient set."),
    fannedOut: z.number().int().describe("Recipients whose inbox holds the item, or whose preferences kept it out."),
    failed: z.number().int().describe("Recipients whose chunk exhausted its retries and waits in the dead letters (0 once redriven)."),
    createdAt: z.string().describe("Acceptance time, ISO 8601."),
    completedAt: z.string().nullable().describe("When the last recipient was fanned out, ISO 8601; null until then."),
  })
  .openapi("Broadcast", {
    example: { id: "01J9ZQ4T6M3V8R2K5N7P0W1XYZ", topic: "status.incidents", status: "fanning_out", recipients: 100000, fannedOut: 42750, failed: 0, createdAt: "2026-11-29T12:00:00.000Z", completedAt: null },
  });

audiences.openapi(
  createRoute({
    method: "get",
    path: "/v1/broadcasts/{id}",
    operationId: "getBroadcast",
    tags: ["audiences"],
    summary: "A broadcast's fan-out progress",
    description:
      "`recipients` is the topic's subscriber count at acceptance; `fannedOut` counts those whose inbox holds the item (or whose preferences kept it out). `status`: `accepted` → `fanning_out` → `completed` (`fannedOut = recipients`); `failed` while `failed` recipients wait in dead letters (docs/api.md#audiences).",
    request: { params: z.object({ id: z.string().min(1).max(64).describe("Broadcast id (ULID).") }) },
    responses: { 200: { description: "The broadcast", content: { "application/json": { schema: BroadcastView } } }, ...commonErrors, 404: problemResponse("No such broadcast") },
  }),
  async (c) => {
    const b = await findBroadcast(c.env.DB, c.req.valid("param").id);
    if (!b) throw new ApiError("not_found", "No broadcast has this id.");
    return c.json(
      { id: b.id, topic: b.topic, status: b.status, recipients: b.recipients, fannedOut: b.fannedOut, failed: b.failed, createdAt: iso(b.createdAt), completedAt: b.completedAt === null ? null : iso(b.completedAt) },
      200,
    );
  },
);
