/**
 * The broadcast fan-out on the `herald-broadcasts` queue (src/notifications/broadcast.ts explains
 * the design): planning a broadcast into chunks, and handing each chunk's item to its recipients'
 * inboxes. The dispatch consumer calls the same two functions for fan-out messages enqueued on
 * its queue before this one existed.
 */
import { countFannedOutStatement, loadBroadcasts, markFanningOutStatement, type Broadcast } from "../db/broadcasts";
import { markFannedOutStatement, pendingAmong, pendingRecipients } from "../db/broadcast-recipients";
import { countBroadcastCompletedStatement, countBroadcastFannedOutStatement } from "../db/counters";
import type { Bindings } from "../env";
import { consumeBatch } from "../delivery/consumer";
import { deliverToInboxes, type DispatchRow } from "../notifications/dispatch";
import { BroadcastQueueBody, enqueueBroadcastChunks, type BroadcastChunkMessage } from "../notifications/broadcast";

/**
 * Processes one batch of the broadcasts queue through the consumer skeleton
 * (src/delivery/consumer.ts): plans first, then chunks; an invalid body becomes a dead letter; a
 * chunk whose inbox calls failed is retried alone, with backoff; a D1 or queue failure retries the
 * batch's messages. After `max_retries` a chunk becomes a dead letter its broadcast counts
 * (src/queues/dead-letters.ts).
 */
export function processBroadcasts(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-broadcasts",
    source: "channel",
    schema: BroadcastQueueBody,
    settle: "message",
    process: async (env, bodies, messages) => {
      const plans = bodies.flatMap((body) => (body.kind === "broadcast-plan" ? [body.broadcastId] : []));
      if (plans.length > 0) await planBroadcasts(env, plans);
      const chunks = bodies.flatMap((body, i) => (body.kind === "broadcast-chunk" ? [{ message: messages[i]!, body }] : []));
      return { retry: await fanOutChunks(env, chunks) };
    },
  });
}

/**
 * Plans each broadcast: enqueues its recipients not yet fanned out as chunk messages, then marks it
 * `fanning_out`. A redelivered plan enqueues the pending recipients again; their chunks find them
 * fanned out or deliver an id the inbox already holds, so nothing is received twice.
 */
export async function planBroadcasts(env: Bindings, broadcastIds: readonly string[]): Promise<void> {
  for (const id of new Set(broadcastIds)) {
    await enqueueBroadcastChunks(env, id, await pendingRecipients(env.DB, id));
    await markFanningOutStatement(env.DB, id).run();
  }
}

/** A broadcast as the inbox dispatcher takes it, for one recipient: the item id is the broadcast id. */
function rowFor(b: Broadcast, userId: string): DispatchRow {
  return {
    id: b.id,
    userId,
    title: b.title,
    body: b.body,
    data: b.data === null ? null : (JSON.parse(b.data) as Record<string, unknown>),
    priority: b.priority,
    channels: ["in_app"],
    createdAt: b.createdAt,
    expiresAt: b.expiresAt,
    dispatchAfter: b.createdAt,
    category: b.category,
    critical: b.critical,
    tags: b.tags,
    actions: b.actions,
  };
}

/**
 * Fans out chunks, one at a time (each runs its inbox calls (≤ `CHUNK_RECIPIENTS`) in parallel):
 * the recipients not yet fanned out get the item — preferences judged per recipient, as for any
 * notification (src/notifications/dispatch.ts `deliverToInboxes`) — and are then marked and
 * counted in one transaction. An expired broadcast is counted without delivery.
 * @returns the messages to retry: those with a recipient whose inbox call failed (the others of
 *          the chunk are marked already, so the retry calls only the failed inboxes).
 */
export async function fanOutChunks<M>(env: Bindings, chunks: { message: M; body: BroadcastChunkMessage }[]): Promise<M[]> {
  const broadcasts = new Map((await loadBroadcasts(env.DB, [...new Set(chunks.map((c) => c.body.broadcastId))])).map((b) => [b.id, b]));
  const retry: M[] = [];
  for (const { message, body } of chunks) {
    const broadcast = broadcasts.get(body.broadcastId);
    // Gone: purged by retention after it completed, so this is a late duplicate.
    if (!broadcast) continue;
    const pending = await pendingAmong(env.DB, broadcast.id, body.userIds);
    if (pending.length === 0) continue;
    const now = Date.now();
    const { failedUsers } = await deliverToInboxes(env, pending.map((userId) => rowFor(broadcast, userId)), now);
    const failed = new Set(failedUsers);
    const done = pending.filter((u) => !failed.has(u));
    if (done.length > 0) {
      // One transaction, in this order: both counts read the recipients still unmarked.
      await env.DB.batch([
        countBroadcastFannedOutStatement(env.DB, broadcast.id, done),
        countFannedOutStatement(env.DB, broadcast.id, done, now),
        countBroadcastCompletedStatement(env.DB, broadcast.id, now),
        markFannedOutStatement(env.DB, broadcast.id, done, now),
      ]);
    }
    if (failed.size > 0) retry.push(message);
  }
  return retry;
}
