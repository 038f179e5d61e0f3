/**
 * Helpers for inbox tests that drive the dispatch queue themselves: notifications stored with the
 * production insert (as an accepted request leaves them, before its enqueue), dispatch batches
 * run through the Worker's queue handler, and in-app delivery states read from D1.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";
import { newId } from "../src/lib/ids";
import { insertNotificationStatements, type NotificationRow } from "../src/notifications/store";

/** Stores notifications (literal title/body, in-app) as `POST /v1/notifications` would, without dispatching them. */
export async function storeNotifications(rows: (Partial<NotificationRow> & { userId: string })[]): Promise<NotificationRow[]> {
  const now = Date.now();
  const full = rows.map(
    (r, i): NotificationRow => ({
      id: newId(),
      idempotencyKey: null,
      fingerprint: null,
      template: null,
      data: null,
      title: `n${i}`,
      body: "b",
      channels: ["in_app"],
      priority: "normal",
      createdAt: now,
      expiresAt: null,
      dispatchAfter: now,
      category: "general",
      critical: false,
      ...r,
    }),
  );
  for (let i = 0; i < full.length; i += 500) await env.DB.batch(insertNotificationStatements(env.DB, full.slice(i, i + 500)));
  return full;
}

/**
 * Runs one dispatch batch (each element of `messages` is one message's ids) through the Worker's
 * queue handler with `bindings` (default: the real ones), as the queue would deliver it.
 * @returns the queue's view of the outcome (acked and retried message ids), and the messages it
 *          asked to retry, to redeliver them. Rejects when the handler throws (the whole batch
 *          would be redelivered).
 */
export async function runDispatchBatch(messages: string[][], opts: { attempts?: number; bindings?: unknown } = {}) {
  const bodies = new Map(messages.map((ids) => [`m_${crypto.randomUUID()}`, ids]));
  const batch = createMessageBatch(
    "herald-dispatch",
    [...bodies].map(([id, ids]) => ({ id, timestamp: new Date(), attempts: opts.attempts ?? 1, body: { kind: "dispatch", ids } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, (opts.bindings ?? env) as never);
  const result = await getQueueResult(batch, ctx);
  return { ...result, toRetry: result.retryMessages.map((m) => bodies.get(m.msgId)!) };
}

/** In-app delivery status of each id, from D1. */
export async function inAppStatuses(ids: string[]): Promise<Map<string, string>> {
  const { results } = await env.DB.prepare(
    `SELECT id, in_app_status AS status FROM notifications WHERE in_app_status IS NOT NULL AND id IN (SELECT value FROM json_each(?1))`,
  )
    .bind(JSON.stringify(ids))
    .all<{ id: string; status: string }>();
  return new Map(results.map((r) => [r.id, r.status]));
}
