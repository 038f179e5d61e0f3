/**
 * POST /v1/notifications/batch (docs/api.md#batch-idempotency; seed problem: a batch failing whole on one idempotency
 * conflict): per-item keys and results, chunk boundaries, in-batch repeats, atomic mode.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { batchItems as items, countByKeyPrefix as countFor, sendBatch, type BatchBody } from "../batch-helpers";
import { api, freshId } from "../helpers";

describe("batch results", () => {
  for (const n of [1, 99, 100, 101, 1000]) {
    it(`creates ${n} new items, then reports all ${n} as duplicates on replay`, async () => {
      const prefix = freshId("k");
      const batch = items(n, { prefix, users: [freshId(), freshId()] });
      const first = await sendBatch(batch);
      expect(first.status).toBe(200);
      const body = (await first.json()) as BatchBody;
      expect(body.summary).toEqual({ created: n, duplicate: 0, conflict: 0, invalid: 0, failed: 0 });
      expect(body.results.map((r) => r.index)).toEqual(batch.map((_, i) => i));
      expect(body.results.every((r, i) => r.status === "created" && r.idempotencyKey === `${prefix}-${i}` && r.notificationId && !r.isIdempotent)).toBe(true);
      expect(await countFor(prefix)).toBe(n);

      const replay = (await (await sendBatch(batch)).json()) as BatchBody;
      expect(replay.summary).toEqual({ created: 0, duplicate: n, conflict: 0, invalid: 0, failed: 0 });
      expect(replay.results.map((r) => r.notificationId)).toEqual(body.results.map((r) => r.notificationId));
      expect(replay.results.every((r) => r.isIdempotent && typeof r.deliveryStatus === "string")).toBe(true);
      expect(await countFor(prefix)).toBe(n);
    });
  }

  it("mixes all five statuses in one batch and reports each in request order", async () => {
    const userId = freshId();
    const prefix = freshId("k");
    await sendBatch([
      { idempotencyKey: `${prefix}-dup`, userId, title: "same" },
      { idempotencyKey: `${prefix}-conf`, userId, title: "original" },
    ]);
    // A key held by a single request still in flight: transient for this item.
    await env.DB.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at) VALUES ('notifications', ?1, 'x', 'in_flight', ?2, ?3, ?2)`,
    )
      .bind(`${prefix}-busy`, Date.now() + 60_000, Date.now())
      .run();
    const res = await sendBatch([
      { idempotencyKey: `${prefix}-new`, userId, title: "new" },
      { idempotencyKey: `${prefix}-dup`, userId, title: "same" },
      { idempotencyKey: `${prefix}-conf`, userId, title: "changed" },
      { idempotencyKey: `${prefix}-bad`, userId, title: "x", priority: "urgent" },
      { idempotencyKey: `${prefix}-busy`, userId, title: "busy" },
      { userId, title: "no key" },
    ]);
    const body = (await res.json()) as BatchBody;
    expect(body.results.map((r) => r.status)).toEqual(["created", "duplicate", "conflict", "invalid", "failed", "invalid"]);
    expect(body.summary).toEqual({ created: 1, duplicate: 1, conflict: 1, invalid: 2, failed: 1 });
    expect(body.results[2]!.error!.code).toBe("idempotency_key_reused");
    expect(body.results[3]!.error!.errors!.map((e) => e.path)).toContain("priority");
    expect(body.results[4]!.error!.code).toBe("idempotency_key_in_use");
    expect(body.results[5]!.error!.errors!.map((e) => e.path)).toContain("idempotencyKey");
    expect(await countFor(prefix)).toBe(3);
  });

  it("judges a repeated key within one batch against its first item", async () => {
    const userId = freshId();
    const key = freshId("k");
    const body = (await (
      await sendBatch([
        { idempotencyKey: key, userId, title: "a" },
        { idempotencyKey: key, userId, title: "a" },
        { idempotencyKey: key, userId, title: "b" },
      ])
    ).json()) as BatchBody;
    expect(body.results.map((r) => r.status)).toEqual(["created", "duplicate", "conflict"]);
    expect(new Set(body.results.map((r) => r.notificationId)).size).toBe(1);
  });

  it("marks an item with a missing template variable invalid and creates the rest", async () => {
    const userId = freshId();
    const prefix = freshId("k");
    const body = (await (
      await sendBatch([
        { idempotencyKey: `${prefix}-0`, userId, template: "behaviour.like", data: { actorId: "a" } },
        { idempotencyKey: `${prefix}-1`, userId, template: "behaviour.like", data: { actorId: "a", targetId: "t" } },
        { idempotencyKey: `${prefix}-2`, userId, title: "x", data: { blob: "z".repeat(17 * 1024) } },
      ])
    ).json()) as BatchBody;
    expect(body.results.map((r) => r.status)).toEqual(["invalid", "created", "invalid"]);
    expect(body.results[0]!.error!.code).toBe("template_invalid");
    expect(body.results[2]!.error!.code).toBe("payload_too_large");
  });

  it("judges a replayed item by its record, without rendering it: its template may have gone since", async () => {
    const userId = freshId();
    const prefix = freshId("k");
    const template = freshId("tpl").toLowerCase();
    expect((await api(`/v1/templates/${template}`, { method: "PUT", json: { channel: "in_app", subject: "Hi {{name}}", body: "Hello {{name}}" } })).status).toBe(201);
    const first = (await (await sendBatch([{ idempotencyKey: `${prefix}-0`, userId, template, data: { name: "Ada" } }])).json()) as BatchBody;
    expect(first.summary.created).toBe(1);
    expect((await api(`/v1/templates/${template}`, { method: "DELETE" })).status).toBe(204);

    const replay = (await (
      await sendBatch([
        { idempotencyKey: `${prefix}-0`, userId, template, data: { name: "Ada" } },
        { idempotencyKey: `${prefix}-1`, userId, template, data: { name: "Bob" } },
      ])
    ).json()) as BatchBody;
    expect(replay.results.map((r) => r.status)).toEqual(["duplicate", "invalid"]);
    expect(replay.results[0]!.notificationId).toBe(first.results[0]!.notificationId);
    expect(replay.results[1]!.error!.errors!.map((e) => e.path)).toContain("template");
    expect(await countFor(prefix)).toBe(1);
  });

  it("answers 413 for more than 1,000 items and 400 for none, writing nothing", async () => {
    const prefix = freshId("k");
    const tooMany = await sendBatch(items(1001, { prefix }));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { code: string }).code).toBe("payload_too_large");
    expect((await sendBatch([])).status).toBe(400);
    expect(await countFor(prefix)).toBe(0);
  });

  it("lets a single request with the same key and body replay a batch-created item", async () => {
    const userId = freshId();
    const key = freshId("k");
    const batch = (await (await sendBatch([{ idempotencyKey: key, userId, title: "t" }])).json()) as BatchBody;
    const single = await api("/v1/notifications", { method: "POST", json: { userId, title: "t" }, headers: { "idempotency-key": key } });
    expect(single.status).toBe(202);
    expect(single.headers.get("idempotent-replayed")).toBe("true");
    expect(((await single.json()) as { id: string }).id).toBe(batch.results[0]!.notificationId);
  });
});

describe("atomic mode", () => {
  it("creates everything when every item is new", async () => {
    const prefix = freshId("k");
    const body = (await (await sendBatch(items(150, { prefix }), true)).json()) as BatchBody;
    expect(body.summary.created).toBe(150);
    expect(await countFor(prefix)).toBe(150);
  });

  it("refuses with 422 listing the offending indexes and writes nothing", async () => {
    const prefix = freshId("k");
    const batch = items(120, { prefix });
    await sendBatch([batch[7]!, { ...batch[90]!, title: "other" }]);
    expect(await countFor(prefix)).toBe(2);

    const res = await sendBatch(batch, true);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; offending: { index: number; status: string }[] };
    expect(problem.code).toBe("atomic_batch_rejected");
    expect(problem.offending).toEqual([
      { index: 7, status: "duplicate" },
      { index: 90, status: "conflict" },
    ]);
    expect(await countFor(prefix)).toBe(2);
    // The two notifications still hold their keys (each is its key's record, migration 0017).
    const held = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE idempotency_key LIKE ? AND key_scope = 'notifications'").bind(`${prefix}-%`).first<{ n: number }>();
    expect(held!.n).toBe(2);
  });

  it("refuses an invalid item before writing anything", async () => {
    const prefix = freshId("k");
    const batch = [...items(3, { prefix }), { idempotencyKey: `${prefix}-x`, userId: "!!", title: "t" }];
    const res = await sendBatch(batch, true);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { offending: unknown[] }).offending).toEqual([{ index: 3, status: "invalid" }]);
    expect(await countFor(prefix)).toBe(0);
  });
});
