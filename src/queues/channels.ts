/** `herald-channels` consumer: email, SMS and Web Push sends (see src/channels/send.ts). */
import { ChannelQueueMessageSchema, sendChannels } from "../channels/send";
import { consumeBatch } from "../delivery/consumer";
import type { Bindings } from "../env";

/** Processes one batch; sends are idempotent per (notification, channel) status, so errors retry the batch. */
export function processChannels(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-channels",
    source: "channel",
    schema: ChannelQueueMessageSchema,
    process: (env, bodies) => sendChannels(env, bodies.flatMap((b) => b.ids)),
  });
}
