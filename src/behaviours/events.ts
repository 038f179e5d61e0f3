/**
 * Behaviour events as they travel from the HTTP handlers to the one queue consumer that applies
 * them (SPEC §4). The HTTP layer resolves every default (event id, time) before enqueueing, so
 * a redelivered message carries exactly the same event and applying it again changes nothing.
 */
import { z } from "zod";

export const BEHAVIOUR_TYPES = ["like", "favorite", "follow", "share", "view", "comment"] as const;
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

/**
 * Queue bodies are a trust boundary too (a redrive or a future producer may put anything on
 * the queue): this is what the consumer accepts.
 */
export const BehavioursMessageSchema = z.object({
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

/** `(userId, targetId, type)`: the identity of a behaviour row, as one string for Maps and Sets. */
export function behaviourKey(e: Pick<BehaviourEvent, "userId" | "targetId" | "type">): string {
  return JSON.stringify([e.userId, e.targetId, e.type]);
}
