/**
 * Dead-letter queue consumer: every message that exhausted its retries on another queue lands
 * here and is stored in D1 `dead_letters` with its original body, so nothing accepted is lost
 * and it can be redriven to the queue it came from. A dead broadcast chunk is also counted on its
 * broadcast (`failed`, src/notifications/broadcast.ts), so the broadcast's progress shows it.
 *
 * It never drops a letter (issue 13 §3): letters are inserted in chunks under D1's statement
 * budget, each letter's id is derived from its queue message (a retried batch stores nothing
 * twice), and a batch with any letter not stored goes back to the queue with backoff — the
 * consumer's `max_retries` in wrangler.toml is high (100) so a D1 outage of hours is outlived.
 */
import { z } from "zod";
import { deadLetterIdFor, insertDeadLetterChunks, type DeadLetterSource } from "../db/dead-letters";
import { consumeBatch } from "../delivery/consumer";
import type { Bindings } from "../env";
import { BroadcastChunkMessage, deadLetteredChunkStatements } from "../notifications/broadcast";

/** Which queue a message kind belongs to, and the dead-letter `source` it is listed under. */
export const ORIGIN_BY_KIND: Record<string, { queue: string; source: DeadLetterSource }> = {
  dispatch: { queue: "herald-dispatch", source: "channel" },
  "broadcast-plan": { queue: "herald-broadcasts", source: "channel" },
  "broadcast-chunk": { queue: "herald-broadcasts", source: "channel" },
  receipts: { queue: "herald-receipts", source: "channel" },
  behaviours: { queue: "herald-behaviours", source: "behaviour" },
  user_events: { queue: "herald-sync", source: "sync" },
  deliver: { queue: "herald-sync", source: "sync" },
  reconcile: { queue: "herald-sync", source: "sync" },
  publish: { queue: "herald-messages", source: "message" },
  attempt: { queue: "herald-messages", source: "message" },
  channel: { queue: "herald-channels", source: "channel" },
};

/** Stores a batch of dead messages; any statement that fails gives the whole batch back (see above). */
export function processDeadLetters(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-dlq",
    source: "message",
    // Whatever another queue gave up on is kept as it is: no body is invalid here.
    schema: z.unknown(),
    async process(env, bodies, messages) {
      const letters = await Promise.all(
        messages.map(async (message, i) => {
          const kind = (bodies[i] as { kind?: unknown } | null)?.kind;
          const origin = (typeof kind === "string" && ORIGIN_BY_KIND[kind]) || { queue: "unknown", source: "message" as const };
          return {
            id: await deadLetterIdFor(message.id, message.timestamp),
            source: origin.source,
            sourceId: message.id,
            queue: origin.queue,
            payload: bodies[i] ?? null,
            attempts: message.attempts,
            lastError: "retries exhausted",
          };
        }),
      );
      // Chunks one by one, each its own transaction (count and insert): one failing chunk does
      // not undo the others, and the batch's retry then stores only what is missing.
      const now = Date.now();
      const results = await Promise.allSettled(insertDeadLetterChunks(env.DB, letters, now).map((pair) => env.DB.batch(pair)));
      const failed = results.filter((r) => r.status === "rejected");
      if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} dead-letter inserts failed: ${String(failed[0]!.reason)}`);
      // Stored first: a failure here retries the batch, which stores nothing twice and marks again (idempotent).
      const chunks = bodies.flatMap((body) => {
        const chunk = BroadcastChunkMessage.safeParse(body);
        return chunk.success ? [chunk.data] : [];
      });
      await Promise.all(chunks.map((chunk) => env.DB.batch(deadLetteredChunkStatements(env.DB, chunk, now))));
    },
  });
}
