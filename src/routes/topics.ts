/**
 * Topics, published messages and subscriptions (SPEC §7). Publishing stores the message and
 * enqueues it (delayed by `delaySeconds`/`deliverAt`, even past the queue's 12 h cap: the
 * sweeper schedules those); the messaging consumer fans it out to subscriptions.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { fingerprint } from "../lib/fingerprint";
import { claimKey, completeKeyStatement, idempotencyTtlMs, releaseKey } from "../lib/idempotency";
import { newId } from "../lib/ids";
import { MAX_QUEUE_DELAY_SECONDS } from "../lib/queue";
import { newWebhookSecret, sealSecret } from "../lib/secret-box";
import { enqueuePublish } from "../messaging/engine";
import { Channel, IdempotencyKey } from "../notifications/input";
import { assertOutboundUrl } from "../lib/url-policy";
import { syncConfig } from "../sync/config";
import { TemplateName } from "./templates";

export const topics = createRouter();

/** SPEC §7 topic names, e.g. `wallet.recharged`. */
const TopicName = z.string().max(128).regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "Lowercase words of a-z, 0-9 and _, joined by dots.").openapi({ example: "wallet.recharged" });
const topicParams = z.object({ name: TopicName });
/** SPEC §2: a topic message payload is at most 64 KiB of JSON. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Scheduling horizon for `deliverAt`/`delaySeconds`: a year. */
const MAX_DELAY_MS = 365 * 86_400_000;

const TopicView = z.object({ name: z.string(), description: z.string().nullable(), createdAt: z.string() }).openapi("Topic");
interface TopicRow {
  name: string;
  description: string | null;
  created_at: number;
}
const toTopic = (r: TopicRow) => ({ name: r.name, description: r.description, createdAt: new Date(r.created_at).toISOString() });

async function requireTopic(db: D1Database, name: string) {
  if (!(await db.prepare(`SELECT 1 FROM topics WHERE name = ?1`).bind(name).first())) throw new ApiError("not_found", `No topic \`${name}\`.`);
}

