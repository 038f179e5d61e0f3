/**
 * Dispatch queue consumer: loads the notifications named in each message, hands the in-app ones
 * to their users' inboxes, and records the outcome in D1 (`dispatched_at`, delivery `sent`, or
 * `skipped` when the user's preferences keep it out of the inbox).
 * Messages whose inbox call failed are retried with backoff; the inbox dedupes by id, so a
 * redelivered message never creates a second inbox item. Expired and recalled rows are never
 * handed over (docs/api.md#delivery-statuses): they are marked dispatched with their final in-app status.
 * Broadcast fan-out messages (`broadcast-plan`, `broadcast-chunk`) have their own queue now
 * (src/queues/broadcasts.ts); this consumer still takes those enqueued here before it existed.
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { enqueueChannelSends } from "../channels/send";
import { waitUntil } from "cloudflare:workers";
import { countedBatch, flushCountersSoon } from "../db/counter-buffer";
import { loadDispatchRows, markDispatchedStatements } from "../db/notifications";
import { consumeBatch } from "../delivery/consumer";
import { deliverToInboxes, enqueueDispatch } from "../notifications/dispatch";
import { skipStatements } from "../preferences/apply";
import { BroadcastChunkMessage, BroadcastPlanMessage } from "../notifications/broadcast";
import { fanOutChunks, planBroadcasts } from "./broadcasts";
import { advanceDeliveries } from "./receipts";

const DispatchMessageSchema = z.object({ kind: z.literal("dispatch"), ids: z.array(z.string()).min(1), inboxed: z.literal(true).optional() });

type DispatchMessage = z.infer<typeof DispatchMessageSchema>;

const DispatchQueueBody = z.discriminatedUnion("kind", [DispatchMessageSchema, BroadcastPlanMessage, BroadcastChunkMessage]);
type DispatchQueueBody = z.infer<typeof DispatchQueueBody>;

/**
 * Processes one batch of dispatch messages (see module comment) through the consumer skeleton
 * (src/delivery/consumer.ts): an invalid body becomes a dead letter; a message whose inbox call
 * failed is retried alone; a D1 or queue failure retries the batch, with backoff.
 */
export function processDispatch(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-dispatch",
    source: "channel",
    schema: DispatchQueueBody,
    settle: "message",
    process: (env, bodies, messages) => route(env, bodies, messages),
  });
}

/** Sends each kind of body to its handler; a plan or chunk failure throws (the skeleton retries the batch). */
async function route(env: Bindings, bodies: DispatchQueueBody[], messages: readonly Message<unknown>[]) {
  const of = <K extends DispatchQueueBody["kind"]>(kind: K) =>
    bodies.flatMap((body, i) => (body.kind === kind ? [{ message: messages[i]!, body: body as Extract<DispatchQueueBody, { kind: K }> }] : []));
  const notifications = of("dispatch");
  const retry: Message<unknown>[] = [];
  if (notifications.length > 0) {
    retry.push(...(await dispatch(env, notifications.map(({ message, body }) => ({ message, ids: body.ids, inboxed: body.inboxed === true })))).retry);
  }
  const plans = of("broadcast-plan");
  if (plans.length > 0) await planBroadcasts(env, plans.map((p) => p.body.broadcastId));
  // Only with chunks: even an empty list costs `fanOutChunks` a D1 round trip (its broadcasts lookup).
  const chunks = of("broadcast-chunk");
  if (chunks.length > 0) retry.push(...(await fanOutChunks(env, chunks)));
  return { retry };
}

/** Dispatches the notifications of `messages`; returns the messages to retry (their inbox call failed). */
async function dispatch(env: Bindings, messages: { message: Message<unknown>; ids: DispatchMessage["ids"]; inboxed: boolean }[]) {
  const now = Date.now();
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

  // The `sent` update marks its rows dispatched itself (advanceInAppStatement): one row write each.
  const sent = new Set(delivered);
  const statements = [
    ...markDispatchedStatements(env.DB, done.filter((id) => !sent.has(id)), now),
    ...advanceDeliveries(env.DB, "sent", at(delivered)),
    ...advanceDeliveries(env.DB, "expired", at(expired.map((r) => r.id))),
    ...advanceDeliveries(env.DB, "recalled", at(recalled.map((r) => r.id))),
    ...skipStatements(env.DB, handed.skipped, now),
  ];
  // Email, SMS and push go out through their own queue; enqueued before the rows are marked
  // dispatched, so a failed send retries this batch (the sender claims each delivery once).
  const channelIds = due.filter((r) => r.channels.some((c) => c !== "in_app")).map((r) => r.id);
  if (channelIds.length > 0) await enqueueChannelSends(env, channelIds);
  if (statements.length > 0) await countedBatch(env.DB, statements);
  flushCountersSoon(env.DB, waitUntil);
  if (early.length > 0) await enqueueDispatch(env, early, now);

  return { retry: messages.filter(({ ids }) => ids.some((id) => failedIds.has(id))).map(({ message }) => message) };
}
