/**
 * `herald-messages` consumer: `publish` messages fan a published message out to its topic's
 * subscriptions, `attempt` messages carry delivery retries (delayed by their backoff).
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { backoffSeconds } from "../lib/queue";
import { attemptMessageDeliveries, fanOutMessages } from "../messaging/engine";

const MessagingMessageSchema = z.object({ kind: z.enum(["publish", "attempt"]), ids: z.array(z.string()) });

/**
 * Processes one batch. Everything is idempotent (unique deliveries, pending-only attempts), so
 * an unexpected error retries the whole batch with backoff.
 */
export async function processMessages(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  const publish: string[] = [];
  const attempt: string[] = [];
  for (const message of batch.messages) {
    const parsed = MessagingMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "invalid messaging message", id: message.id }));
      message.ack();
      continue;
    }
    (parsed.data.kind === "publish" ? publish : attempt).push(...parsed.data.ids);
  }
  try {
    attempt.push(...(await fanOutMessages(env, publish)));
    await attemptMessageDeliveries(env, attempt);
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.error(JSON.stringify({ level: "error", msg: "messaging batch failed, retrying", attempts, error: String(error) }));
    batch.retryAll({ delaySeconds: backoffSeconds(attempts) });
  }
}
