/**
 * A notification is the record of its own `Idempotency-Key` (docs/api.md#idempotency, migration
 * 0017): the insert takes the key, the unique `notifications_idempotency_key` decides races, a key
 * past its TTL is taken over by clearing the old row's hold, and broadcasts — whose keys stay in
 * `idempotency_records`, in the same `notifications` scope — never share a key with one.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { audienceTopic, broadcast, subscribe } from "../audience-helpers";
import { sendBatch, type BatchBody } from "../batch-helpers";
import { api, freshId } from "../helpers";

const post = (json: unknown, key: string) => api("/v1/notifications", { method: "POST", json, headers: { "idempotency-key": key } });

/** The rows carrying `key`, oldest first, with whether each holds it. */
async function keyed(key: string): Promise<{ id: string; keyScope: string | null }[]> {
  const { results } = await env.DB.prepare(`SELECT id, key_scope AS keyScope FROM notifications WHERE idempotency_key = ?1 ORDER BY id`).bind(key).all<{ id: string; keyScope: string | null }>();
  return results;
}

/** As if `IDEMPOTENCY_TTL_HOURS` went by: the key's holder expires. */
const expire = (key: string) => env.DB.prepare(`UPDATE notifications SET key_expires_at = ?2 WHERE idempotency_key = ?1 AND key_scope IS NOT NULL`).bind(key, Date.now() - 1).run();

