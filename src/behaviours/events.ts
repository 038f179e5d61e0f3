/**
 * Behaviour events as they travel from the HTTP handlers to the one queue consumer that applies
 * them (docs/api.md#behaviours). The HTTP layer resolves every default (event id, time) before enqueueing, so
 * a redelivered message carries exactly the same event and applying it again changes nothing.
 */
import { z } from "zod";
import { behaviours } from "../db/schema";

/** The behaviour types (docs/api.md#behaviours), from the schema. */
export const BEHAVIOUR_TYPES = behaviours.type.enumValues;
export type BehaviourType = (typeof BEHAVIOUR_TYPES)[number];

/** Ids the customer sends (`targetId`, `eventId`) are at most this many characters. */
export const MAX_ID_LENGTH = 128;

/**
 * One resolved event. `occurredAt` in ms since the epoch; `eventId` breaks ties between events
 * of the same millisecond (ULIDs from `newId()` sort by creation).
 */
export interface BehaviourEvent {
  eventId: string;
  userId: string;
  targetId: string;
  type: BehaviourType;
  action: "add" | "remove";
  occurredAt: number;
  targetOwnerId: string | null;
}

/** Body of a message on `herald-behaviours`: many events per message (see wrangler.toml). */
export interface BehavioursMessage {
  kind: "behaviours";
  events: BehaviourEvent[];
}

const id = z.string().min(1).max(MAX_ID_LENGTH);

const BehavioursMessageRuntime = z.object({
  kind: z.literal("behaviours"),
  events: z
    .array(
      z.object({
        eventId: id,
        userId: id,
        targetId: id,
        type: z.enum(BEHAVIOUR_TYPES),
        action: z.enum(["add", "remove"]),
        occurredAt: z.number().int().nonnegative(),
        targetOwnerId: id.nullable(),
      }),
    )
    .min(1),
}) satisfies z.ZodType<BehavioursMessage>;

const TYPES: ReadonlySet<unknown> = new Set(BEHAVIOUR_TYPES);
const isId = (v: unknown): v is string => typeof v === "string" && v.length >= 1 && v.length <= MAX_ID_LENGTH;

/**
 * `BehavioursMessageRuntime`'s parse for bodies that are plainly valid (every body our producer
 * sends): fresh objects with the known keys only, as zod's stripping parse returns, or
 * `z.INVALID` at any doubt so zod's runtime decides and reports. It may refuse more than zod,
 * never accept more.
 */
function parseBehavioursMessage(body: unknown): BehavioursMessage | typeof z.INVALID {
  if (typeof body !== "object" || body === null) return z.INVALID;
  const { kind, events } = body as Partial<Record<keyof BehavioursMessage, unknown>>;
  if (kind !== "behaviours" || !Array.isArray(events) || events.length === 0) return z.INVALID;
  const parsed: BehaviourEvent[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== "object" || e === null || Array.isArray(e)) return z.INVALID;
    const { eventId, userId, targetId, type, action, occurredAt, targetOwnerId } = e as Record<keyof BehaviourEvent, unknown>;
    if (!isId(eventId) || !isId(userId) || !isId(targetId) || !TYPES.has(type) || (action !== "add" && action !== "remove")) return z.INVALID;
    if (!Number.isSafeInteger(occurredAt) || (occurredAt as number) < 0 || (targetOwnerId !== null && !isId(targetOwnerId))) return z.INVALID;
    parsed.push({ eventId, userId, targetId, type: type as BehaviourType, action, occurredAt: occurredAt as number, targetOwnerId });
  }
  return { kind, events: parsed };
}

/**
 * Queue bodies are a trust boundary too (a redrive or a future producer may put anything on
 * the queue): this is what the consumer accepts. The hand-written parser is `safeParse`'s fast
 * path (zod's interpreter costs microseconds per event on Workers, where zod cannot compile);
 * zod's runtime remains the reference and gives the issues of a refused body.
 */
export const BehavioursMessageSchema = z.withParser(BehavioursMessageRuntime, parseBehavioursMessage);

/** `(userId, targetId, type)`: the identity of a behaviour row, as one string for Maps and Sets. */
export function behaviourKey(e: Pick<BehaviourEvent, "userId" | "targetId" | "type">): string {
  return JSON.stringify([e.userId, e.targetId, e.type]);
}