topics.openapi(
  createRoute({
    method: "put",
    path: "/v1/topics/{name}",
    tags: ["topics"],
    summary: "Create a topic (idempotent)",
    request: { params: topicParams, body: { required: false, content: { "application/json": { schema: z.object({ description: z.string().max(500).optional() }).strict() } } } },
    responses: {
      200: { description: "Existed", content: { "application/json": { schema: TopicView } } },
      201: { description: "Created", content: { "application/json": { schema: TopicView } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const description = (c.req.valid("json") as { description?: string }).description ?? null;
    const now = Date.now();
    const created = await c.env.DB.prepare(`INSERT INTO topics (name, description, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING RETURNING *`)
      .bind(name, description, now)
      .first<TopicRow>();
    if (created) return c.json(toTopic(created), 201);
    const row = await c.env.DB.prepare(`SELECT * FROM topics WHERE name = ?1`).bind(name).first<TopicRow>();
    return c.json(toTopic(row!), 200);
  },
);

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/topics",
    tags: ["topics"],
    summary: "List topics",
    request: { query: PageQuery },
    responses: { 200: { description: "A page, by name", content: { "application/json": { schema: z.object({ items: z.array(TopicView), nextCursor: z.string().nullable() }) } } }, ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const { results } = await c.env.DB.prepare(`SELECT * FROM topics WHERE name > ?1 ORDER BY name LIMIT ?2`).bind(after ?? "", limit + 1).all<TopicRow>();
    return c.json(pageOf(results, limit, (r) => r.name, toTopic), 200);
  },
);

topics.openapi(
  createRoute({
    method: "delete",
    path: "/v1/topics/{name}",
    tags: ["topics"],
    summary: "Delete a topic and its subscriptions",
    description: "Messages already published keep their history.",
    request: { params: topicParams },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such topic") },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const [deleted] = await c.env.DB.batch([
      c.env.DB.prepare(`DELETE FROM topics WHERE name = ?1`).bind(name),
      c.env.DB.prepare(`DELETE FROM topic_subscriptions WHERE topic = ?1`).bind(name),
    ]);
    if (deleted!.meta.changes === 0) throw new ApiError("not_found", `No topic \`${name}\`.`);
    return c.body(null, 204);
  },
);

const PublishInput = z
  .object({
    payload: z.unknown().refine((p) => p !== undefined, "Required."),
    metadata: z.record(z.string(), z.unknown()).optional(),
    delaySeconds: z.number().int().min(0).max(MAX_DELAY_MS / 1000).optional(),
    deliverAt: z.iso.datetime({ offset: true }).optional(),
    maxAttempts: z.number().int().min(1).max(20).default(8),
  })
  .strict()
  .refine((v) => v.delaySeconds === undefined || v.deliverAt === undefined, { message: "Give `delaySeconds` or `deliverAt`, not both.", path: ["deliverAt"] })
  .openapi("PublishInput");

const Published = z.object({ messageId: z.string(), status: z.literal("pending"), deliverAt: z.string() }).openapi("Published");

topics.openapi(
  createRoute({
    method: "post",
    path: "/v1/topics/{name}/messages",
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
        c.env.DB.prepare(
          `INSERT INTO messages (id, topic, payload, metadata, idempotency_key, status, attempts, max_attempts, deliver_at, enqueued_at, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7, ?8, ?9, ?9)`,
        ).bind(id, name, payload, input.metadata ? JSON.stringify(input.metadata) : null, key, input.maxAttempts, deliverAt, enqueueNow ? now : null, now),
        ...(key !== null ? [completeKeyStatement(c.env.DB, scope, key, 202, body, id)] : []),
      ]);
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
  subscriptionId: z.string(),
  status: z.enum(["pending", "succeeded", "failed", "dead"]),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  notificationId: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

const MessageView = z
  .object({
    id: z.string(),
    topic: z.string(),
    payload: z.unknown(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    status: z.enum(["pending", "processing", "completed", "failed"]),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    lastError: z.string().nullable(),
    deliverAt: z.string(),
    processedAt: z.string().nullable(),
    createdAt: z.string(),
    deliveries: z.array(MessageDeliveryView),
  })
  .openapi("Message");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/messages/{id}",
    tags: ["topics"],
    summary: "Get a published message with its deliveries",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The message", content: { "application/json": { schema: MessageView } } }, ...commonErrors, 404: problemResponse("No such message") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const [m, d] = await c.env.DB.batch([
      c.env.DB.prepare(`SELECT * FROM messages WHERE id = ?1`).bind(id),
      c.env.DB.prepare(`SELECT * FROM message_deliveries WHERE message_id = ?1 ORDER BY id`).bind(id),
    ]);
    const row = m!.results[0] as Record<string, never> | undefined;
    if (!row) throw new ApiError("not_found", "No message has this id.");
    const r = row as unknown as { id: string; topic: string; payload: string; metadata: string | null; status: z.infer<typeof MessageView>["status"]; attempts: number; max_attempts: number; last_error: string | null; deliver_at: number; processed_at: number | null; created_at: number };
    const deliveries = (d!.results as { subscription_id: string; status: "pending" | "succeeded" | "failed" | "dead"; attempts: number; last_status_code: number | null; last_error: string | null; latency_ms: number | null; notification_id: string | null; next_attempt_at: number | null }[]).map((x) => ({
      subscriptionId: x.subscription_id,
      status: x.status,
      attempts: x.attempts,
      lastStatusCode: x.last_status_code,
      lastError: x.last_error,
      latencyMs: x.latency_ms,
      notificationId: x.notification_id,
      nextAttemptAt: iso(x.next_attempt_at),
    }));
    return c.json(
      {
        id: r.id,
        topic: r.topic,
        payload: JSON.parse(r.payload) as unknown,
        metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
        status: r.status,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        lastError: r.last_error,
        deliverAt: new Date(r.deliver_at).toISOString(),
        processedAt: iso(r.processed_at),
        createdAt: new Date(r.created_at).toISOString(),
        deliveries,
      },
      200,
    );
  },
);

const SubscriptionInput = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("webhook"), url: z.url({ protocol: /^https?$/ }).max(2048) }).strict(),
    z
      .object({
        kind: z.literal("notify"),
        template: TemplateName,
        channels: z.array(Channel).min(1).max(4).default(["in_app"]),
        userIdPointer: z.string().regex(/^(\/[^/]*)+$/, "An RFC 6901 JSON pointer, e.g. /userId").default("/userId"),
      })
      .strict(),
  ])
  .openapi("SubscriptionInput");

