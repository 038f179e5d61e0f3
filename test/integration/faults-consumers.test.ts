/**
 * Queue consumers under faults (issue 9): a D1 write fails on a message's first delivery, the
 * consumer gives the batch back, and the redelivery completes the work once and only once —
 * nothing lost, no second row, no second notification, no second webhook id.
 *
 * Each test drives the consumer itself: the HTTP request runs over a recording queue, so the
 * message it enqueues reaches no consumer on its own, then the test delivers that message through
 * the Worker's queue handler — first over a D1 binding that fails one kind of write (test/d1-proxy.ts),
 * then over the real one, as the runtime would redeliver it.
 *
 * Faults covered elsewhere: the dispatch consumer crashing, inboxes unavailable or their reply
 * lost, inboxes evicted mid-stream and clients dropping (inbox-faults.test.ts, inbox-hibernation.test.ts);
 * redelivered dispatch batches (dispatch-reliability.test.ts); behaviours batches replayed after a
 * partial commit (behaviours-replay.test.ts); webhook receivers failing, timing out and recovering
 * (sync-delivery.test.ts "times out a receiver…", messaging-retries.test.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepExpiredLeases } from "../../src/channels/send";
import type { Bindings } from "../../src/env";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../behaviour-helpers";
import { failingWrites, instrumentD1 } from "../d1-proxy";
import { API_KEY, freshId } from "../helpers";
import { storeNotifications } from "../inbox-helpers";
import { createTopic, getMessage, subscribeWebhook } from "../messaging-helpers";
import { appFetch, bindingsWith, recordingQueue, runQueueBatch } from "../security-helpers";
import { createTarget, received, waitForState } from "../sync-helpers";

const bindings = env as unknown as Bindings;

/** The bindings with D1 failing the first write matching `pattern`, and what was injected. */
function failingD1(pattern: RegExp, extra: Record<string, unknown> = {}) {
  const { hooks, state } = failingWrites(pattern);
  return { faulty: bindingsWith({ DB: instrumentD1(env.DB, hooks), ...extra }), injected: state };
}

const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

