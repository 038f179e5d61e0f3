/**
 * Broadcasts (docs/api.md#audiences, issue 17): `POST /v1/notifications {topic}` reaches
 * every subscriber the topic had at acceptance exactly once — through several queue chunks, a
 * retried request, a redelivered chunk and inboxes evicted mid-fan-out — with preferences applied
 * per recipient. Every count is read through each recipient's own inbox.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { inboxOf } from "../../src/inbox/user-inbox";
import { CHUNK_RECIPIENTS } from "../../src/notifications/broadcast";
import { audienceTopic, broadcast, freshUsers, inboxItems, subscribe, waitForBroadcast } from "../audience-helpers";
import { api, freshId } from "../helpers";
import { expectProblem, runQueueBatch } from "../security-helpers";

const bindings = env as unknown as Bindings;

/** Wakes each user's inbox (eviction needs a running object) and evicts it, dropping its in-memory state. */
async function evictInboxes(users: readonly string[]) {
  await Promise.all(
    users.map(async (u) => {
      const stub = inboxOf(bindings, u);
      await runInDurableObject(stub, () => undefined);
      await evictDurableObject(stub);
    }),
  );
}

/** Asserts every user's inbox holds exactly the one item `id`. */
async function expectExactlyOnce(users: readonly string[], id: string) {
  const items = await inboxItems(users);
  const wrong = users.filter((u) => JSON.stringify(items.get(u)) !== JSON.stringify([id]));
  expect(wrong.length, `inboxes without exactly the one item (first: ${wrong[0]} → ${JSON.stringify(items.get(wrong[0]!))})`).toBe(0);
}

