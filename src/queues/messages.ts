/**
 * `herald-messages` consumer: `publish` messages fan a published message out to its topic's
 * subscriptions, `attempt` messages carry delivery retries (delayed by their backoff).
 */
import { consumeBatch } from "../delivery/consumer";
import type { Bindings } from "../env";
import { attemptMessageDeliveries, fanOutMessages, MessagingMessageSchema } from "../messaging/engine";

/**
 * Processes one batch. Everything is idempotent (unique deliveries, pending-only attempts), so
 * an unexpected error retries the whole batch with backoff.
 */
export function processMessages(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-messages",
    source: "message",
    schema: MessagingMessageSchema,
    async process(env, bodies) {
      const publish = bodies.filter((b) => b.kind === "publish").flatMap((b) => b.ids);
      const attempt = bodies.filter((b) => b.kind === "attempt").flatMap((b) => b.ids);
      attempt.push(...(await fanOutMessages(env, publish)));
      await attemptMessageDeliveries(env, attempt);
    },
  });
}
