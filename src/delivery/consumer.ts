/**
 * The one queue-consumer skeleton (issue 13 §2; the shape of unkey's consumers): parse every
 * body with the queue's zod schema, do the batch's work, ack it — or, on an unexpected error,
 * give the batch back with exponential backoff. A body that fails its schema can never succeed,
 * so it is dead-lettered with the parse error (issue 13 §3: invalid bodies are kept, not only
 * logged) and acked; the valid rest is processed as usual.
 */
import type { z } from "zod";
import { deadLetterIdFor, insertDeadLettersStatements, type DeadLetterSource } from "../db/dead-letters";
import type { Bindings } from "../env";
import { backoffSeconds } from "../lib/queue";

/** What a queue's consumer declares; the skeleton does the rest. */
export interface QueueConsumer<B> {
  /** The queue's name, stored on dead letters (redrive sends them back there). */
  queue: string;
  /** The dead-letter `source` for this queue's invalid bodies. */
  source: DeadLetterSource;
  schema: z.ZodType<B>;
  /**
   * How the batch is settled. `batch` (default): the work is one transaction, so the batch is
   * acked or retried as a whole. `message`: each message's part stands alone (dispatch: one
   * user's inbox failing must not redo another's), so each message is acked or retried on its
   * own, with its own attempts' backoff.
   */
  settle?: "batch" | "message";
  /**
   * The batch's work for its valid bodies, in arrival order (`messages[i]` carried `bodies[i]`).
   * It must be idempotent: a throw gives every valid message back to the queue (at least once),
   * and they come again. It may name messages whose own part failed (a user's inbox was
   * unreachable): those alone are retried with backoff, the rest acked.
   */
  process(env: Bindings, bodies: B[], messages: readonly Message<unknown>[]): Promise<void | { retry: readonly Message<unknown>[] }>;
}

/** The parse error of a body, as the dead letter's `lastError` (paths and messages, ≤ 1,000 chars). */
function parseError(error: z.ZodError): string {
  const issues = error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(body)"}: ${i.message}`).join("; ");
  return `invalid queue body: ${issues}`.slice(0, 1000);
}

/**
 * Runs one batch through `consumer`. Acks what is done; retries on error with
 * `backoffSeconds(attempts)` (the most attempts any message of the batch has made). Never throws:
 * a throw from a consumer would make the runtime retry the batch at once, without backoff.
 */
export async function consumeBatch<B>(env: Bindings, batch: MessageBatch<unknown>, consumer: QueueConsumer<B>): Promise<void> {
  const bodies: B[] = [];
  const valid: Message<unknown>[] = [];
  const invalid: { message: Message<unknown>; error: string }[] = [];
  for (const message of batch.messages) {
    const parsed = consumer.schema.safeParse(message.body);
    if (parsed.success) {
      bodies.push(parsed.data);
      valid.push(message);
    } else invalid.push({ message, error: parseError(parsed.error) });
  }
  const delaySeconds = backoffSeconds(Math.max(...batch.messages.map((m) => m.attempts)));
  if (invalid.length > 0) {
    try {
      // Ids derived from the message: a redelivery of one already stored stores nothing new.
      const letters = await Promise.all(
        invalid.map(async ({ message, error }) => ({
          id: await deadLetterIdFor(message.id, message.timestamp),
          source: consumer.source,
          sourceId: message.id,
          queue: consumer.queue,
          payload: message.body ?? null,
          attempts: message.attempts,
          lastError: error,
        })),
      );
      await env.DB.batch(insertDeadLettersStatements(env.DB, letters, Date.now()));
      for (const { message, error } of invalid) {
        console.error(JSON.stringify({ level: "error", msg: "invalid queue body dead-lettered", queue: consumer.queue, id: message.id, error }));
        message.ack();
      }
    } catch (error) {
      // Not stored: keep them on the queue (after max_retries they reach the dead-letter queue).
      console.error(JSON.stringify({ level: "error", msg: "could not dead-letter invalid bodies, retrying", queue: consumer.queue, error: String(error) }));
      for (const { message } of invalid) message.retry({ delaySeconds });
    }
  }
  const perMessage = consumer.settle === "message";
  try {
    const outcome = valid.length > 0 ? await consumer.process(env, bodies, valid) : undefined;
    const retry = new Set(outcome?.retry ?? []);
    if (retry.size === 0 && !perMessage) return batch.ackAll();
    for (const message of valid) {
      if (retry.has(message)) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      else message.ack();
    }
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "batch failed, retrying", queue: consumer.queue, attempts: Math.max(...valid.map((m) => m.attempts)), error: String(error) }));
    // `retryAll` would also retry the messages acked above: retry the valid ones one by one then.
    if (perMessage) for (const message of valid) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    else if (invalid.length === 0) batch.retryAll({ delaySeconds });
    else for (const message of valid) message.retry({ delaySeconds });
  }
}