describe("broadcasts", () => {
  it("fans out to 2,500 subscribers in several chunks, each inbox holding the item once", { timeout: 120_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(2500);
    await subscribe(topic, users);
    const res = await broadcast(topic, { title: "Status", body: "All systems go", data: { incident: 7 } });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { broadcastId: string; recipients: number };
    expect(accepted.recipients).toBe(2500);
    expect(2500 / CHUNK_RECIPIENTS).toBeGreaterThanOrEqual(5);

    const done = await waitForBroadcast(accepted.broadcastId, 90_000);
    expect(done).toMatchObject({ recipients: 2500, fannedOut: 2500, status: "completed" });
    expect(done.completedAt).not.toBeNull();
    await expectExactlyOnce(users, accepted.broadcastId);
    const { items } = await inboxOf(bindings, users[1234]!).list({ limit: 10 });
    expect(items[0]).toMatchObject({ id: accepted.broadcastId, title: "Status", body: "All systems go", data: { incident: 7 } });
  });

  it("answers a retried request with the same key from the first, with no second fan-out", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(300);
    await subscribe(topic, users);
    const key = freshId("bkey");
    const first = await broadcast(topic, {}, { "idempotency-key": key });
    const again = await broadcast(topic, {}, { "idempotency-key": key });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const body = (await first.json()) as { broadcastId: string; recipients: number };
    expect(await again.json()).toEqual(body);
    expect((await expectProblem(await broadcast(topic, { title: "Other" }, { "idempotency-key": key }))).code).toBe("idempotency_key_reused");

    await waitForBroadcast(body.broadcastId);
    await expectExactlyOnce(users, body.broadcastId);
    expect(await (await broadcast(topic, {}, { "idempotency-key": key })).json()).toEqual(body);
    await expectExactlyOnce(users, body.broadcastId);
  });

  it("fixes the recipients at acceptance: a later subscriber gets nothing, one who unsubscribes first still gets it", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(600);
    await subscribe(topic, users);
    const [late] = freshUsers(1, "late");
    const accepted = (await (await broadcast(topic)).json()) as { broadcastId: string; recipients: number };
    // Before the plan's chunks run (the queue delivers after its 1 s batch timeout at the earliest).
    const leavers = users.slice(0, 100);
    expect(await (await api(`/v1/topics/${topic}/subscribers`, { method: "DELETE", json: { userIds: leavers } })).json()).toEqual({ topic, changed: 100 });
    await subscribe(topic, [late!]);

    const done = await waitForBroadcast(accepted.broadcastId);
    expect(done).toMatchObject({ recipients: 600, fannedOut: 600 });
    await expectExactlyOnce(users, accepted.broadcastId);
    expect((await inboxItems([late!])).get(late!)).toEqual([]);
  });

  it("adds nothing when a chunk is redelivered, also to inboxes evicted in between", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(400);
    await subscribe(topic, users);
    const { broadcastId } = (await (await broadcast(topic)).json()) as { broadcastId: string };
    // Evict inboxes while the fan-out runs (a `deliver` cut off by it fails and its chunk is
    // retried), then after it; then redeliver every chunk and the plan.
    const evictions = (async () => {
      for (let round = 0; round < 5; round++) await evictInboxes(users.slice(round * 40, round * 40 + 40));
    })();
    const done = await waitForBroadcast(broadcastId);
    await evictions;
    await evictInboxes(users.slice(200, 300));
    const chunks = [];
    for (let i = 0; i < users.length; i += CHUNK_RECIPIENTS) chunks.push({ kind: "broadcast-chunk", broadcastId, userIds: users.slice(i, i + CHUNK_RECIPIENTS) });
    const redelivered = await runQueueBatch("herald-dispatch", [...chunks, { kind: "broadcast-plan", broadcastId }], bindings, 2);
    expect(redelivered.retryMessages).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(await (await api(`/v1/broadcasts/${broadcastId}`)).json()).toMatchObject({ recipients: 400, fannedOut: done.fannedOut, status: "completed" });
    expect(done.fannedOut).toBe(400);
    await expectExactlyOnce(users, broadcastId);
  });

  it("keeps one item per inbox when a chunk is delivered concurrently again before it was marked", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(50);
    await subscribe(topic, users);
    const { broadcastId } = (await (await broadcast(topic)).json()) as { broadcastId: string };
    // The same chunk delivered three times at once, as concurrent redeliveries would.
    const chunk = { kind: "broadcast-chunk", broadcastId, userIds: users };
    await Promise.all([1, 2, 3].map((attempt) => runQueueBatch("herald-dispatch", [chunk], bindings, attempt)));
    const done = await waitForBroadcast(broadcastId);
    expect(done).toMatchObject({ recipients: 50, fannedOut: 50 });
    await expectExactlyOnce(users, broadcastId);
  });

  it("applies each recipient's preferences", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(20);
    await subscribe(topic, users);
    const optedOut = users.slice(0, 5);
    for (const u of optedOut) {
      expect((await api(`/v1/users/${u}/preferences`, { method: "PATCH", json: { categories: { status_page: { enabled: false } } } })).status).toBe(200);
    }
    const { broadcastId } = (await (await broadcast(topic, { category: "status_page" })).json()) as { broadcastId: string };
    expect(await waitForBroadcast(broadcastId)).toMatchObject({ recipients: 20, fannedOut: 20 });
    await expectExactlyOnce(users.slice(5), broadcastId);
    const held = await inboxItems(optedOut);
    for (const u of optedOut) expect(held.get(u)).toEqual([]);
  });

  it("completes at once with no subscribers, and refuses an unknown topic, other channels and a bad body", async () => {
    const topic = await audienceTopic();
    const empty = (await (await broadcast(topic)).json()) as { broadcastId: string; recipients: number };
    expect(empty.recipients).toBe(0);
    expect(await (await api(`/v1/broadcasts/${empty.broadcastId}`)).json()).toMatchObject({ recipients: 0, fannedOut: 0, status: "completed" });

    expect((await expectProblem(await broadcast(`${topic}_missing`))).code).toBe("not_found");
    const email = await expectProblem(await broadcast(topic, { channels: ["email"] }));
    expect(email.code).toBe("validation_failed");
    expect(email.errors?.[0]?.path).toBe("channels.0");
    expect((await expectProblem(await broadcast(topic, { userId: "u_1" }))).code).toBe("validation_failed");
    expect((await expectProblem(await api(`/v1/broadcasts/${freshId("b")}`))).code).toBe("not_found");
  });
});
