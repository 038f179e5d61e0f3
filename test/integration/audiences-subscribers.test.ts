/**
 * Topic subscribers (docs/api.md#audiences, issue 17): idempotent set-based subscribe and
 * unsubscribe, paginated listings both ways, self-service topics for user tokens, and bad input.
 */
import { describe, expect, it } from "vitest";
import { allSubscribers, audienceTopic, freshUsers, subscribe } from "../audience-helpers";
import { api, freshId, userToken } from "../helpers";
import { subscribeWebhook } from "../messaging-helpers";
import { expectProblem } from "../security-helpers";

const put = (topic: string, userIds: unknown) => api(`/v1/topics/${topic}/subscribers`, { method: "PUT", json: { userIds } });
const del = (topic: string, userIds: unknown) => api(`/v1/topics/${topic}/subscribers`, { method: "DELETE", json: { userIds } });

describe("topic subscribers", () => {
  it("subscribes and unsubscribes idempotently, counting only what changed", async () => {
    const topic = await audienceTopic();
    const [a, b, c] = freshUsers(3);
    expect(await (await put(topic, [a, b])).json()).toEqual({ topic, changed: 2 });
    expect(await (await put(topic, [a, b, c, c])).json()).toEqual({ topic, changed: 1 });
    expect(await allSubscribers(topic)).toEqual([a, b, c]);
    expect(await (await del(topic, [b, freshId()])).json()).toEqual({ topic, changed: 1 });
    expect(await (await del(topic, [b])).json()).toEqual({ topic, changed: 0 });
    expect(await allSubscribers(topic)).toEqual([a, c]);
  });

  it("pages through 2,500 subscribers in user id order, each exactly once", async () => {
    const topic = await audienceTopic();
    const users = freshUsers(2500);
    await subscribe(topic, users);
    const first = (await (await api(`/v1/topics/${topic}/subscribers`)).json()) as { items: unknown[]; nextCursor: string | null };
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    expect(await allSubscribers(topic, 200)).toEqual(users);
  });

  it("lists a user's topics, paginated by name", async () => {
    const [t1, t2, t3] = [await audienceTopic(), await audienceTopic(), await audienceTopic()];
    const [user] = freshUsers(1);
    for (const t of [t1, t2, t3]) await subscribe(t, [user!]);
    const first = (await (await api(`/v1/users/${user}/topics?limit=2`)).json()) as { items: { topic: string; subscribedAt: string }[]; nextCursor: string };
    const second = (await (await api(`/v1/users/${user}/topics?limit=2&cursor=${first.nextCursor}`)).json()) as { items: { topic: string }[]; nextCursor: string | null };
    expect([...first.items, ...second.items].map((i) => i.topic)).toEqual([t1, t2, t3].sort());
    expect(second.nextCursor).toBeNull();
    expect(Date.parse(first.items[0]!.subscribedAt)).toBeGreaterThan(0);
  });

  it("forgets the subscribers when the topic is deleted", async () => {
    const topic = await audienceTopic();
    const [user] = freshUsers(1);
    await subscribe(topic, [user!]);
    expect((await api(`/v1/topics/${topic}`, { method: "DELETE" })).status).toBe(204);
    expect((await (await api(`/v1/users/${user}/topics`)).json()) as { items: unknown[] }).toMatchObject({ items: [] });
  });

  it("refuses an unknown topic (404), more than 1,000 ids (413) and a bad id by its index (400)", async () => {
    const missing = `aud_missing_${crypto.randomUUID().slice(0, 8)}`;
    expect((await expectProblem(await put(missing, freshUsers(1)))).code).toBe("not_found");
    expect((await expectProblem(await del(missing, freshUsers(1)))).code).toBe("not_found");
    expect((await expectProblem(await api(`/v1/topics/${missing}/subscribers`))).code).toBe("not_found");

    const topic = await audienceTopic();
    const tooMany = await put(topic, freshUsers(1001));
    expect(tooMany.status).toBe(413);
    expect((await expectProblem(tooMany)).code).toBe("payload_too_large");

    const users = freshUsers(5);
    users[3] = "bad id!";
    const bad = await expectProblem(await put(topic, users));
    expect(bad.code).toBe("validation_failed");
    expect(bad.errors?.map((e) => e.path)).toEqual(["userIds.3"]);
    expect(await allSubscribers(topic)).toEqual([]);
  });
});

describe("self-service topics", () => {
  it("lets a user token subscribe, read and unsubscribe itself", async () => {
    const topic = await audienceTopic(true);
    const [user] = freshUsers(1);
    const auth = await userToken(user!);
    const me = (method: string) => api(`/v1/me/topics/${topic}`, { method, auth });
    expect(await (await me("GET")).json()).toEqual({ topic, subscribed: false, subscribedAt: null });
    const subscribed = (await (await me("PUT")).json()) as { subscribed: boolean; subscribedAt: string };
    expect(subscribed.subscribed).toBe(true);
    expect(await (await me("PUT")).json()).toEqual(subscribed);
    expect(await allSubscribers(topic)).toEqual([user]);
    expect(await (await me("DELETE")).json()).toEqual({ topic, subscribed: false, subscribedAt: null });
    expect(await allSubscribers(topic)).toEqual([]);
  });

  it("answers 403 on a topic that is not self-service and 404 on an unknown one", async () => {
    const topic = await audienceTopic();
    const auth = await userToken(freshId());
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await api(`/v1/me/topics/${topic}`, { method, auth });
      expect(res.status, method).toBe(403);
      expect((await expectProblem(res)).code).toBe("forbidden");
      expect((await expectProblem(await api(`/v1/me/topics/${topic}_missing`, { method, auth }))).code).toBe("not_found");
    }
    expect(await allSubscribers(topic)).toEqual([]);
  });

  it("turns self-service on for an existing topic with PUT, keeping its description", async () => {
    const topic = await audienceTopic();
    await api(`/v1/topics/${topic}`, { method: "PUT", json: { description: "status page" } });
    const res = await api(`/v1/topics/${topic}`, { method: "PUT", json: { selfService: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: topic, selfService: true });
    const auth = await userToken(freshId());
    expect((await api(`/v1/me/topics/${topic}`, { method: "PUT", auth })).status).toBe(200);
  });
});

describe("topic subscriptions listing", () => {
  it("is paginated by id with limit and cursor (no longer capped at 200)", async () => {
    const topic = await audienceTopic();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await subscribeWebhook(topic)).id);
    const first = (await (await api(`/v1/topics/${topic}/subscriptions?limit=2`)).json()) as { items: { id: string }[]; nextCursor: string };
    const second = (await (await api(`/v1/topics/${topic}/subscriptions?limit=2&cursor=${first.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual(ids.sort());
    expect(second.nextCursor).toBeNull();
  });
});
