/**
 * Behaviours (docs/api.md#behaviours): `POST /v1/behaviours` and `/v1/behaviours/batch` validate and enqueue —
 * never write D1 (the queue consumer is the only writer, src/queues/behaviours.ts); the two GETs
 * read the applied state.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { sendPacked } from "../lib/queue";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { UserId } from "../notifications/input";
import type { BehaviourEvent, BehavioursMessage } from "../behaviours/events";
import {
  BehaviourBatchInput,
  BehaviourEventInput,
  BehaviourTypeSchema,
  MAX_BATCH_EVENTS,
  parseBehaviourBatch,
  resolveEvent,
  TargetId,
} from "../behaviours/input";
import { decodeBehaviourCursor, listActiveBehaviours, summariseTarget } from "../behaviours/read";

const Accepted = z
  .object({
    accepted: z.number().int().describe("How many events were accepted (all of them: a batch is all or nothing).").openapi({ example: 1 }),
    eventIds: z.array(z.string()).openapi({ description: "Event ids in request order.", example: ["01JC3Z8Q4W5V6X7Y8Z9A0B1C2D"] }),
  })
  .openapi("BehavioursAccepted", { example: { accepted: 1, eventIds: ["01JC3Z8Q4W5V6X7Y8Z9A0B1C2D"] } });

const BEHAVIOUR_EXAMPLE = { userId: "user_42", targetId: "post_981", type: "like", occurredAt: "2026-11-01T12:00:00.000Z", targetOwnerId: "user_7" } as const;

const BehaviourItem = z
  .object({
    userId: z.string().describe("Who did it (the actor)."),
    targetId: z.string().describe("What it is about."),
    type: BehaviourTypeSchema,
    occurredAt: z.string().describe("When it happened (ISO 8601).").openapi({ example: "2026-11-01T12:00:00.000Z" }),
    targetOwnerId: z.string().nullable().describe("Owner of the target, when the event named one."),
  })
  .openapi("Behaviour", { example: BEHAVIOUR_EXAMPLE });

const BehaviourPage = z
  .object({
    items: z.array(BehaviourItem).describe("This page's behaviours, newest `occurredAt` first."),
    nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; `null` on the last page."),
  })
  .openapi("BehaviourPage", { example: { items: [BEHAVIOUR_EXAMPLE], nextCursor: null } });

const count = z.number().int().min(0).describe("Active behaviours of this kind on the target (removed ones not counted).");
const BehaviourSummary = z
  .object({ like: count, favorite: count, follow: count, share: count, view: count, comment: count })
  .openapi("BehaviourSummary", { example: { like: 12, favorite: 3, follow: 0, share: 1, view: 240, comment: 5 } });

/**
 * Enqueues events packed many per message (a queue takes ~5,000 messages/s, see wrangler.toml),
 * as structured clones (`v8`): cheaper than JSON end to end, and events (strings and an integer
 * timestamp) are what `sendPacked` sizes safely that way.
 */
async function enqueue(env: AppEnv["Bindings"], inputs: BehaviourEventInput[]) {
  const now = Date.now();
  const events = inputs.map((input) => resolveEvent(input, now));
  await sendPacked<BehaviourEvent, BehavioursMessage>(env.BEHAVIOURS, events, (chunk) => ({ kind: "behaviours", events: chunk }), 0, "v8");
  return { accepted: events.length, eventIds: events.map((e) => e.eventId) };
}

/** `acceptValidBatch` bypasses `@hono/zod-openapi`'s media-type gate (415), so it takes only what that gate surely accepts. */
const PLAIN_JSON = /^application\/json(;\s*charset=utf-8)?$/i;

/**
 * The batch route's front: more than 1,000 events is "too large" (413), not "invalid" (400), so
 * it is checked on the parsed body before any validation. A batch `parseBehaviourBatch` accepts
 * is enqueued here, without the zod validator that follows (the hot path of ingest); anything
 * else goes on to that validator, which answers exactly as if this middleware were not there.
 */
