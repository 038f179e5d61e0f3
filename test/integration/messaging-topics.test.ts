/**
 * Topics and publishing (docs/api.md#topics-messages-and-subscriptions; seed problem: a messaging module with fake delays, no retries,
 * no dead letters): the catalogue, publish with idempotency, immediate and delayed delivery.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepMessages } from "../../src/messaging/engine";
import { api } from "../helpers";
import { createTopic, getMessage, publish, subscribeWebhook, waitForMessage } from "../messaging-helpers";
import { received } from "../sync-helpers";

const SEED_TOPICS = [
  "user.registered", "user.logged_in", "user.updated", "wallet.recharged", "wallet.consumed", "wallet.withdraw_request",
  "content.created", "content.updated", "content.deleted", "content.reviewed", "recommendation.behavior_recorded",
  "recommendation.refresh", "notification.email", "notification.sms", "notification.push",
];

describe("topics", () => {
  it("has the seed catalogue from the first migrations", async () => {
    const res = (await (await api("/v1/topics?limit=200")).json()) as { items: { name: string }[] };
    expect(res.items.map((t) => t.name)).toEqual(expect.arrayContaining(SEED_TOPICS));
  });

  it("creates idempotently, checks the name pattern, and deletes", async () => {
    const name = `t_${crypto.randomUUID().slice(0, 8)}.created`;
    expect((await api(`/v1/topics/${name}`, { method: "PUT" })).status).toBe(201);
    expect((await api(`/v1/topics/${name}`, { method: "PUT" })).status).toBe(200);
    expect((await api("/v1/topics/Bad.Name", { method: "PUT" })).status).toBe(400);
    expect((await api("/v1/topics/a..b", { method: "PUT" })).status).toBe(400);
    expect((await api(`/v1/topics/${name}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/topics/${name}`, { method: "DELETE" })).status).toBe(404);
    expect((await publish(name, { payload: {} })).status).toBe(404);
  });
});

describe("publish", () => {
  it("delivers a signed message to a webhook subscription and completes", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    expect(sub.secret).toMatch(/^whsec_/);
    const res = await publish(topic, { payload: { userId: "u1", amount: 5 }, metadata: { source: "test" } });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { messageId: string; status: string; deliverAt: string };
    expect(accepted.status).toBe("pending");
    const done = await waitForMessage(accepted.messageId, "completed");
    expect(done).toMatchObject({ attempts: 1, maxAttempts: 8, lastError: null });
    expect(done.processedAt).not.toBeNull();
    expect(done.deliveries).toEqual([expect.objectContaining({ subscriptionId: sub.id, status: "succeeded", attempts: 1 })]);
    const got = (await received(sub.name)).received;
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: topic, verifiedBy: [0] });
  });

  it("completes a message with no subscription", async () => {
    const topic = await createTopic();
    const { messageId } = (await (await publish(topic, { payload: 1 })).json()) as { messageId: string };
    expect(await waitForMessage(messageId, "completed")).toMatchObject({ deliveries: [] });
  });

  it("replays the same Idempotency-Key and refuses it with another body", async () => {
    const topic = await createTopic();
    const key = crypto.randomUUID();
    const first = await publish(topic, { payload: { a: 1 } }, { "idempotency-key": key });
    const again = await publish(topic, { payload: { a: 1 } }, { "idempotency-key": key });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect((await publish(topic, { payload: { a: 2 } }, { "idempotency-key": key })).status).toBe(422);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE topic = ?").bind(topic).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("refuses payloads over 64 KiB and both delay forms at once", async () => {
    const topic = await createTopic();
    expect((await publish(topic, { payload: "x".repeat(65 * 1024) })).status).toBe(413);
    expect((await publish(topic, { payload: 1, delaySeconds: 5, deliverAt: new Date().toISOString() })).status).toBe(400);
  });

  it("holds a delayed message until it is due", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    const started = Date.now();
    const { messageId, deliverAt } = (await (await publish(topic, { payload: { d: 1 }, delaySeconds: 2 })).json()) as { messageId: string; deliverAt: string };
    expect(Date.parse(deliverAt) - started).toBeGreaterThanOrEqual(1900);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await getMessage(messageId)).status).toBe("pending");
    await waitForMessage(messageId, "completed");
    expect((await received(sub.name)).received[0]!.at - started).toBeGreaterThanOrEqual(1900);
  });

  it("schedules a delay longer than the queue's 12 h maximum instead of truncating it", async () => {
    const topic = await createTopic();
    await subscribeWebhook(topic);
    const deliverAt = new Date(Date.now() + 30 * 3600 * 1000).toISOString();
    const { messageId } = (await (await publish(topic, { payload: { far: true }, deliverAt })).json()) as { messageId: string };
    const row = await env.DB.prepare("SELECT enqueued_at, deliver_at FROM messages WHERE id = ?").bind(messageId).first<{ enqueued_at: number | null; deliver_at: number }>();
    expect(row!.enqueued_at).toBeNull();
    expect(row!.deliver_at).toBe(Date.parse(deliverAt));
    // Nothing to do yet: 30 h away is beyond the queue's reach.
    expect((await sweepMessages(env)).messages).toBe(0);
    // Time passes: now it is due within the queue's 12 h range, and the sweeper enqueues it.
    await env.DB.prepare("UPDATE messages SET deliver_at = ?1 WHERE id = ?2").bind(Date.now() + 1000, messageId).run();
    expect((await sweepMessages(env)).messages).toBe(1);
    await waitForMessage(messageId, "completed");
  });
});
