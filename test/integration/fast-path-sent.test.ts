/**
 * The fast path without a dispatch message (src/notifications/dispatch.ts `deliverFast`,
 * src/inbox/mirror.ts): an in-app-only notification its inbox took is reported `sent` by the inbox,
 * and D1 marks it dispatched from that report; a report lost with its inbox leaves it to the
 * sweeper, which dispatches it again without a second inbox item (docs/api.md#sweepers).
 */
import { createExecutionContext, createMessageBatch, evictDurableObject, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import { deliverToInboxes } from "../../src/notifications/dispatch";
import { MIRROR_RETRY_MS } from "../../src/inbox/mirror";
import { STRANDED_AFTER_MS, sweepUndispatched } from "../../src/sweepers";
import { api, freshId, userToken, waitFor } from "../helpers";

type Row = { dispatched_at: number | null; status: string; attempts: number; sent_at: number | null; delivered_at: number | null };

/** The notification's dispatch time and its in-app delivery, from D1. */
const d1Row = (id: string) =>
  env.DB.prepare(
    `SELECT dispatched_at, in_app_status AS status, in_app_sent_at IS NOT NULL AS attempts, in_app_sent_at AS sent_at, in_app_delivered_at AS delivered_at
     FROM notifications WHERE id = ?`,
  )
    .bind(id)
    .first<Row>();

/** Counts the messages the Worker puts on the dispatch queue while `run` runs. */
async function dispatchMessagesDuring(run: () => Promise<void>): Promise<number> {
  const queue = env.DISPATCH as Queue & Record<string, unknown>;
  const [send, sendBatch] = [queue.send.bind(queue), queue.sendBatch.bind(queue)];
  let messages = 0;
  queue.send = (body, options) => ((messages += 1), send(body, options));
  queue.sendBatch = (batch, options) => ((messages += [...batch].length), sendBatch(batch, options));
  try {
    await run();
  } finally {
    queue.send = send;
    queue.sendBatch = sendBatch;
  }
  return messages;
}

async function inboxIds(userId: string) {
  const res = (await (await api("/v1/me/notifications", { auth: await userToken(userId) })).json()) as { items: { id: string }[] };
  return res.items.map((i) => i.id);
}

describe("the fast path's sent report", () => {
  it("marks an in-app-only notification dispatched and sent from its inbox's report, with no dispatch message", async () => {
    const userId = freshId();
    let id = "";
    const messages = await dispatchMessagesDuring(async () => {
      const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "fast", body: "path" } });
      expect(res.status).toBe(202);
      id = ((await res.json()) as { id: string }).id;
      await waitFor(async () => (await d1Row(id))?.status === "sent", { what: "sent in D1" });
    });
    expect(messages).toBe(0);
    const row = (await d1Row(id))!;
    expect(row.dispatched_at).not.toBeNull();
    expect(row.sent_at).toBe(row.dispatched_at);
    expect(row.attempts).toBe(1);
    expect(await inboxIds(userId)).toEqual([id]);
  });

  it("still enqueues a notification that also goes by email, flagged inboxed", async () => {
    const userId = freshId();
    let id = "";
    const messages = await dispatchMessagesDuring(async () => {
      const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "t", body: "b", channels: ["in_app", "email"] } });
      expect(res.status).toBe(202);
      id = ((await res.json()) as { id: string }).id;
      await waitFor(async () => (await d1Row(id))?.dispatched_at != null, { what: "dispatched in D1" });
    });
    expect(messages).toBe(1);
    expect(await inboxIds(userId)).toEqual([id]);
  });

  it("leaves a notification whose report was lost with its inbox to the sweeper, which dispatches it once", async () => {
    const userId = freshId();
    const inbox = inboxOf(env, userId);
    // The receipts queue refuses the inbox's sends, so the `sent` report stays in memory...
    const receiptsDown = (down: boolean) =>
      runInDurableObject(inbox, (instance: UserInbox) => {
        const queue = (instance as unknown as { env: { RECEIPTS: Queue & { realSendBatch?: Queue["sendBatch"] } } }).env.RECEIPTS;
        queue.realSendBatch ??= queue.sendBatch.bind(queue);
        queue.sendBatch = down ? () => Promise.reject(new Error("injected: queue unavailable")) : queue.realSendBatch;
      });
    await receiptsDown(true);
    let id = "";
    try {
      const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "lost", body: "report" } });
      id = ((await res.json()) as { id: string }).id;
      await waitFor(async () => {
        const alarm = await runInDurableObject(inbox, (_i, state) => state.storage.getAlarm());
        return alarm !== null && alarm <= Date.now() + MIRROR_RETRY_MS;
      }, { what: "a retry alarm after the failed send" });
      // ...and is lost with the instance.
      await evictDurableObject(inbox);
    } finally {
      await receiptsDown(false);
    }
    await runDurableObjectAlarm(inbox);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await d1Row(id))?.dispatched_at).toBeNull();

    expect(await sweepUndispatched(env, Date.now() + STRANDED_AFTER_MS + 1_000)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await d1Row(id))?.dispatched_at != null, { what: "dispatched by the sweeper's message" });
    expect((await d1Row(id))?.status).toBe("sent");
    expect(await inboxIds(userId)).toEqual([id]);
  });
});

