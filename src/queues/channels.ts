/** `herald-channels` consumer: email, SMS and Web Push sends (see src/channels/send.ts). */
import { z } from "zod";
import type { Bindings } from "../env";
import { backoffSeconds } from "../lib/queue";
import { sendChannels } from "../channels/send";

const ChannelQueueMessageSchema = z.object({ kind: z.literal("channel"), ids: z.array(z.string()) });

/** Processes one batch; sends are idempotent per (notification, channel) status, so errors retry the batch. */
export async function processChannels(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  const ids: string[] = [];
  for (const message of batch.messages) {
    const parsed = ChannelQueueMessageSchema.safeParse(message.body);
    if (parsed.success) ids.push(...parsed.data.ids);
    else {
      console.error(JSON.stringify({ level: "error", msg: "invalid channel message", id: message.id }));
      message.ack();
    }
  }
  try {
    await sendChannels(env, ids);
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.error(JSON.stringify({ level: "error", msg: "channel batch failed, retrying", attempts, error: String(error) }));
    batch.retryAll({ delaySeconds: backoffSeconds(attempts) });
  }
}
