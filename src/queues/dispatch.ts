/**
 * Dispatch queue consumer: loads the notifications named in each message, hands the in-app ones
 * to their users' inboxes, and records the outcome in D1 (`dispatched_at`, delivery `sent`).
 * Messages whose inbox call failed are retried with backoff; the inbox dedupes by id, so a
 * redelivered message never creates a second inbox item. Expired and recalled rows are never
 * handed over (SPEC §5): they are marked dispatched with their final in-app status.
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { enqueueChannelSends } from "../channels/send";
import { loadDispatchRows, markDispatchedStatements } from "../db/notifications";
import { backoffSeconds } from "../lib/queue";
import { deliverToInboxes, enqueueDispatch } from "../notifications/dispatch";
import { advanceDeliveries } from "./receipts";

const DispatchMessageSchema = z.object({ kind: z.literal("dispatch"), ids: z.array(z.string()).min(1), inboxed: z.literal(true).optional() });

/** Processes one batch of dispatch messages (see module comment). */
export async function processDispatch(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  const now = Date.now();
  const messages = batch.messages.flatMap((message) => {
    const parsed = DispatchMessageSchema.safeParse(message.body);
    if (parsed.success) return [{ message, ids: parsed.data.ids, inboxed: parsed.data.inboxed === true }];
    console.error(JSON.stringify({ level: "error", msg: "invalid dispatch message", id: message.id }));
    message.ack();
    return [];
  });
  const rows = await loadDispatchRows(env.DB, [...new Set(messages.flatMap((m) => m.ids))]);
  const pending = rows.filter((r) => r.dispatchedAt === null);
  // A recalled row is final at once, even before it is due: it must never reach an inbox.
  const recalled = pending.filter((r) => r.recalledAt !== null);
  // A message can arrive before its row is due (clock skew, sweeper): put it back for the rest.
  const early = pending.filter((r) => r.recalledAt === null && r.dispatchAfter > now);
  const expired = pending.filter((r) => r.recalledAt === null && r.dispatchAfter <= now && r.expiresAt !== null && r.expiresAt <= now);
  const due = pending.filter((r) => r.recalledAt === null && r.dispatchAfter <= now && !expired.includes(r));

  // Rows the HTTP fast path already handed to their inbox need no second call (the inbox would
  // only dedupe it); the rest go to their inboxes now.
  const inboxed = new Set(messages.filter((m) => m.inboxed).flatMap((m) => m.ids));
  const handed = await deliverToInboxes(env, due.filter((r) => !inboxed.has(r.id)), now);
  const delivered = [...handed.delivered, ...due.filter((r) => inboxed.has(r.id) && r.channels.includes("in_app")).map((r) => r.id)];
  const { failedUsers } = handed;
  const failedIds = new Set(due.filter((r) => !inboxed.has(r.id) && failedUsers.includes(r.userId)).map((r) => r.id));
  const done = [...due.filter((r) => !failedIds.has(r.id)), ...expired, ...recalled].map((r) => r.id);
  const at = (ids: string[]) => ids.map((id): [string, number] => [id, now]);

  const statements = [
    ...markDispatchedStatements(env.DB, done, now),
    ...advanceDeliveries(env.DB, "sent", at(delivered)),
    ...advanceDeliveries(env.DB, "expired", at(expired.map((r) => r.id))),
    ...advanceDeliveries(env.DB, "recalled", at(recalled.map((r) => r.id))),
  ];
  // Email, SMS and push go out through their own queue; enqueued before the rows are marked
  // dispatched, so a failed send retries this batch (the sender claims each delivery once).
  const channelIds = due.filter((r) => r.channels.some((c) => c !== "in_app")).map((r) => r.id);
  if (channelIds.length > 0) await enqueueChannelSends(env, channelIds);
  if (statements.length > 0) await env.DB.batch(statements);
  if (early.length > 0) await enqueueDispatch(env, early, now);

  for (const { message, ids } of messages) {
    if (ids.some((id) => failedIds.has(id))) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    else message.ack();
  }
}
