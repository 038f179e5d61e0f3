/**
 * Topics, published messages and subscriptions (docs/api.md#topics-messages-and-subscriptions). Publishing stores the message and
 * enqueues it (delayed by `delaySeconds`/`deliverAt`, even past the queue's 12 h cap: the
 * sweeper schedules those); the messaging consumer fans it out to subscriptions.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { MessageDeliveryStatus, messageDeliveriesStatement, type MessageDeliveryRow } from "../db/message-deliveries";
import { addCounts, flushCountersSoon } from "../db/counter-buffer";
import { findMessageStatement, insertMessageStatement, MessageStatus, type MessageRow } from "../db/messages";
import { deleteSubscription, deleteTopicSubscriptionsStatement, insertSubscription, listSubscriptions, SubscriptionKind, type SubscriptionRow } from "../db/topic-subscriptions";
import { deleteTopicSubscribersStatement } from "../db/topic-subscribers";
import { createTopic, deleteTopicStatement, listTopics, topicExists, type Topic } from "../db/topics";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, pageSchema, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { fingerprint } from "../lib/fingerprint";
import { claimKey, completeKeyStatement, idempotencyTtlMs, releaseKey } from "../lib/idempotency";
import { newId } from "../lib/ids";
import { MAX_QUEUE_DELAY_SECONDS } from "../lib/queue";
import { newWebhookSecret, sealSecret } from "../lib/secret-box";
import { enqueuePublish } from "../messaging/engine";
import { Channel, IdempotencyKey, TopicName } from "../notifications/input";
import { assertOutboundUrl, outboundUrlOptions } from "../lib/url-policy";
import { TemplateName } from "./templates";

export const topics = createRouter();

const topicParams = z.object({ name: TopicName });
/** docs/api.md#limits: a topic message payload is at most 64 KiB of JSON. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Scheduling horizon for `deliverAt`/`delaySeconds`: a year. */
const MAX_DELAY_MS = 365 * 86_400_000;

const TOPIC_EXAMPLE = { name: "wallet.recharged", description: "A user's wallet was topped up.", selfService: false, createdAt: "2026-03-01T09:00:00.000Z" };
const TopicView = z
  .object({
    name: z.string().describe("The topic name."),
    description: z.string().nullable().describe("What the topic is about, for people."),
    selfService: z.boolean().describe("Whether a user token may subscribe and unsubscribe itself (`/v1/me/topics/{name}`)."),
    createdAt: z.string().describe("When it was created (ISO 8601)."),
  })
  .openapi("Topic", { example: TOPIC_EXAMPLE });
const TopicInput = z
  .object({
    description: z.string().max(500).optional().describe("What the topic is about, up to 500 characters; kept as first given."),
    selfService: z.boolean().optional().describe("Let user tokens subscribe and unsubscribe themselves; applied on an existing topic too."),
  })
  .strict()
  .openapi("TopicInput", { example: { description: "A user's wallet was topped up.", selfService: false } });
const toTopic = (t: Topic) => ({ name: t.name, description: t.description, selfService: t.selfService, createdAt: new Date(t.createdAt).toISOString() });

/** @throws ApiError `not_found` when the topic does not exist. */
export async function requireTopic(db: D1Database, name: string) {
  if (!(await topicExists(db, name))) throw new ApiError("not_found", `No topic \`${name}\`.`);
}

