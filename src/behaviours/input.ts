/**
 * What `POST /v1/behaviours` and `/v1/behaviours/batch` accept (docs/api.md#behaviours): the zod schemas the
 * OpenAPI document and the error details come from, and a hand-written fast path for batches.
 *
 * Why a fast path: Workers forbid `new Function`, so zod 4 cannot compile a schema and interprets
 * it, at ~3 µs per event: a fifth of the whole ingest budget of issue 8 (bench scenario 3).
 */
import { z } from "@hono/zod-openapi";
import { newId } from "../lib/ids";
import { UserId } from "../notifications/input";
import { BEHAVIOUR_TYPES, MAX_ID_LENGTH, type BehaviourEvent } from "./events";

/** docs/api.md#limits: a batch holds at most 1,000 items. */
export const MAX_BATCH_EVENTS = 1000;

/**
 * How far ahead of our clock `occurredAt` may be. Last writer wins on `occurredAt`, so an event
 * stamped in the future (a seconds-vs-ms mix-up, a wrong client clock) would beat every real
 * event until then; an hour absorbs honest clock skew.
 */
export const MAX_FUTURE_SKEW_MS = 3600 * 1000;

/**
 * Whether `occurredAt` (ms) is outside what the consumer stores: before 1970 (the queue body
 * holds non-negative ms, so such an event would be refused there with its whole message) or more
 * than {@link MAX_FUTURE_SKEW_MS} ahead of `now` (ms). NaN is not: the format check reports it.
 */
const outOfRange = (occurredAt: number, now: number) => occurredAt < 0 || occurredAt > now + MAX_FUTURE_SKEW_MS;

const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** The pattern behind `z.iso.datetime({ offset: true })`, taken from zod so both paths agree. */
const DATETIME_PATTERN = z.regexes.datetime({ offset: true });

export const TargetId = z.string().min(1).max(MAX_ID_LENGTH).describe("What the behaviour is about (a post, a product, a user), in your ids.").openapi({ example: "post_981" });
export const BehaviourTypeSchema = z.enum(BEHAVIOUR_TYPES).describe("Kind of behaviour.").openapi({ example: "like" });

export const BehaviourEventInput = z
  .object({
    userId: UserId.openapi({ description: "Who did it (the actor)." }),
    targetId: TargetId,
    type: BehaviourTypeSchema,
    action: z.enum(["add", "remove"]).default("add").openapi({ description: "`remove` undoes the behaviour (kept as a tombstone)." }),
    occurredAt: z.iso
      .datetime({ offset: true })
      .refine((v) => !outOfRange(Date.parse(v), Date.now()), "Must not be before 1970 or more than an hour in the future.")
      .optional()
      .openapi({ description: "When it happened (ISO-8601); the latest event per (user, target, type) wins. Default: now.", example: "2026-11-01T12:00:00Z" }),
    targetOwnerId: UserId.optional().openapi({ description: "Owner of the target; notified once on the first `add` by this actor." }),
    eventId: z
      .string()
      .regex(EVENT_ID_PATTERN, "1–128 printable ASCII characters, no spaces")
      .optional()
      .openapi({ description: "Your id for the event; breaks ties between events of the same millisecond. Default: a new ULID." }),
  })
  .strict()
  .openapi("BehaviourEvent", {
    example: { userId: "user_42", targetId: "post_981", type: "like", action: "add", occurredAt: "2026-11-01T12:00:00Z", targetOwnerId: "user_7", eventId: "app-evt-5521" },
  });
export type BehaviourEventInput = z.infer<typeof BehaviourEventInput>;

export const BehaviourBatchInput = z
  .object({ events: z.array(BehaviourEventInput).min(1).max(MAX_BATCH_EVENTS).describe(`1 to ${MAX_BATCH_EVENTS} behaviour events, stored in order.`) })
  .strict()
  .openapi("BehaviourBatch", {
    example: {
      events: [
        { userId: "user_42", targetId: "post_981", type: "like", action: "add", occurredAt: "2026-11-01T12:00:00Z", targetOwnerId: "user_7", eventId: "app-evt-5521" },
        { userId: "user_43", targetId: "user_7", type: "follow", action: "add", occurredAt: "2026-11-01T12:00:01Z", targetOwnerId: "user_7", eventId: "app-evt-5522" },
      ],
    },
  });

const EVENT_KEYS: ReadonlySet<string> = new Set(Object.keys(BehaviourEventInput.shape));
const TYPES: ReadonlySet<unknown> = new Set(BEHAVIOUR_TYPES);
const isUserId = (v: unknown) => UserId.safeParse(v).success;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `BehaviourBatchInput`'s parse, for batches where every event is plainly valid: the same value
 * zod returns, or null whenever zod might decide otherwise (any doubt, any error). Callers fall
 * back to zod on null, so zod stays the reference and the only source of error details.
 * The fallback is what keeps this exact: it may refuse more than zod, never accept more
 * (test/integration/behaviours-fast-path.test.ts checks both against random bodies).
 * @param now ms; the future-skew limit is measured from it, as the schema's refine does.
 */
export function parseBehaviourBatch(body: unknown, now: number): { events: BehaviourEventInput[] } | null {
  if (!isPlainObject(body)) return null;
  for (const key in body) if (key !== "events") return null;
  const { events } = body;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_BATCH_EVENTS) return null;
  const parsed: BehaviourEventInput[] = [];
  for (const input of events as unknown[]) {
    if (!isPlainObject(input)) return null;
    for (const key in input) if (!EVENT_KEYS.has(key)) return null;
    const { userId, targetId, type, action = "add", occurredAt, targetOwnerId, eventId } = input;
    if (!isUserId(userId) || typeof targetId !== "string" || targetId.length < 1 || targetId.length > MAX_ID_LENGTH) return null;
    if (!TYPES.has(type) || (action !== "add" && action !== "remove")) return null;
    if (occurredAt !== undefined && (typeof occurredAt !== "string" || !DATETIME_PATTERN.test(occurredAt) || outOfRange(Date.parse(occurredAt), now))) return null;
    if (targetOwnerId !== undefined && !isUserId(targetOwnerId)) return null;
    if (eventId !== undefined && (typeof eventId !== "string" || !EVENT_ID_PATTERN.test(eventId))) return null;
    const event = { userId, targetId, type, action } as BehaviourEventInput;
    // Only the keys the input has, as in zod's output: an absent optional key stays absent.
    if (occurredAt !== undefined) event.occurredAt = occurredAt;
    if (targetOwnerId !== undefined) event.targetOwnerId = targetOwnerId as string;
    if (eventId !== undefined) event.eventId = eventId;
    parsed.push(event);
  }
  return { events: parsed };
}

/**
 * Resolves an input's defaults once, at the edge, so every redelivery carries the same event.
 * @param now ms, the default `occurredAt`.
 */
export function resolveEvent(input: BehaviourEventInput, now: number): BehaviourEvent {
  return {
    eventId: input.eventId ?? newId(),
    userId: input.userId,
    targetId: input.targetId,
    type: input.type,
    action: input.action,
    occurredAt: input.occurredAt === undefined ? now : Date.parse(input.occurredAt),
    targetOwnerId: input.targetOwnerId ?? null,
  };
}