const acceptValidBatch: MiddlewareHandler<AppEnv> = async (c, next) => {
  const body: unknown = await c.req.json().catch(() => null);
  const events = (body as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > MAX_BATCH_EVENTS) {
    throw new ApiError("payload_too_large", `A batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${events.length}.`);
  }
  const parsed = PLAIN_JSON.test(c.req.header("content-type") ?? "") ? parseBehaviourBatch(body, Date.now()) : null;
  if (parsed === null) return next();
  return c.json(await enqueue(c.env, parsed.events), 202);
};

export const behaviours = createRouter();

/** Records one behaviour event. */
behaviours.openapi(
  createRoute({
    method: "post",
    path: "/v1/behaviours",
    operationId: "recordBehaviour",
    tags: ["behaviours"],
    summary: "Record a behaviour event",
    description:
      "Accepts one like/favorite/follow/share/view/comment (or its removal) for asynchronous apply. Per (userId, targetId, type) the latest `occurredAt` wins, whatever the arrival order or repetition. An `add` with `targetOwnerId` notifies the owner once per (actor, target, type), ever.",
    security: [{ apiKey: [] }],
    request: jsonRequest(BehaviourEventInput),
    responses: {
      202: { description: "Accepted for apply.", content: { "application/json": { schema: Accepted } } },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await enqueue(c.env, [c.req.valid("json")]), 202),
);

/** Records up to 1,000 behaviour events; all or none are accepted. */
behaviours.openapi(
  createRoute({
    method: "post",
    path: "/v1/behaviours/batch",
    operationId: "recordBehaviourBatch",
    tags: ["behaviours"],
    summary: "Record behaviour events in bulk",
    description:
      "1–1,000 events. Any invalid event refuses the whole request (400 with `errors` paths such as `events.3.type`) and nothing is enqueued. `eventIds` come back in request order.",
    security: [{ apiKey: [] }],
    middleware: [acceptValidBatch],
    request: jsonRequest(BehaviourBatchInput),
    responses: {
      202: { description: "Accepted for apply.", content: { "application/json": { schema: Accepted } } },
      ...commonErrors,
      413: problemResponse("More than 1,000 events, or a body over 1 MiB"),
    },
  }),
  async (c) => c.json(await enqueue(c.env, c.req.valid("json").events), 202),
);

/** Lists a user's active behaviours, newest first. */
behaviours.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/behaviours",
    operationId: "listUserBehaviours",
    tags: ["behaviours"],
    summary: "List a user's behaviours",
    description: "Active behaviours only (removed ones are not listed), newest `occurredAt` first, optionally of one `type`. Paginated with `limit` and the opaque `cursor` from `nextCursor`.",
    security: [{ apiKey: [] }],
    request: {
      params: z.object({ userId: UserId }),
      query: PageQuery.extend({
        type: BehaviourTypeSchema.optional(),
        cursor: PageQuery.shape.cursor
          .transform((v, ctx) => {
            if (v === undefined) return undefined;
            const cursor = decodeBehaviourCursor(v);
            if (!cursor) ctx.addIssue({ code: "custom", message: "Not a cursor from `nextCursor`." });
            return cursor ?? undefined;
          })
          .openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
      }),
    },
    responses: {
      200: { description: "One page.", content: { "application/json": { schema: BehaviourPage } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { userId } = c.req.valid("param");
    const page = await listActiveBehaviours(c.env.DB, { userId, ...c.req.valid("query") });
    return c.json({ items: page.items.map((b) => ({ ...b, occurredAt: new Date(b.occurredAt).toISOString() })), nextCursor: page.nextCursor }, 200);
  },
);

/** Counts a target's active behaviours per type. */
behaviours.openapi(
  createRoute({
    method: "get",
    path: "/v1/targets/{targetId}/behaviours/summary",
    operationId: "getTargetBehaviourSummary",
    tags: ["behaviours"],
    summary: "Count a target's behaviours",
    description: "Active behaviours on the target per type; every type is present, zeros included.",
    security: [{ apiKey: [] }],
    request: { params: z.object({ targetId: TargetId }) },
    responses: {
      200: { description: "Counts per type.", content: { "application/json": { schema: BehaviourSummary } } },
      ...commonErrors,
    },
  }),
  async (c) => c.json(await summariseTarget(c.env.DB, c.req.valid("param").targetId), 200),
);