topics.openapi(
  createRoute({
    method: "put",
    path: "/v1/topics/{name}",
    operationId: "createTopic",
    tags: ["topics"],
    summary: "Create a topic (idempotent)",
    description: "`selfService: true` lets a user token subscribe and unsubscribe itself (`/v1/me/topics/{name}`); given on an existing topic, it is applied (the description is kept).",
    request: {
      params: topicParams,
      body: { required: false, content: { "application/json": { schema: TopicInput } } },
    },
    responses: {
      200: { description: "Existed", content: { "application/json": { schema: TopicView } } },
      201: { description: "Created", content: { "application/json": { schema: TopicView } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const body = c.req.valid("json") as { description?: string; selfService?: boolean };
    const now = Date.now();
    const { topic, created } = await createTopic(c.env.DB, name, body.description ?? null, body.selfService, now);
    return created ? c.json(toTopic(topic), 201) : c.json(toTopic(topic), 200);
  },
);

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/topics",
    operationId: "listTopics",
    tags: ["topics"],
    summary: "List topics",
    request: { query: PageQuery },
    responses: { 200: { description: "A page, by name", content: { "application/json": { schema: pageSchema(TopicView, TOPIC_EXAMPLE) } } }, ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const results = await listTopics(c.env.DB, after, limit + 1);
    return c.json(pageOf(results, limit, (r) => r.name, toTopic), 200);
  },
);

topics.openapi(
  createRoute({
    method: "delete",
    path: "/v1/topics/{name}",
    operationId: "deleteTopic",
    tags: ["topics"],
    summary: "Delete a topic, its subscriptions and its subscribers",
    description: "Messages already published keep their history.",
    request: { params: topicParams },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such topic") },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const [deleted] = await c.env.DB.batch([
      deleteTopicStatement(c.env.DB, name),
      deleteTopicSubscriptionsStatement(c.env.DB, name),
      deleteTopicSubscribersStatement(c.env.DB, name),
    ]);
    if (deleted!.meta.changes === 0) throw new ApiError("not_found", `No topic \`${name}\`.`);
    return c.body(null, 204);
  },
);

const PublishInput = z
  .object({
    payload: z.unknown().refine((p) => p !== undefined, "Required.").describe("The message: any JSON, at most 64 KiB; subscribers receive it as is."),
    metadata: z.record(z.string(), z.unknown()).optional().describe("Your key/value data kept with the message (not sent to subscribers)."),
    delaySeconds: z.number().int().min(0).max(MAX_DELAY_MS / 1000).optional().describe("Seconds to wait before delivery; excludes `deliverAt`."),
    deliverAt: z.iso.datetime({ offset: true }).optional().describe("When to deliver (ISO 8601); excludes `delaySeconds`."),
    maxAttempts: z.number().int().min(1).max(20).default(8).describe("Attempts per subscription before the delivery is dead-lettered, 1 to 20."),
  })
  .strict()
  .refine((v) => v.delaySeconds === undefined || v.deliverAt === undefined, { message: "Give `delaySeconds` or `deliverAt`, not both.", path: ["deliverAt"] })
  .openapi("PublishInput", { example: { payload: { userId: "user_42", amount: 50, currency: "EUR" }, metadata: { source: "billing" }, delaySeconds: 0, maxAttempts: 8 } });

const Published = z
  .object({
    messageId: z.string().describe("Message id; follow its deliveries with `GET /v1/messages/{id}`."),
    status: z.literal("pending").describe("Always `pending`: delivery happens in the background."),
    deliverAt: z.string().describe("When delivery starts (ISO 8601)."),
  })
  .openapi("Published", { example: { messageId: "01JN8Z8B3C4D5E6F7G8H9J0K1M", status: "pending", deliverAt: "2026-03-01T09:00:00.000Z" } });

topics.openapi(
  createRoute({
    method: "post",
    path: "/v1/topics/{name}/messages",
    operationId: "publishMessage",
    tags: ["topics"],
    summary: "Publish a message",
    description:
      "Stores the message and fans it out to the topic's subscriptions when due. Delays past the queue's 12-hour maximum are scheduled, never truncated. `Idempotency-Key` works as on notifications (replay, 422 on another body, 409 in flight).",
    request: { params: topicParams, headers: z.object({ "idempotency-key": IdempotencyKey.optional() }), ...jsonRequest(PublishInput) },
    responses: {
      202: { description: "Accepted", content: { "application/json": { schema: Published } } },
      ...commonErrors,
      404: problemResponse("No such topic"),
      409: problemResponse("Idempotency key in flight"),
      422: problemResponse("Idempotency key reused"),
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const input = c.req.valid("json");
    const payload = JSON.stringify(input.payload);
    if (new TextEncoder().encode(payload).byteLength > MAX_PAYLOAD_BYTES) throw new ApiError("payload_too_large", `\`payload\` exceeds ${MAX_PAYLOAD_BYTES} bytes of JSON.`);
    const now = Date.now();
    const deliverAt = input.deliverAt !== undefined ? Math.max(now, Date.parse(input.deliverAt)) : now + (input.delaySeconds ?? 0) * 1000;
    if (deliverAt - now > MAX_DELAY_MS) throw new ApiError("validation_failed", "Too far ahead.", { errors: [{ path: "deliverAt", message: "At most a year ahead." }] });
    await requireTopic(c.env.DB, name);

    const key = c.req.valid("header")["idempotency-key"] ?? null;
    const scope = `messages:${name}`;
    if (key !== null) {
      const claim = await claimKey(c.env.DB, scope, key, await fingerprint(input), idempotencyTtlMs(c.env.IDEMPOTENCY_TTL_HOURS), now);
      if (claim.kind === "replay") {
        c.header("Idempotent-Replayed", "true");
        return c.json(claim.body as z.infer<typeof Published>, 202);
      }
    }
    try {
      const id = newId();
      const delaySeconds = Math.ceil((deliverAt - now) / 1000);
      const enqueueNow = delaySeconds <= MAX_QUEUE_DELAY_SECONDS;
      const body = { messageId: id, status: "pending" as const, deliverAt: new Date(deliverAt).toISOString() };
      await c.env.DB.batch([
        insertMessageStatement(
          c.env.DB,
          { id, topic: name, payload, metadata: input.metadata ? JSON.stringify(input.metadata) : null, idempotencyKey: key, maxAttempts: input.maxAttempts, deliverAt, enqueuedAt: enqueueNow ? now : null },
          now,
        ),
        ...(key !== null ? [completeKeyStatement(c.env.DB, scope, key, 202, body, id)] : []),
      ]);
      // Counted once the insert committed (a fresh id: it happened once), into the isolate's
      // counter buffer, flushed at most once a second (docs/api.md#stats-and-metrics).
      addCounts([["topic_messages.published", 1]]);
      flushCountersSoon(c.env.DB, (flush) => c.executionCtx.waitUntil(flush));
      // A lost send is re-enqueued by the sweeper (messages not processed a minute after they were due).
      if (enqueueNow) {
        c.executionCtx.waitUntil(enqueuePublish(c.env, [id], delaySeconds).catch((error) => console.error(JSON.stringify({ level: "error", msg: "publish enqueue failed", requestId: c.get("requestId"), error: String(error) }))));
      }
      return c.json(body, 202);
    } catch (error) {
      if (key !== null) await releaseKey(c.env.DB, scope, key);
      throw error;
    }
  },
);

const MessageDeliveryView = z.object({
  subscriptionId: z.string().describe("The subscription this delivery is for."),
  status: MessageDeliveryStatus.describe("Where the delivery stands."),
  attempts: z.number().int().describe("Attempts made so far."),
  lastStatusCode: z.number().int().nullable().describe("HTTP status of the last webhook attempt."),
  lastError: z.string().nullable().describe("The last attempt's error, when it failed."),
  latencyMs: z.number().int().nullable().describe("Duration of the last webhook attempt, in milliseconds."),
  notificationId: z.string().nullable().describe("For a `notify` subscription: the notification it created."),
  nextAttemptAt: z.string().nullable().describe("When the next retry is due (ISO 8601), if one is."),
});

const MessageView = z
  .object({
    id: z.string().describe("Message id (ULID)."),
    topic: z.string().describe("The topic it was published to."),
    payload: z.unknown().describe("The message as published."),
    metadata: z.record(z.string(), z.unknown()).nullable().describe("The metadata it was published with."),
    status: MessageStatus.describe("Where the fan-out to subscriptions stands."),
    attempts: z.number().int().describe("Fan-out attempts made so far."),
    maxAttempts: z.number().int().describe("Attempts per subscription before dead-lettering."),
    lastError: z.string().nullable().describe("The last fan-out error, if any."),
    deliverAt: z.string().describe("When delivery starts (ISO 8601)."),
    processedAt: z.string().nullable().describe("When it was fanned out to every subscription (ISO 8601)."),
    createdAt: z.string().describe("When it was published (ISO 8601)."),
    deliveries: z.array(MessageDeliveryView).describe("One delivery per subscription."),
  })
  .openapi("Message", {
    example: {
      id: "01JN8Z8B3C4D5E6F7G8H9J0K1M",
      topic: "wallet.recharged",
      payload: { userId: "user_42", amount: 50, currency: "EUR" },
      metadata: { source: "billing" },
      status: "completed",
      attempts: 1,
      maxAttempts: 8,
      lastError: null,
      deliverAt: "2026-03-01T09:00:00.000Z",
      processedAt: "2026-03-01T09:00:00.300Z",
      createdAt: "2026-03-01T09:00:00.000Z",
      deliveries: [
        { subscriptionId: "01JN8Z5A1B2C3D4E5F6G7H8J9K", status: "succeeded", attempts: 1, lastStatusCode: 200, lastError: null, latencyMs: 84, notificationId: null, nextAttemptAt: null },
      ],
    },
  });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/messages/{id}",
    operationId: "getMessage",
    tags: ["topics"],
    summary: "Get a published message with its deliveries",
    request: { params: z.object({ id: z.string().min(1).max(64).describe("The id `POST` returned (ULID).") }) },
    responses: { 200: { description: "The message", content: { "application/json": { schema: MessageView } } }, ...commonErrors, 404: problemResponse("No such message") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const [m, d] = await c.env.DB.batch([
      findMessageStatement(c.env.DB, id),
      messageDeliveriesStatement(c.env.DB, id),
    ]);
    const r = m!.results[0] as MessageRow | undefined;
    if (!r) throw new ApiError("not_found", "No message has this id.");
    const deliveries = (d!.results as MessageDeliveryRow[]).map((x) => ({ ...x, nextAttemptAt: iso(x.nextAttemptAt) }));
    return c.json(
      {
        id: r.id,
        topic: r.topic,
        payload: JSON.parse(r.payload) as unknown,
        metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
        status: r.status,
        attempts: r.attempts,
        maxAttempts: r.maxAttempts,
        lastError: r.lastError,
        deliverAt: new Date(r.deliverAt).toISOString(),
        processedAt: iso(r.processedAt),
        createdAt: new Date(r.createdAt).toISOString(),
        deliveries,
      },
      200,
    );
  },
);

const SubscriptionInput = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("webhook").describe("POST each message to `url` as a signed Standard Webhooks message."),
        url: z.url({ protocol: /^https?$/ }).max(2048).describe("The https URL that receives the messages (public hosts only)."),
      })
      .strict()
      .openapi({ example: { kind: "webhook", url: "https://hooks.example.com/herald" } }),
    z
      .object({
        kind: z.literal("notify").describe("Turn each message into a notification for the user named in its payload."),
        template: TemplateName,
        channels: z.array(Channel).min(1).max(4).default(["in_app"]).describe("Channels the notification goes out on."),
        userIdPointer: z
          .string()
          .regex(/^(\/[^/]*)+$/, "An RFC 6901 JSON pointer, e.g. /userId")
          .default("/userId")
          .describe("RFC 6901 JSON pointer to the recipient's user id inside the payload."),
      })
      .strict()
      .openapi({ example: { kind: "notify", template: "wallet.recharged", channels: ["in_app", "push"], userIdPointer: "/userId" } }),
  ])
  .openapi("SubscriptionInput");

