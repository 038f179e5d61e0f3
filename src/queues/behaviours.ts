/**
 * Behaviours queue consumer: the only writer of D1 `behaviours` (SPEC §1, §4). Each invocation
 * applies every event of the batch set-based, then notifies owners of the adds that won.
 * Queues deliver at least once and in no particular order; both steps are idempotent, so a
 * redelivered or retried batch yields the same rows and no second notification.
 */
import type { Bindings } from "../env";
import { backoffSeconds, chunkByBytes } from "../lib/queue";
import { applyBehaviours, winnersToNotify } from "../behaviours/apply";
import { BehavioursMessageSchema, type BehaviourEvent, type BehavioursMessage } from "../behaviours/events";
import { notifiesOwner, notifyOwners, type Unrendered } from "../behaviours/notify";
import { newId } from "../lib/ids";

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
    const { created: notified, unrendered } = await notifyOwners(env, winners, now);
    if (unrendered.length > 0) await deadLetterUnrendered(env.DB, unrendered, Math.max(...batch.messages.map((m) => m.attempts)), now);
    console.log(
      JSON.stringify({
        level: "info",
        msg: "behaviours applied",
        messages: batch.messages.length,
        events: events.length,
        applied,
        duplicatesSuppressed,
        notified: notified.length,
        unrendered: unrendered.reduce((n, u) => n + u.events.length, 0),
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

/** Events per dead letter, as JSON bytes. */
const LETTER_JSON_BYTES = 90 * 1024;

/**
 * INTERIM — dead_letters SQL outside its module: src/db/dead-letters.ts is being written on
 * another branch; after merging, this becomes a call to its insert (one letter per row below).
 *
 * Records owner notifications that could not be rendered (a missing or inactive template
 * `behaviour.<type>`, missing variables) as dead letters, per template and ~90 KB of events (SPEC §16:
 * non-retryable failures become dead letters). `source` is `behaviour`, `source_id` the template,
 * `last_error` the refusal naming it, and `payload` a behaviours message of the events concerned:
 * redriving it once the template exists applies them again (a no-op for the rows) and notifies
 * the owners whose rows are still unmarked.
 * @param now ms.
 */
async function deadLetterUnrendered(db: D1Database, unrendered: readonly Unrendered[], attempts: number, now: number): Promise<void> {
  const statement = db.prepare(
    `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
     VALUES (?1, 'behaviour', ?2, 'herald-behaviours', json(?3), ?4, ?5, ?6)`,
  );
  // A letter holds at most ~90 KB of events: a letter is one row, and its payload one parameter.
  const letters = unrendered.flatMap((u) =>
    chunkByBytes(u.events, LETTER_JSON_BYTES).map((events) =>
      statement.bind(newId(), u.template, JSON.stringify({ kind: "behaviours", events } satisfies BehavioursMessage), attempts, u.error, now),
    ),
  );
  await db.batch(letters);
}
