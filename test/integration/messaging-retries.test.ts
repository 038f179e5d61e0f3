/**
 * Retries, dead letters and redrive for topic messages (docs/api.md#retries-and-dead-letters): exponential backoff with full
 * jitter up to `maxAttempts`, `Retry-After` honoured, 410 disables the subscription, exhausted
 * work becomes a dead letter that a redrive completes once the cause is fixed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, waitFor } from "../helpers";
import { createTopic, getMessage, publish, subscribeWebhook, waitForMessage } from "../messaging-helpers";
import { controlReceiver, received } from "../sync-helpers";

describe("webhook retries", () => {
  it("retries a 5xx with backoff and completes when the receiver recovers", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await controlReceiver(sub.name, { mode: "fail" });
    const { messageId } = (await (await publish(topic, { payload: { n: 1 } })).json()) as { messageId: string };
    await waitFor(async () => (await getMessage(messageId)).deliveries[0]?.attempts === 2, { timeoutMs: 15_000, what: "second attempt" });
    expect((await getMessage(messageId)).status).toBe("processing");
    await controlReceiver(sub.name, { mode: "ok" });
    const done = await waitForMessage(messageId, "completed", 20_000);
    expect(done.deliveries[0]!.attempts).toBeGreaterThanOrEqual(3);
    const got = (await received(sub.name)).received;
    expect(new Set(got.map((r) => r.id)).size).toBe(1); // one webhook-id across retries
    const gaps = got.slice(1).map((r, i) => r.at - got[i]!.at);
    // Full jitter keeps every wait ≥ 1 s and ≤ base·2^(n-1) = 2, 4, … s (plus queue latency).
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThanOrEqual(2 * 2 ** i * 1000 + 1500);
    });
  });

  it("waits at least Retry-After on a 429", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await controlReceiver(sub.name, { mode: "ratelimit", retryAfter: 3 });
    const { messageId } = (await (await publish(topic, { payload: 1 })).json()) as { messageId: string };
    await waitFor(async () => (await received(sub.name)).received.length >= 1, { what: "first attempt" });
    await controlReceiver(sub.name, { mode: "ok" });
    await waitForMessage(messageId, "completed", 15_000);
    const got = (await received(sub.name)).received;
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(2900);
  });

  it("disables the subscription on 410 and fails the delivery at once", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await controlReceiver(sub.name, { mode: "gone" });
    const { messageId } = (await (await publish(topic, { payload: 1 })).json()) as { messageId: string };
    const failed = await waitForMessage(messageId, "failed");
    expect(failed.deliveries[0]).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("410") });
    const subs = (await (await api(`/v1/topics/${topic}/subscriptions`)).json()) as { items: { id: string; enabled: boolean; disabledReason: string }[] };
    expect(subs.items[0]).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("410") });
  });

  it("dead-letters after maxAttempts and completes on redrive once the cause is fixed", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await controlReceiver(sub.name, { mode: "fail" });
    const { messageId } = (await (await publish(topic, { payload: { n: 2 }, maxAttempts: 2 })).json()) as { messageId: string };
    const failed = await waitForMessage(messageId, "failed", 15_000);
    expect(failed).toMatchObject({ attempts: 2, lastError: expect.stringContaining("503") });
    expect(failed.deliveries[0]!.status).toBe("dead");

    const list = (await (await api("/v1/dead-letters?source=message")).json()) as { items: { id: string; sourceId: string; attempts: number; lastError: string }[] };
    const letter = list.items.find((l) => l.sourceId === `mdl_${messageId}_${sub.id}`);
    expect(letter).toMatchObject({ attempts: 2, lastError: expect.stringContaining("503") });

    await controlReceiver(sub.name, { mode: "ok" });
    const redrive = await api(`/v1/dead-letters/${letter!.id}/redrive`, { method: "POST" });
    expect(redrive.status).toBe(202);
    await waitForMessage(messageId, "completed", 15_000);
    expect((await api(`/v1/dead-letters?source=message`)).ok).toBe(true);
    const gone = await env.DB.prepare("SELECT 1 FROM dead_letters WHERE id = ?").bind(letter!.id).first();
    expect(gone).toBeNull();
  });

  it("discards a dead letter", async () => {
    const id = `dl_${crypto.randomUUID()}`;
    await env.DB.prepare(
      `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at) VALUES (?1, 'message', 'x', 'herald-messages', '{"kind":"attempt","ids":[]}', 8, 'boom', ?2)`,
    )
      .bind(id, Date.now())
      .run();
    expect((await api(`/v1/dead-letters/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/dead-letters/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api(`/v1/dead-letters/${id}/redrive`, { method: "POST" })).status).toBe(404);
  });
});