const SUBSCRIPTION_EXAMPLE = {
  id: "01JN8Z5A1B2C3D4E5F6G7H8J9K",
  topic: "wallet.recharged",
  kind: "webhook" as const,
  url: "https://hooks.example.com/herald",
  template: null,
  channels: null,
  userIdPointer: null,
  enabled: true,
  disabledReason: null,
  createdAt: "2026-03-01T09:00:00.000Z",
};

const SubscriptionView = z
  .object({
    id: z.string().describe("Subscription id (ULID)."),
    topic: z.string().describe("The topic it receives."),
    kind: SubscriptionKind.describe("`webhook` or `notify`."),
    url: z.string().nullable().describe("The webhook URL (`webhook` only)."),
    template: z.string().nullable().describe("The notification template (`notify` only)."),
    channels: z.array(z.string()).nullable().describe("The notification channels (`notify` only)."),
    userIdPointer: z.string().nullable().describe("JSON pointer to the recipient in the payload (`notify` only)."),
    enabled: z.boolean().describe("False once disabled, e.g. after its endpoint kept failing."),
    disabledReason: z.string().nullable().describe("Why it was disabled."),
    createdAt: z.string().describe("When it was created (ISO 8601)."),
  })
  .openapi("Subscription", { example: SUBSCRIPTION_EXAMPLE });

