/**
 * Single notifications with Idempotency-Key (docs/api.md#idempotency; seed problem: batch idempotency):
 * replay, reuse with another body, in-flight, and failures that leave the key free.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, freshId } from "../helpers";

const post = (json: unknown, key?: string) => api("/v1/notifications", { method: "POST", json, headers: key ? { "idempotency-key": key } : {} });

async function rows(userId: string) {
  const { results } = await env.DB.prepare("SELECT id FROM notifications WHERE user_id = ?").bind(userId).all<{ id: string }>();
  return results.map((r) => r.id);
}

describe("Idempotency-Key on POST /v1/notifications", () => {
  it("replays the first response for the same key and body, creating one notification", async () => {
    const userId = freshId();
    const key = freshId("key");
    const first = await post({ userId, title: "Paid", body: "Order 1", data: { a: 1, b: [1, 2] } }, key);
    expect(first.status).toBe(202);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = (await first.json()) as { id: string; status: string };
    expect(firstBody.status).toBe("accepted");

    // Same meaning, different key order: same canonical fingerprint.
    const again = await post({ data: { b: [1, 2], a: 1 }, body: "Order 1", title: "Paid", userId }, key);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(firstBody);
    expect(await rows(userId)).toEqual([firstBody.id]);
  });

  it("answers 422 idempotency_key_reused for another body and writes nothing", async () => {
    const userId = freshId();
    const key = freshId("key");
    expect((await post({ userId, title: "one" }, key)).status).toBe(202);
    const res = await post({ userId, title: "two" }, key);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("idempotency_key_reused");
    expect(await rows(userId)).toHaveLength(1);
  });

  it("answers 409 with Retry-After while the first request holds the key", async () => {
    const userId = freshId();
    const key = freshId("key");
    const body = { userId, title: "slow" };
    // Hold the key the way a first request does between its claim and its commit.
    const claim = await import("../../src/lib/idempotency");
    const { fingerprint } = await import("../../src/lib/fingerprint");
    const { NotificationInput } = await import("../../src/notifications/input");
    const fp = await fingerprint(NotificationInput.parse(body));
    expect((await claim.claimKey(env.DB, "notifications", key, fp, 3_600_000)).kind).toBe("claimed");

    const res = await post(body, key);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe("idempotency_key_in_use");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await rows(userId)).toHaveLength(0);
  });

  it("lets exactly one of many concurrent identical requests create", async () => {
    const userId = freshId();
    const key = freshId("key");
    const responses = await Promise.all(Array.from({ length: 8 }, () => post({ userId, title: "race" }, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(await rows(userId)).toHaveLength(1);
    const created = responses.filter((r) => r.status === 202 && r.headers.get("idempotent-replayed") === null);
    expect(created).toHaveLength(1);
  });

  it("does not store the key when validation fails", async () => {
    const userId = freshId();
    const key = freshId("key");
    const bad = await post({ userId, title: "x", priority: "urgent" }, key);
    expect(bad.status).toBe(400);
    const missing = await post({ userId, template: "behaviour.like", data: {} }, key);
    expect(missing.status).toBe(422);
    const record = await env.DB.prepare("SELECT 1 FROM idempotency_records WHERE key = ?").bind(key).first();
    expect(record).toBeNull();
    const good = await post({ userId, title: "now valid" }, key);
    expect(good.status).toBe(202);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("takes over a key whose holder died (lock expired)", async () => {
    const userId = freshId();
    const key = freshId("key");
    const { fingerprint } = await import("../../src/lib/fingerprint");
    const { NotificationInput } = await import("../../src/notifications/input");
    const fp = await fingerprint(NotificationInput.parse({ userId, title: "t" }));
    await env.DB.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at) VALUES ('notifications', ?1, ?2, 'in_flight', ?3, ?3, ?4)`,
    )
      .bind(key, fp, Date.now() - 1000, Date.now() + 3_600_000)
      .run();
    const res = await post({ userId, title: "t" }, key);
    expect(res.status).toBe(202);
    expect(await rows(userId)).toHaveLength(1);
  });

  it("refuses a key longer than 255 characters", async () => {
    const res = await post({ userId: freshId(), title: "x" }, "k".repeat(256));
    expect(res.status).toBe(400);
  });

  it("finds the notification a key created", async () => {
    const userId = freshId();
    const key = freshId("key");
    const { id } = (await (await post({ userId, title: "lookup" }, key)).json()) as { id: string };
    const res = await api(`/v1/notifications?idempotencyKey=${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, userId, idempotencyKey: key, title: "lookup" });
    expect((await api(`/v1/notifications?idempotencyKey=${freshId("none")}`)).status).toBe(404);
  });
});
