/**
 * Broadcasts (docs/api.md#audiences): one in-app notification to every subscriber a
 * topic has at acceptance, fanned out through the broadcasts queue.
 *
 * Acceptance writes, in one transaction, the broadcast (content rendered once, `recipients` = the
 * subscriber count) and a copy of the subscriber set (`broadcast_recipients`): the recipient set
 * is fixed there. Users who subscribe later are not in the copy; users who unsubscribe before
 * their chunk runs are still in it, so they are counted and still receive it.
 *
 * The fan-out is two message kinds on the `herald-broadcasts` queue, both safe to redeliver (the
 * dispatch queue, which carried them before that queue existed, still takes them, for messages
 * enqueued then):
 * - `broadcast-plan {broadcastId}` reads the snapshot's pending recipients and enqueues them as
 *   `broadcast-chunk` messages of at most {@link CHUNK_RECIPIENTS} users each;
 * - `broadcast-chunk {broadcastId, userIds}` hands the item to each inbox (one call per inbox per
 *   chunk), then marks those recipients fanned out and counts them, in one transaction.
 * The inbox item's id is the broadcast id, and `UserInbox.deliver` keeps an id it holds, so a
 * redelivered chunk, a retried plan or an inbox evicted mid-call never leaves a second item.
 *
 * A chunk whose inbox calls keep failing exhausts the queue's retries and becomes a dead letter
 * (src/queues/dead-letters.ts): its recipients not yet fanned out are counted in `failed` and the
 * broadcast shows `status: failed`. Redriving the letter (src/queues/redrive.ts) takes them off
 * `failed` and puts the chunk back on the queue; the fan-out then completes as usual.
 */
import { z } from "zod";
import { countFailedStatement, countReopenedStatement, insertBroadcastStatement, type NewBroadcast } from "../db/broadcasts";
import { clearFailedStatement, markFailedStatement, snapshotRecipientsStatement } from "../db/broadcast-recipients";
import type { Bindings } from "../env";
import { MAX_SEND_BATCH_MESSAGES, sendPacked } from "../lib/queue";

/**
 * Recipients per chunk message: each chunk costs one consumer pass with this many parallel inbox
 * calls. Small enough that a retried chunk redoes little, large enough that 100,000 recipients are
 * 400 messages (4 `sendBatch` calls).
 */
export const CHUNK_RECIPIENTS = 250;

export const BroadcastPlanMessage = z.object({ kind: z.literal("broadcast-plan"), broadcastId: z.string().min(1) });
export const BroadcastChunkMessage = z.object({ kind: z.literal("broadcast-chunk"), broadcastId: z.string().min(1), userIds: z.array(z.string().min(1)).min(1).max(CHUNK_RECIPIENTS) });
export const BroadcastQueueBody = z.discriminatedUnion("kind", [BroadcastPlanMessage, BroadcastChunkMessage]);
export type BroadcastPlanMessage = z.infer<typeof BroadcastPlanMessage>;
export type BroadcastChunkMessage = z.infer<typeof BroadcastChunkMessage>;

/**
 * The statements that accept a broadcast; run them in one `db.batch` (with the idempotency
 * completion when keyed). The first returns `{recipients}` when the broadcast was inserted.
 * @param claimedScope the idempotency scope whose record must name `b.id` (null without a key).
 */
export function acceptBroadcastStatements(db: D1Database, b: NewBroadcast, claimedScope: string | null): D1PreparedStatement[] {
  return [insertBroadcastStatement(db, b, claimedScope), snapshotRecipientsStatement(db, b.id, b.topic)];
}

/** Enqueues the fan-out plan of `broadcastIds` (a message each, ≤ 100 per `sendBatch`). */
export async function enqueueBroadcastPlans(env: Pick<Bindings, "BROADCASTS">, broadcastIds: readonly string[]): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < broadcastIds.length; i += MAX_SEND_BATCH_MESSAGES) {
    const body = (broadcastId: string): BroadcastPlanMessage => ({ kind: "broadcast-plan", broadcastId });
    sends.push(env.BROADCASTS.sendBatch(broadcastIds.slice(i, i + MAX_SEND_BATCH_MESSAGES).map((id) => ({ body: body(id), contentType: "json" as const }))));
  }
  await Promise.all(sends);
}

/** Enqueues `userIds` of a broadcast as chunk messages of at most {@link CHUNK_RECIPIENTS} users. */
export async function enqueueBroadcastChunks(env: Pick<Bindings, "BROADCASTS">, broadcastId: string, userIds: readonly string[]): Promise<void> {
  await sendPacked<string, BroadcastChunkMessage>(env.BROADCASTS, userIds, (chunk) => ({ kind: "broadcast-chunk", broadcastId, userIds: chunk }), 0, "json", CHUNK_RECIPIENTS);
}

/**
 * The statements that record a dead-lettered chunk: its recipients not yet fanned out count as
 * `failed` and the broadcast's status becomes `failed`. Run them in one `db.batch`; a second run
 * for the same chunk (a redelivered dead letter) changes nothing.
 * @param now ms since the epoch.
 */
export function deadLetteredChunkStatements(db: D1Database, chunk: BroadcastChunkMessage, now: number): D1PreparedStatement[] {
  return [countFailedStatement(db, chunk.broadcastId, chunk.userIds), markFailedStatement(db, chunk.broadcastId, chunk.userIds, now)];
}

/**
 * The statements that reopen a dead-lettered chunk before its redrive: its recipients leave
 * `failed`, and the broadcast goes back to `fanning_out` when no other chunk is dead. Run them in
 * one `db.batch`, then send the chunk to the dispatch queue again.
 */
export function reopenedChunkStatements(db: D1Database, chunk: BroadcastChunkMessage): D1PreparedStatement[] {
  return [countReopenedStatement(db, chunk.broadcastId, chunk.userIds), clearFailedStatement(db, chunk.broadcastId, chunk.userIds)];
}
