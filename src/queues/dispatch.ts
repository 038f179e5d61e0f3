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
import { backoffSeconds, chunkByBytes } from "../lib/queue";
import { deliverToInboxes, enqueueDispatch, type DispatchRow } from "../notifications/dispatch";
import { advanceDeliveries } from "./receipts";

/** JSON parameter budget per statement, under D1's 100 KB statement limit (a batch may name ~100,000 ids). */
const STATEMENT_JSON_BYTES = 90 * 1024;

const DispatchMessageSchema = z.object({ kind: z.literal("dispatch"), ids: z.array(z.string()).min(1), inboxed: z.literal(true).optional() });

interface NotificationRecord {
  id: string;
  user_id: string;
  title: string | null;
  body: string | null;
  data: string | null;
  priority: "high" | "normal" | "low";
  channels: string;
  created_at: number;
  expires_at: number | null;
  dispatch_after: number;
  dispatched_at: number | null;
  version: number;
  recalled_at: number | null;
}

/** Loads notification rows by id: one statement per ~90 KB of ids, all in one D1 batch. */
export async function loadDispatchRows(db: D1Database, ids: string[]): Promise<(DispatchRow & { dispatchedAt: number | null; recalledAt: number | null })[]> {
  const statement = db.prepare(
    `SELECT id, user_id, title, body, data, priority, channels, created_at, expires_at, dispatch_after, dispatched_at, version, recalled_at
     FROM notifications WHERE id IN (SELECT value FROM json_each(?1))`,
  );
  const chunks = chunkByBytes(ids, STATEMENT_JSON_BYTES);
  if (chunks.length === 0) return [];
  const results = (await db.batch<NotificationRecord>(chunks.map((chunk) => statement.bind(JSON.stringify(chunk))))).flatMap((r) => r.results);
  return results.map((r) => ({
    id: r.id,
    userId: r.user_id,
    title: r.title,
    body: r.body,
    data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown> | null),
    priority: r.priority,
    channels: JSON.parse(r.channels) as string[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    dispatchAfter: r.dispatch_after,
    dispatchedAt: r.dispatched_at,
    version: r.version,
    recalledAt: r.recalled_at,
  }));
}

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

  const markDispatched = env.DB.prepare(`UPDATE notifications SET dispatched_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND dispatched_at IS NULL`);
  const statements = [
    ...chunkByBytes(done, STATEMENT_JSON_BYTES).map((chunk) => markDispatched.bind(JSON.stringify(chunk), now)),
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