describe("a notification holding its own idempotency key", () => {
  it("is created with the key held for IDEMPOTENCY_TTL_HOURS, and no idempotency_records row", async () => {
    const key = freshId("key");
    const before = Date.now();
    const { id } = (await (await post({ userId: freshId(), title: "t" }, key)).json()) as { id: string };
    const row = await env.DB.prepare(`SELECT key_scope AS keyScope, key_expires_at - created_at AS ttl, created_at AS createdAt FROM notifications WHERE id = ?1`).bind(id).first();
    expect(row).toEqual({ keyScope: "notifications", ttl: 24 * 3_600_000, createdAt: expect.any(Number) });
    expect((row as { createdAt: number }).createdAt).toBeGreaterThanOrEqual(before);
    expect(await env.DB.prepare(`SELECT 1 FROM idempotency_records WHERE key = ?1`).bind(key).first()).toBeNull();
  });

  it("past its TTL, a single request takes the key over: a new notification, the old one keeps the key for lookups only", async () => {
    const userId = freshId();
    const key = freshId("key");
    const first = (await (await post({ userId, title: "v1" }, key)).json()) as { id: string };
    await expire(key);
    const again = await post({ userId, title: "v2" }, key);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    const second = (await again.json()) as { id: string };
    expect(second.id).not.toBe(first.id);
    expect(await keyed(key)).toEqual([
      { id: first.id, keyScope: null },
      { id: second.id, keyScope: "notifications" },
    ]);
    // The new holder answers replays; another body is refused.
    const replay = await post({ userId, title: "v2" }, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(second);
    expect((await post({ userId, title: "v1" }, key)).status).toBe(422);
    expect(((await (await api(`/v1/notifications?idempotencyKey=${key}`)).json()) as { id: string }).id).toBe(second.id);
  });

  it("past its TTL, of 10 concurrent identical requests exactly one takes the key over and the others replay it", async () => {
    const userId = freshId();
    const key = freshId("key");
    const first = (await (await post({ userId, title: "t" }, key)).json()) as { id: string };
    await expire(key);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post({ userId, title: "t" }, key)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const fresh = responses.filter((r) => r.headers.get("idempotent-replayed") === null);
    expect(fresh).toHaveLength(1);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];
    const created = bodies[responses.indexOf(fresh[0]!)]!.id;
    expect(created).not.toBe(first.id);
    expect(new Set(bodies.map((b) => b.id))).toEqual(new Set([created]));
    expect(await keyed(key)).toEqual([
      { id: first.id, keyScope: null },
      { id: created, keyScope: "notifications" },
    ]);
  });

  it("a batch item and a single request share the key: whichever holds it decides the other", async () => {
    const userId = freshId();
    const key = freshId("key");
    const single = (await (await post({ userId, title: "t" }, key)).json()) as { id: string };
    const batch = (await (await sendBatch([{ idempotencyKey: key, userId, title: "t" }])).json()) as BatchBody;
    expect(batch.results[0]).toMatchObject({ status: "duplicate", notificationId: single.id, deliveryStatus: expect.any(String) });
    await expire(key);
    const taken = (await (await sendBatch([{ idempotencyKey: key, userId, title: "t" }])).json()) as BatchBody;
    expect(taken.results[0]).toMatchObject({ status: "created" });
    const replay = await post({ userId, title: "t" }, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(taken.results[0]!.notificationId);
  });
});

describe("an atomic batch and keys past their TTL", () => {
  it("takes an expired key over with the rest, and a refusal names only the keys still held", async () => {
    const userId = freshId();
    const [expired, live, fresh] = [freshId("key"), freshId("key"), freshId("key")];
    expect((await post({ userId, title: "old" }, expired)).status).toBe(202);
    expect((await post({ userId, title: "held" }, live)).status).toBe(202);
    await expire(expired);

    const refused = await api("/v1/notifications/batch", {
      method: "POST",
      json: { atomic: true, items: [{ idempotencyKey: expired, userId, title: "new" }, { idempotencyKey: live, userId, title: "other" }, { idempotencyKey: fresh, userId, title: "t" }] },
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { offending: unknown[] }).offending).toEqual([{ index: 1, status: "conflict" }]);
    // Nothing was written: the expired holder still has its key, to be taken over by the next write.
    expect((await keyed(expired)).map((r) => r.keyScope)).toEqual(["notifications"]);
    expect(await keyed(fresh)).toEqual([]);

    const created = await api("/v1/notifications/batch", { method: "POST", json: { atomic: true, items: [{ idempotencyKey: expired, userId, title: "new" }, { idempotencyKey: fresh, userId, title: "t" }] } });
    expect(created.status).toBe(200);
    expect(((await created.json()) as BatchBody).summary).toMatchObject({ created: 2 });
    expect((await keyed(expired)).map((r) => r.keyScope)).toEqual([null, "notifications"]);
  });
});

describe("broadcasts and notifications in one idempotency scope", () => {
  it("a key a notification holds refuses a broadcast, and a key a broadcast holds refuses a notification, single or batched", async () => {
    const topic = await audienceTopic();
    await subscribe(topic, [freshId()]);
    const userId = freshId();

    const held = freshId("key");
    expect((await post({ userId, title: "t" }, held)).status).toBe(202);
    const refused = await broadcast(topic, {}, { "idempotency-key": held });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe("idempotency_key_reused");
    expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM broadcasts WHERE idempotency_key = ?1`).bind(held).first("n")).toBe(0);

    const broadcastKey = freshId("key");
    expect((await broadcast(topic, {}, { "idempotency-key": broadcastKey })).status).toBe(202);
    const single = await post({ userId, title: "t" }, broadcastKey);
    expect(single.status).toBe(422);
    const batch = (await (await sendBatch([{ idempotencyKey: broadcastKey, userId, title: "t" }])).json()) as BatchBody;
    expect(batch.results[0]).toMatchObject({ status: "conflict" });
    expect(await keyed(broadcastKey)).toEqual([]);
  });

  it("once the broadcast's record expired, a notification takes the key and the record goes", async () => {
    const topic = await audienceTopic();
    await subscribe(topic, [freshId()]);
    const key = freshId("key");
    expect((await broadcast(topic, {}, { "idempotency-key": key })).status).toBe(202);
    await env.DB.prepare(`UPDATE idempotency_records SET expires_at = ?2 WHERE scope = 'notifications' AND key = ?1`).bind(key, Date.now() - 1).run();
    const res = await post({ userId: freshId(), title: "t" }, key);
    expect(res.status).toBe(202);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    const { id } = (await res.json()) as { id: string };
    expect(await keyed(key)).toEqual([{ id, keyScope: "notifications" }]);
    expect(await env.DB.prepare(`SELECT 1 FROM idempotency_records WHERE key = ?1`).bind(key).first()).toBeNull();
  });
});
