/**
 * Behaviours queue consumer: the only writer of D1 `behaviours` (docs/data-model.md#behaviours, docs/api.md#behaviours). Each invocation
 * applies every event of the batch set-based, then notifies owners of the adds that won.
 * Queues deliver at least once and in no particular order; both steps are idempotent, so a
 * redelivered or retried batch yields the same rows and no second notification.
 */
import { waitUntil } from "cloudflare:workers";
import type { Bindings } from "../env";
import { chunkByBytes } from "../lib/queue";
import { applyBehaviours, winnersToNotify } from "../behaviours/apply";
import { BehavioursMessageSchema, type BehaviourEvent, type BehavioursMessage } from "../behaviours/events";
import { notifiesOwner, notifyOwners, type Unrendered } from "../behaviours/notify";
import { flushCountersSoon } from "../db/counter-buffer";
import { insertDeadLettersStatements } from "../db/dead-letters";
import { consumeBatch } from "../delivery/consumer";

/**
 * Processes one batch from `herald-behaviours` through the consumer skeleton
 * (src/delivery/consumer.ts): an invalid body becomes a dead letter; any failure — D1, the
 * dispatch queue — retries the whole batch with exponential backoff, and after `max_retries` the
 * messages go to the dead-letter queue.
 */
export function processBehaviours(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-behaviours",
    source: "behaviour",
    schema: BehavioursMessageSchema,
    process: (env, bodies, messages) =>
      applyEvents(
        env,
        bodies.flatMap((b) => b.events),
        Math.max(...messages.map((m) => m.attempts)),
      ),
  });
}

/**
 * Applies `events` set-based, then notifies owners of the adds that won; owner notifications that
 * cannot render become dead letters. `attempts` is the most any message carrying them has made.
 */
async function applyEvents(env: Bindings, events: BehaviourEvent[], attempts: number): Promise<void> {
  if (events.length === 0) return;
  const now = Date.now();
  const { applied, duplicatesSuppressed } = await applyBehaviours(env.DB, events, now);
  flushCountersSoon(env.DB, waitUntil);
  // Winners are read back rather than inferred from `changes`, so a retry after a crash between
  // applying and notifying still notifies (the rows already hold these events).
  const winners = await winnersToNotify(env.DB, events.filter(notifiesOwner));
  const { created: notified, unrendered } = await notifyOwners(env, winners, now);
  if (unrendered.length > 0) await deadLetterUnrendered(env.DB, unrendered, attempts, now);
  console.log(
    JSON.stringify({
      level: "info",
      msg: "behaviours applied",
      events: events.length,
      applied,
      duplicatesSuppressed,
      notified: notified.length,
      unrendered: unrendered.reduce((n, u) => n + u.events.length, 0),
      ms: Date.now() - now,
    }),
  );
}

/** Events per dead letter, as JSON bytes. */
const LETTER_JSON_BYTES = 90 * 1024;

/**
 * Records owner notifications that could not be rendered (a missing or inactive template
 * `behaviour.<type>`, missing variables) as dead letters, per template and ~90 KB of events
 * (docs/api.md#dead-letters: non-retryable failures become dead letters). `source` is
 * `behaviour`, `sourceId` the template, `lastError` the refusal naming it, and `payload` a
 * behaviours message of the events concerned: redriving it once the template exists applies them
 * again (a no-op for the rows) and notifies the owners whose rows are still unmarked.
 * @param now ms.
 */
async function deadLetterUnrendered(db: D1Database, unrendered: readonly Unrendered[], attempts: number, now: number): Promise<void> {
  const letters = unrendered.flatMap((u) =>
    chunkByBytes(u.events, LETTER_JSON_BYTES).map((events) => ({
      source: "behaviour" as const,
      sourceId: u.template,
      queue: "herald-behaviours",
      payload: { kind: "behaviours", events } satisfies BehavioursMessage,
      attempts,
      lastError: u.error,
    })),
  );
  await db.batch(insertDeadLettersStatements(db, letters, now));
}