const SubscriptionView = z
  .object({
    id: z.string(),
    topic: z.string(),
    kind: z.enum(["webhook", "notify"]),
    url: z.string().nullable(),
    template: z.string().nullable(),
    channels: z.array(z.string()).nullable(),
    userIdPointer: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Subscription");

interface SubscriptionRow {
  id: string;
  topic: string;
  kind: "webhook" | "notify";
  url: string | null;
  template: string | null;
  channels: string | null;
  user_id_pointer: string | null;
  enabled: number;
  disabled_reason: string | null;
  created_at: number;
}
const SUBSCRIPTION_COLUMNS = "id, topic, kind, url, template, channels, user_id_pointer, enabled, disabled_reason, created_at";
const toSubscription = (r: SubscriptionRow): z.infer<typeof SubscriptionView> => ({
  id: r.id,
  topic: r.topic,
  kind: r.kind,
  url: r.url,
  template: r.template,
  channels: r.channels === null ? null : (JSON.parse(r.channels) as string[]),
  userIdPointer: r.user_id_pointer,
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  createdAt: new Date(r.created_at).toISOString(),
});

topics.openapi(
  createRoute({
    method: "post",
    path: "/v1/topics/{name}/subscriptions",
    tags: ["topics"],
    summary: "Subscribe to a topic",
    description:
      "`webhook`: each message is POSTed as a Standard Webhooks message; the `whsec_` secret is returned once. `notify`: each message becomes a notification (template + channels) for the user at `userIdPointer` in the payload, once per message.",
    request: { params: topicParams, ...jsonRequest(SubscriptionInput) },
    responses: {
      201: { description: "Subscribed", content: { "application/json": { schema: SubscriptionView.extend({ secret: z.string().optional() }) } } },
      ...commonErrors,
      404: problemResponse("No such topic"),
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const input = c.req.valid("json");
    await requireTopic(c.env.DB, name);
    const secret = input.kind === "webhook" ? newWebhookSecret() : null;
    if (input.kind === "webhook") assertOutboundUrl(input.url, syncConfig(c.env));
    const now = Date.now();
    const row = await c.env.DB.prepare(
      `INSERT INTO topic_subscriptions (id, topic, kind, url, secret, template, channels, user_id_pointer, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9) RETURNING ${SUBSCRIPTION_COLUMNS}`,
    )
      .bind(
        `sub_${newId()}`,
        name,
        input.kind,
        input.kind === "webhook" ? input.url : null,
        secret ? await sealSecret(c.env, secret) : null,
        input.kind === "notify" ? input.template : null,
        input.kind === "notify" ? JSON.stringify(input.channels) : null,
        input.kind === "notify" ? input.userIdPointer : null,
        now,
      )
      .first<SubscriptionRow>();
    return c.json({ ...toSubscription(row!), ...(secret ? { secret } : {}) }, 201);
  },
);

topics.openapi(
  createRoute({
    method: "get",
    path: "/v1/topics/{name}/subscriptions",
    tags: ["topics"],
    summary: "List a topic's subscriptions",
    request: { params: topicParams },
    responses: { 200: { description: "Subscriptions (no secrets)", content: { "application/json": { schema: z.object({ items: z.array(SubscriptionView), nextCursor: z.null() }) } } }, ...commonErrors },
  }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM topic_subscriptions WHERE topic = ?1 ORDER BY id LIMIT 200`).bind(c.req.valid("param").name).all<SubscriptionRow>();
    return c.json({ items: results.map(toSubscription), nextCursor: null }, 200);
  },
);

topics.openapi(
  createRoute({
    method: "delete",
    path: "/v1/subscriptions/{id}",
    tags: ["topics"],
    summary: "Unsubscribe",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such subscription") },
  }),
  async (c) => {
    const result = await c.env.DB.prepare(`DELETE FROM topic_subscriptions WHERE id = ?1`).bind(c.req.valid("param").id).run();
    if (result.meta.changes === 0) throw new ApiError("not_found", "No subscription has this id.");
    return c.body(null, 204);
  },
);
