/**
 * Dead-letter queue consumer: every message that exhausted its retries on another queue lands
 * here and is stored in D1 `dead_letters` with its original body, so nothing accepted is lost
 * and it can be redriven to the queue it came from.
 */
import type { Bindings } from "../env";
import { newId } from "../lib/ids";

/** Which queue a message kind belongs to, and the dead-letter `source` it is listed under. */
export const ORIGIN_BY_KIND: Record<string, { queue: string; source: string }> = {
  dispatch: { queue: "herald-dispatch", source: "channel" },
  receipts: { queue: "herald-receipts", source: "channel" },
  behaviours: { queue: "herald-behaviours", source: "behaviour" },
  user_events: { queue: "herald-sync", source: "sync" },
  deliver: { queue: "herald-sync", source: "sync" },
  reconcile: { queue: "herald-sync", source: "sync" },
  publish: { queue: "herald-messages", source: "message" },
  attempt: { queue: "herald-messages", source: "message" },
  channel: { queue: "herald-channels", source: "channel" },
};

/** Stores a batch of dead messages in one statement. */
export async function processDeadLetters(env: Pick<Bindings, "DB">, batch: MessageBatch<unknown>): Promise<void> {
  const now = Date.now();
  const rows = batch.messages.map((message) => {
    const kind = (message.body as { kind?: unknown } | null)?.kind;
    const origin = (typeof kind === "string" && ORIGIN_BY_KIND[kind]) || { queue: "unknown", source: "message" };
    return {
      id: newId(),
      source: origin.source,
      sourceId: message.id,
      queue: origin.queue,
      payload: message.body ?? null,
      attempts: message.attempts,
      lastError: "retries exhausted",
      createdAt: now,
    };
  });
  await env.DB.prepare(
    `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
     SELECT v->>'id', v->>'source', v->>'sourceId', v->>'queue', v->'payload', v->>'attempts', v->>'lastError', v->>'createdAt'
     FROM (SELECT value AS v FROM json_each(?1))`,
  )
    .bind(JSON.stringify(rows))
    .run();
  batch.ackAll();
}