const toSubscription = (r: SubscriptionRow): z.infer<typeof SubscriptionView> => ({
  id: r.id,
  topic: r.topic,
  kind: r.kind,
  url: r.url,
  template: r.template,
  channels: r.channels === null ? null : (JSON.parse(r.channels) as string[]),
  userIdPointer: r.userIdPointer,
  enabled: r.enabled,
  disabledReason: r.disabledReason,
  createdAt: new Date(r.createdAt).toISOString(),
});

topics.openapi(
  createRoute({
    method: "post",
    path: "/v1/topics/{name}/subscriptions",
    operationId: "createTopicSubscription",
    tags: ["topics"],
    summary: "Subscribe to a topic",
    description:
      "`webhook`: each message is POSTed as a Standard Webhooks message; the `whsec_` secret is returned once. `notify`: each message becomes a notification (template + channels) for the user at `userIdPointer` in the payload, once per message.",
    request: { params: topicParams, ...jsonRequest(SubscriptionInput) },
    responses: {
      201: { description: "Subscribed", content: { "application/json": { schema: SubscriptionView.extend({
              secret: z.string().optional().describe("The `whsec_` signing secret of a `webhook` subscription, returned this once."),
            }).openapi({ example: { ...SUBSCRIPTION_EXAMPLE, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } }) } } },
      ...commonErrors,
      404: problemResponse("No such topic"),
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const input = c.req.valid("json");
    await requireTopic(c.env.DB, name);
    const secret = input.kind === "webhook" ? newWebhookSecret() : null;
    if (input.kind === "webhook") assertOutboundUrl(input.url, outboundUrlOptions(c.env));
    const now = Date.now();
    const row = await insertSubscription(
      c.env.DB,
      {
        id: `sub_${newId()}`,
        topic: name,
        kind: input.kind,
        url: input.kind === "webhook" ? input.url : null,
        secret: secret ? await sealSecret(c.env, secret) : null,
        template: input.kind === "notify" ? input.template : null,
        channels: input.kind === "notify" ? JSON.stringify(input.channels) : null,
        userIdPointer: input.kind === "notify" ? input.userIdPointer : null,
      },
      now,
    );
    return c.json({ ...toSubscription(row), ...(secret ? { secret } : {}) }, 201);
  },
);

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/topics/{name}/subscriptions",
    operationId: "listTopicSubscriptions",
    tags: ["topics"],
    summary: "List a topic's subscriptions",
    request: { params: topicParams, query: PageQuery },
    responses: { 200: { description: "A page of subscriptions (no secrets), by id", content: { "application/json": { schema: pageSchema(SubscriptionView, SUBSCRIPTION_EXAMPLE) } } }, ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const results = await listSubscriptions(c.env.DB, c.req.valid("param").name, stringCursor(cursor), limit + 1);
    return c.json(pageOf(results, limit, (r) => r.id, toSubscription), 200);
  },
);

topics.openapi(
  createRoute({
    method: "delete",
    path: "/v1/subscriptions/{id}",
    operationId: "deleteSubscription",
    tags: ["topics"],
    summary: "Unsubscribe",
    request: { params: z.object({ id: z.string().min(1).max(64).describe("The id `POST` returned (ULID).") }) },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such subscription") },
  }),
  async (c) => {
    if (!(await deleteSubscription(c.env.DB, c.req.valid("param").id))) throw new ApiError("not_found", "No subscription has this id.");
    return c.body(null, 204);
  },
);
