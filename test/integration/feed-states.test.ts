/**
 * The feed (docs/api.md#feed, docs/protocol.md#feed-state): tags, actions and category travel from
 * a notification to its inbox item; seen, read, unread, archive, unarchive and snooze are events
 * with their own seq, pushed to every device, replayed with `since` and left out of the default
 * list as documented; a snooze comes back under a new seq when its time comes.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

type Item = { id: string; seq: number; tags: string[]; seenAt: string | null; readAt: string | null; archivedAt: string | null; snoozedUntil: string | null };

async function list(token: string, query = ""): Promise<Item[]> {
  const res = await api(`/v1/me/notifications${query}`, { auth: token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
}

const post = (token: string, path: string, json?: unknown) => api(`/v1/me/notifications${path}`, { method: "POST", auth: token, ...(json === undefined ? {} : { json }) });

describe("feed fields on notifications", () => {
  it("carries tags, actions and category from the request to the frame and the REST inbox", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const actions = [
      { label: "Pay", url: "https://pay.example.com/i/1" },
      { label: "Open", url: "/invoices/1" },
    ];
    const id = await sendNotification(userId, { tags: ["billing", "team:ops"], actions, category: "invoices" });
    const frame = await device.next("notification");
    expect(frame.notification).toMatchObject({ id, tags: ["billing", "team:ops"], actions, category: "invoices", seenAt: null, archivedAt: null, snoozedUntil: null });
    expect((await list(token))[0]).toMatchObject({ id, tags: ["billing", "team:ops"], actions, category: "invoices" });
    expect(await list(token, "?tag=billing")).toHaveLength(1);
    expect(await list(token, "?tag=other")).toHaveLength(0);
    expect(await list(token, "?category=invoices")).toHaveLength(1);
    expect(await list(token, "?category=general")).toHaveLength(0);
    device.close();
  });

  it("refuses unsafe action urls and too many or malformed tags and actions", async () => {
    const userId = freshId();
    for (const bad of [
      { actions: [{ label: "x", url: "javascript:alert(1)" }] },
      { actions: [{ label: "x", url: "http://plain.example.com" }] },
      { actions: [{ label: "x", url: "//evil.example.com/path" }] },
      { actions: [1, 2, 3, 4].map((n) => ({ label: `a${n}`, url: `/p/${n}` })) },
      { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      { tags: ["Upper"] },
      { tags: ["dup", "dup"] },
    ]) {
      const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "x", ...bad } });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
    }
    const batch = await api("/v1/notifications/batch", {
      method: "POST",
      json: { items: [{ idempotencyKey: freshId("k"), userId, title: "ok", tags: ["a"], actions: [{ label: "Go", url: "/go" }] }, { idempotencyKey: freshId("k"), userId, title: "bad", actions: [{ label: "x", url: "ftp://x" }] }] },
    });
    const results = ((await batch.json()) as { results: { status: string }[] }).results;
    expect(results.map((r) => r.status)).toEqual(["created", "invalid"]);
    const token = await userToken(userId);
    const [item] = await waitFor(async () => {
      const listed = await list(token);
      return listed.length > 0 && listed;
    }, { what: "batch item in the inbox" });
    expect(item).toMatchObject({ tags: ["a"], actions: [{ label: "Go", url: "/go" }], category: "general" });
  });
});

describe("feed states", () => {
  it("pushes every change to every device under its own seq, and replays the latest state with since", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const phone = await Device.connect(token);
    const laptop = await Device.connect(token);
    await phone.next("hello");
    await laptop.next("hello");
    const a = await sendNotification(userId, { tags: ["x"] });
    const b = await sendNotification(userId);
    for (const d of [phone, laptop]) expect((await d.take(2)).map((f) => f.seq)).toEqual([1, 2]);

    phone.send({ type: "seen", ids: [a, b] });
    for (const d of [phone, laptop]) {
      const frames = await d.take(2, "state");
      expect(frames.map((f) => [f.seq, f.id])).toEqual([
        [3, a],
        [4, b],
      ]);
      expect(frames[1]).toMatchObject({ readAt: null, archivedAt: null, snoozedUntil: null, unreadCount: 2, unseenCount: 0, seenAt: expect.any(String) });
    }
    expect((await post(token, `/${a}/archive`)).status).toBe(200);
    for (const d of [phone, laptop]) expect(await d.next("state")).toMatchObject({ seq: 5, id: a, archivedAt: expect.any(String), unreadCount: 1 });
    // Archived: out of the default list, in `archived=only` and `include`.
    expect((await list(token)).map((i) => i.id)).toEqual([b]);
    expect((await list(token, "?archived=only")).map((i) => i.id)).toEqual([a]);
    expect((await list(token, "?archived=include")).map((i) => i.id)).toEqual([b, a]);
    // Repeats change nothing and take no seq.
    expect(await (await post(token, `/${a}/archive`)).json()).toEqual({ ids: [], unreadCount: 1, unseenCount: 0 });
    expect(await (await post(token, `/${b}/read`)).json()).toEqual({ ids: [b], unreadCount: 0 });
    for (const d of [phone, laptop]) {
      expect(await d.next("read")).toEqual({ type: "read", ids: [b], unreadCount: 0 });
      expect(await d.next("state")).toMatchObject({ seq: 6, id: b, readAt: expect.any(String) });
    }
    expect((await post(token, `/${b}/unread`)).status).toBe(200);
    expect((await post(token, `/${a}/unarchive`)).status).toBe(200);
    for (const d of [phone, laptop]) expect((await d.take(2, "state")).map((f) => [f.seq, f.id, f.readAt, f.archivedAt])).toEqual([
      [7, b, null, null],
      [8, a, null, null],
    ]);
    expect((await post(token, `/nope/archive`)).status).toBe(404);
    phone.close();
    laptop.close();

    // A device that held seq 5 gets the latest state of each item changed after it, in seq order.
    const back = await Device.connect(token, 5);
    expect(await back.next("hello")).toMatchObject({ lastSeq: 8, unreadCount: 2 });
    expect((await back.take(2, "state")).map((f) => [f.seq, f.id])).toEqual([
      [7, b],
      [8, a],
    ]);
    expect(await back.quiet(200, "state")).toEqual([]);
    back.close();
    // A device that never held them gets them once, in their current state, and no state frames.
    const fresh = await Device.connect(token, 0);
    const items = await fresh.take(2);
    expect(items.map((f) => f.seq)).toEqual([1, 2]);
    expect(items[0]!.notification).toMatchObject({ id: a, seenAt: expect.any(String), archivedAt: null });
    expect(await fresh.quiet(200, "state")).toEqual([]);
    fresh.close();
  });

  it("acts in bulk by ids or up to a seq, without touching later arrivals", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await sendNotification(userId));
    const device = await Device.connect(token, 5);
    await device.next("hello");
    const archived = await post(token, "/bulk", { action: "archive", ids: [ids[0], ids[1], "unknown"] });
    expect(await archived.json()).toEqual({ ids: [ids[0], ids[1]], unreadCount: 3, unseenCount: 3 });
    expect((await device.take(2, "state")).map((f) => f.seq)).toEqual([6, 7]);
    const late = await sendNotification(userId);
    const read = (await (await post(token, "/bulk", { action: "read", upToSeq: 5 })).json()) as { ids: string[]; unreadCount: number };
    expect(read.ids.sort()).toEqual([...ids].sort());
    expect(read.unreadCount).toBe(1);
    expect((await list(token, "?unread=true")).map((i) => i.id)).toEqual([late]);
    for (const bad of [{ action: "read" }, { action: "read", ids: [ids[0]], upToSeq: 1 }, { action: "snooze", ids: [ids[0]] }, { action: "read", ids: [ids[0]], until: new Date().toISOString() }, { action: "read", ids: Array.from({ length: 1001 }, (_, i) => `i${i}`) }]) {
      expect((await post(token, "/bulk", bad)).status, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    device.close();
  });

  it("hides a snoozed item until its time, then brings it back under a new seq", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId);
    const other = await sendNotification(userId);
    const device = await Device.connect(token, 2);
    await device.next("hello");
    for (const until of [new Date(Date.now() - 1000).toISOString(), new Date(Date.now() + 91 * 86_400_000).toISOString(), "tomorrow"]) {
      expect((await post(token, `/${id}/snooze`, { until })).status).toBe(400);
    }
    const until = new Date(Date.now() + 1500).toISOString();
    expect(await (await post(token, `/${id}/snooze`, { until })).json()).toEqual({ ids: [id], unreadCount: 1, unseenCount: 1 });
    expect(await device.next("state")).toMatchObject({ seq: 3, id, snoozedUntil: until, unreadCount: 1 });
    expect((await list(token)).map((i) => i.id)).toEqual([other]);
    expect(await (await api("/v1/me/notifications/counts", { auth: token })).json()).toMatchObject({ unread: 1, total: 1 });
    // The alarm ends the snooze: a state frame with a new seq, and the item is back in list and counts.
    expect(await device.next("state", 10_000)).toMatchObject({ seq: 4, id, snoozedUntil: null, unreadCount: 2 });
    expect((await list(token)).map((i) => i.id)).toEqual([other, id]);
    expect(await inboxOf(env, userId).unreadCount()).toBe(2);
    const replay = await Device.connect(token, 3);
    expect(await replay.next("state")).toMatchObject({ seq: 4, id, snoozedUntil: null });
    replay.close();
    device.close();
  });

  it("ends a snooze on time after the object was evicted, and pushes it to a socket that hibernated", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId);
    const device = await Device.connect(token, 1);
    await device.next("hello");
    await waitFor(async () => (await list(token)).length === 1, { what: "item in the inbox" });
    expect((await post(token, `/${id}/snooze`, { until: new Date(Date.now() + 1000).toISOString() })).status).toBe(200);
    expect(await device.next("state")).toMatchObject({ seq: 2, id, snoozedUntil: expect.any(String) });
    await evictDurableObject(inboxOf(env, userId));
    expect(await device.next("state", 10_000)).toMatchObject({ seq: 3, id, snoozedUntil: null });
    expect((await list(token)).map((i) => i.id)).toEqual([id]);
    device.close();
  });

  it("shortens the retention on read and archive to 7 days, and gives the 30 days back on unread and unarchive", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = `${userId}_n`;
    const arrived = Date.now();
    await inboxOf(env, userId).deliver(userId, [{ id, title: "t", body: null, data: null, priority: "normal", createdAt: arrived - 60_000, expiresAt: null }]);
    const purgeAt = () =>
      runInDurableObject(inboxOf(env, userId), (_i, state) => state.storage.sql.exec<{ purge_at: number }>(`SELECT purge_at FROM inbox WHERE id = ?`, id).one().purge_at);
    const day = 86_400_000;
    const near = (at: number, expected: number) => expect(Math.abs(at - expected)).toBeLessThan(5_000);
    near(await purgeAt(), arrived + 30 * day);
    await post(token, `/${id}/archive`);
    near(await purgeAt(), Date.now() + 7 * day);
    await post(token, `/${id}/read`);
    await post(token, `/${id}/unarchive`);
    // Still read: 7 days after the read.
    near(await purgeAt(), Date.now() + 7 * day);
    await post(token, `/${id}/unread`);
    near(await purgeAt(), arrived + 30 * day);
  });
});