/** Calls the app with the API key over `bindings`. */
const call = (bindingsOverride: Bindings, method: string, path: string, body?: unknown) =>
  appFetch(bindingsOverride)(path, { method, headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("messages consumer", () => {
  async function published() {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    const messages = recordingQueue();
    const res = await call(bindingsWith({ MESSAGES: messages.queue }), "POST", `/v1/topics/${topic}/messages`, { payload: { n: 1 } });
    expect(res.status).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    expect(messages.sent).toEqual([{ kind: "publish", ids: [messageId] }]);
    return { sub, messageId, bodies: messages.sent };
  }

  it("retries a batch whose fan-out write failed, then delivers the webhook once", async () => {
    const { sub, messageId, bodies } = await published();
    const retries = recordingQueue();
    const { faulty, injected } = failingD1(/INSERT INTO message_deliveries/, { MESSAGES: retries.queue });

    const first = await runQueueBatch("herald-messages", bodies, faulty);
    expect(injected.failed).toBe(1);
    expect(first.retryBatch.retry).toBe(true);
    expect(await count("SELECT COUNT(*) AS n FROM message_deliveries WHERE message_id = ?1", messageId)).toBe(0);
    expect((await received(sub.name)).received).toEqual([]);

    const again = await runQueueBatch("herald-messages", bodies, bindingsWith({ MESSAGES: retries.queue }), 2);
    expect(again.ackAll).toBe(true);
    expect((await getMessage(messageId)).status).toBe("completed");
    expect(await count("SELECT COUNT(*) AS n FROM message_deliveries WHERE message_id = ?1", messageId)).toBe(1);
    expect((await received(sub.name)).received).toHaveLength(1);
    expect(retries.sent).toEqual([]);
  });

  it("resends under the same webhook-id when the outcome's write failed after the send, and records one delivery", async () => {
    const { sub, messageId, bodies } = await published();
    const retries = recordingQueue();
    const { faulty, injected } = failingD1(/UPDATE message_deliveries SET status/, { MESSAGES: retries.queue });

    expect((await runQueueBatch("herald-messages", bodies, faulty)).retryBatch.retry).toBe(true);
    expect(injected.failed).toBe(1);
    expect((await runQueueBatch("herald-messages", bodies, bindingsWith({ MESSAGES: retries.queue }), 2)).ackAll).toBe(true);

    const message = await getMessage(messageId);
    expect(message.status).toBe("completed");
    expect(message.deliveries).toHaveLength(1);
    expect(message.deliveries[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    // At least once on the wire, once in effect: both requests carry one webhook-id to dedupe on.
    const got = (await received(sub.name)).received;
    expect(got).toHaveLength(2);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
  });
});

describe("sync consumer", () => {
  it("retries a batch whose fan-out write failed, then delivers each version once, also when redelivered after success", async () => {
    const target = await createTarget();
    const userId = freshId();
    const sync = recordingQueue();
    expect((await call(bindingsWith({ SYNC: sync.queue }), "PUT", `/v1/users/${userId}`, { name: "Ada" })).status).toBe(201);
    expect(sync.sent).toHaveLength(1);
    const retries = recordingQueue();
    const { faulty, injected } = failingD1(/INSERT INTO sync_deliveries/, { SYNC: retries.queue });

    expect((await runQueueBatch("herald-sync", sync.sent, faulty)).retryBatch.retry).toBe(true);
    expect(injected.failed).toBe(1);
    expect((await received(target.name)).received).toEqual([]);

    for (const attempt of [2, 3]) expect((await runQueueBatch("herald-sync", sync.sent, bindingsWith({ SYNC: retries.queue }), attempt)).ackAll).toBe(true);
    await waitForState(target.name, { [userId]: 1 });
    expect((await received(target.name)).received).toHaveLength(1);
    expect(await count("SELECT COUNT(*) AS n FROM sync_deliveries WHERE user_id = ?1", userId)).toBe(1);
    expect(retries.sent).toEqual([]);
  });
});

describe("channels consumer", () => {
  async function queuedEmail() {
    const userId = freshId();
    expect((await call(bindings, "PUT", `/v1/users/${userId}`, { email: "ada@example.com" })).status).toBe(201);
    const [row] = await storeNotifications([{ userId, title: "Receipt", channels: ["email"] }]);
    return { id: row!.id, bodies: [{ kind: "channel", ids: [row!.id] }] };
  }
  const outboxRows = (id: string) => count("SELECT COUNT(*) AS n FROM outbox WHERE notification_id = ?1", id);
  const emailDelivery = (id: string) => env.DB.prepare("SELECT status, attempts FROM deliveries WHERE notification_id = ?1 AND channel = 'email'").bind(id).first<{ status: string; attempts: number }>();

  it("retries a batch whose claim failed, then sends once", async () => {
    const { id, bodies } = await queuedEmail();
    const { faulty, injected } = failingD1(/UPDATE deliveries SET locked_until/);
    expect((await runQueueBatch("herald-channels", bodies, faulty)).retryBatch.retry).toBe(true);
    expect(injected.failed).toBe(1);
    expect(await outboxRows(id)).toBe(0);
    expect((await runQueueBatch("herald-channels", bodies, bindings, 2)).ackAll).toBe(true);
    expect(await emailDelivery(id)).toEqual({ status: "sent", attempts: 1 });
    expect(await outboxRows(id)).toBe(1);
  });

  it("finishes a send whose outcome's write failed once its lease runs out, keeping one outbox row", async () => {
    const { id, bodies } = await queuedEmail();
    const { faulty, injected } = failingD1(/UPDATE deliveries SET status/);
    expect((await runQueueBatch("herald-channels", bodies, faulty)).retryBatch.retry).toBe(true);
    expect(injected.failed).toBe(1);
    expect(await outboxRows(id)).toBe(1);

    // The redelivery finds the lease of the failed attempt still held: it must not send again now…
    expect((await runQueueBatch("herald-channels", bodies, bindings, 2)).ackAll).toBe(true);
    expect(await emailDelivery(id)).toMatchObject({ status: "queued" });

    // …and the sweeper puts it back to work once the lease (60 s) has run out.
    const resend = recordingQueue();
    expect(await sweepExpiredLeases(bindingsWith({ CHANNELS: resend.queue }), Date.now() + 61_000)).toBe(1);
    expect(resend.sent).toEqual([{ kind: "channel", ids: [id] }]);
    expect((await runQueueBatch("herald-channels", resend.sent, bindings)).ackAll).toBe(true);
    expect(await emailDelivery(id)).toEqual({ status: "sent", attempts: 1 });
    expect(await outboxRows(id)).toBe(1);
  });
});

describe("behaviours consumer", () => {
  it("retries a batch whose apply failed, then applies it once and notifies the owner once", async () => {
    const [actor, owner] = [freshId(), freshId("owner")];
    const messages = [message([event({ userId: actor, targetId: freshId("post"), targetOwnerId: owner })])];
    const { faulty, injected } = failingD1(/INSERT INTO behaviours/);
    expect((await consume(messages, faulty)).retryBatch.retry).toBe(true);
    expect(injected.failed).toBe(1);
    expect(await storedBehaviours(actor)).toEqual([]);

    for (const attempt of [2, 3]) expect((await consume(messages.map((m) => ({ ...m, attempts: attempt })))).ackAll).toBe(true);
    expect(await storedBehaviours(actor)).toHaveLength(1);
    expect((await ownerNotifications(owner)).notifications).toHaveLength(1);
  });
});