describe("deliverToInboxes", () => {
  it("counts as delivered only what the inbox holds: not an id recalled before it arrived", async () => {
    const userId = freshId();
    const [recalled, kept] = [freshId("n"), freshId("n")];
    await inboxOf(env, userId).recall([recalled]);
    const now = Date.now();
    const row = (id: string) => ({
      id, userId, title: "t", body: "b", data: null, priority: "normal" as const, channels: ["in_app"], createdAt: now, expiresAt: null, dispatchAfter: now, category: "general", critical: false,
    });
    const handed = await deliverToInboxes(env, [row(recalled), row(kept)], now);
    expect(handed.delivered).toEqual([kept]);
    expect(handed.failedUsers).toEqual([]);
    expect(await inboxIds(userId)).toEqual([kept]);
  });
});

describe("receipts consumer", () => {
  /** An undispatched in-app notification created `created` (ms), as the accept path leaves it before its inbox reports. */
  async function acceptedRow(created: number): Promise<string> {
    const id = `01${crypto.randomUUID().replaceAll("-", "").slice(0, 24).toUpperCase()}`;
    await env.DB.prepare(
      `INSERT INTO notifications (id, user_id, title, body, channels, priority, created_at, updated_at, dispatch_after, enqueued_at, in_app_status)
       VALUES (?1, ?2, 't', 'b', '["in_app"]', 'normal', ?3, ?3, ?3, ?3, 'queued')`,
    )
      .bind(id, freshId(), created)
      .run();
    return id;
  }

  /** Runs one receipts message carrying `items` through the Worker's queue handler. */
  async function receive(items: unknown[]): Promise<void> {
    const batch = createMessageBatch("herald-receipts", [{ id: "m", timestamp: new Date(), attempts: 1, body: { kind: "receipts", items } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as never);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect(result.retryMessages).toEqual([]);
  }

  it("writes a sent folded into its ack once: sent at the hand-off, delivered at the ack", async () => {
    const created = Date.now() - 1_000;
    const id = await acceptedRow(created);
    await receive([{ type: "status", status: "sent", receipts: [[id, created + 10]] }, { type: "status", status: "delivered", receipts: [[id, created + 50]] }]);
    expect(await d1Row(id)).toEqual({ dispatched_at: created + 10, status: "delivered", attempts: 1, sent_at: created + 10, delivered_at: created + 50 });
  });

  it("marks dispatched from a sent that arrives after its ack, without moving the state back", async () => {
    // Queues are unordered: the ack's message can be consumed before the hand-off's.
    const created = Date.now() - 1_000;
    const id = await acceptedRow(created);
    await receive([{ type: "status", status: "delivered", receipts: [[id, created + 50]] }]);
    expect(await d1Row(id)).toEqual({ dispatched_at: null, status: "delivered", attempts: 1, sent_at: created + 50, delivered_at: created + 50 });
    await receive([{ type: "status", status: "sent", receipts: [[id, created + 10]] }]);
    expect(await d1Row(id)).toEqual({ dispatched_at: created + 10, status: "delivered", attempts: 1, sent_at: created + 50, delivered_at: created + 50 });
  });

  it("leaves a notification without in-app alone", async () => {
    const created = Date.now() - 1_000;
    const id = await acceptedRow(created);
    await env.DB.prepare(`UPDATE notifications SET channels = '["email"]', in_app_status = NULL WHERE id = ?1`).bind(id).run();
    await receive([{ type: "status", status: "read", receipts: [[id, created + 50]] }]);
    expect(await d1Row(id)).toEqual({ dispatched_at: null, status: null, attempts: 0, sent_at: null, delivered_at: null });
  });
});
