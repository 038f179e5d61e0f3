/**
 * Behaviours queue consumer: the only writer of D1 `behaviours` (SPEC §1, §4). Each invocation
 * applies every event of the batch set-based, then notifies owners of the adds that won.
 * Queues deliver at least once and in no particular order; both steps are idempotent, so a
 * redelivered or retried batch yields the same rows and no second notification.
 */
import type { Bindings } from "../env";
import { backoffSeconds } from "../lib/queue";
import { applyBehaviours, winnersToNotify } from "../behaviours/apply";
import { BehavioursMessageSchema, type BehaviourEvent } from "../behaviours/events";
import { notifiesOwner, notifyOwners } from "../behaviours/notify";

/**
 * Processes one batch from `herald-behaviours`. Invalid bodies are logged and acked (retrying
 * cannot fix them). Any failure — D1, the dispatch queue — retries the whole batch with
 * exponential backoff; after `max_retries` the messages go to the dead-letter queue.
 */
export async function processBehaviours(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  const now = Date.now();
  const events: BehaviourEvent[] = [];
  for (const message of batch.messages) {
    const parsed = BehavioursMessageSchema.safeParse(message.body);
    if (parsed.success) {
      events.push(...parsed.data.events);
      continue;
    }
    console.error(JSON.stringify({ level: "error", msg: "invalid behaviours message", id: message.id, issues: parsed.error.issues.slice(0, 5) }));
    message.ack();
  }
  if (events.length === 0) return;

  try {
    const { applied, duplicatesSuppressed } = await applyBehaviours(env.DB, events, now);
    // Winners are read back rather than inferred from `changes`, so a retry after a crash between
    // applying and notifying still notifies (the rows already hold these events).
    const winners = await winnersToNotify(env.DB, events.filter(notifiesOwner));
    const notified = await notifyOwners(env, winners, now);
    console.log(
      JSON.stringify({
        level: "info",
        msg: "behaviours applied",
        messages: batch.messages.length,
        events: events.length,
        applied,
        duplicatesSuppressed,
        notified: notified.length,
        ms: Date.now() - now,
      }),
    );
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.error(
      JSON.stringify({
        level: "error",
        msg: "behaviours batch failed, retrying",
        events: events.length,
        attempts,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    batch.retryAll({ delaySeconds: backoffSeconds(attempts) });
  }
}
