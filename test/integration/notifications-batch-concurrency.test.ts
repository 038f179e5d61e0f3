/**
 * Batch idempotency under concurrency and retries (docs/api.md#batch-idempotency): concurrent identical batches
 * create each notification once; a resent batch retries only what failed; created items reach
 * the right inboxes in order; records expire and free their keys.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { batchItems, countByKeyPrefix, sendBatch, type BatchBody } from "../batch-helpers";
import { api, freshId, userToken, waitFor } from "../helpers";

describe("concurrent batches", () => {
  it("20 identical 1,000-item batches create 1,000 notifications, each key created in exactly one response", async () => {
    const prefix = freshId("k");
    const batch = batchItems(1000, { prefix, users: Array.from({ length: 10 }, () => freshId()) });
    const responses = await Promise.all(Array.from({ length: 20 }, () => sendBatch(batch)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as BatchBody[];

    expect(await countByKeyPrefix(prefix)).toBe(1000);
    for (let i = 0; i < 1000; i++) {
      const statuses = bodies.map((b) => b.results[i]!.status);
      expect(statuses.filter((s) => s === "created")).toHaveLength(1);
      expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
      expect(new Set(bodies.map((b) => b.results[i]!.notificationId)).size).toBe(1);
    }
    expect(bodies.reduce((sum, b) => sum + b.summary.created!, 0)).toBe(1000);
  });
});

describe("partial-success retry", () => {
  it("resending a batch retries exactly the failed items and reports the rest as duplicates", async () => {
    const prefix = freshId("k");
    const batch = batchItems(30, { prefix });
    // Items 5 and 17 hit keys still held by in-flight requests: transient failures.
    const hold = (i: number) =>
      env.DB.prepare(
        `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at) VALUES ('notifications', ?1, 'x', 'in_flight', ?2, ?3, ?2)`,
      )
        .bind(`${prefix}-${i}`, Date.now() + 60_000, Date.now())
        .run();
    await hold(5);
    await hold(17);
    const first = (await (await sendBatch(batch)).json()) as BatchBody;
    expect(first.summary).toMatchObject({ created: 28, failed: 2 });
    expect(first.results.filter((r) => r.status === "failed").map((r) => r.index)).toEqual([5, 17]);

    // The holders gave up (their keys are free again); the caller resends the whole batch.
    await env.DB.prepare("DELETE FROM idempotency_records WHERE key IN (?1, ?2)").bind(`${prefix}-5`, `${prefix}-17`).run();
    const retry = (await (await sendBatch(batch)).json()) as BatchBody;
    expect(retry.summary).toEqual({ created: 2, duplicate: 28, conflict: 0, invalid: 0, failed: 0 });
    expect(retry.results.filter((r) => r.status === "created").map((r) => r.index)).toEqual([5, 17]);
    expect(await countByKeyPrefix(prefix)).toBe(30);
  });
});

describe("fan-out", () => {
  it("a 1,000-item batch for 100 users puts every item in the right inbox, in order per user", async () => {
    const users = Array.from({ length: 100 }, () => freshId());
    const batch = batchItems(1000, { users });
    const body = (await (await sendBatch(batch)).json()) as BatchBody;
    expect(body.summary.created).toBe(1000);
    const expected = new Map(users.map((u) => [u, [] as string[]]));
    body.results.forEach((r, i) => expected.get(batch[i]!.userId)!.push(r.notificationId!));

    for (const userId of users) {
      const token = await userToken(userId);
      const items = await waitFor(
        async () => {
          const page = (await (await api("/v1/me/notifications?limit=200", { auth: token })).json()) as { items: { id: string; seq: number }[] };
          return page.items.length === 10 ? page.items : undefined;
        },
        { what: `10 items for ${userId}` },
      );
      const bySeq = [...items].sort((a, b) => a.seq - b.seq);
      expect(bySeq.map((i) => i.id)).toEqual(expected.get(userId));
      expect(bySeq.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });
});

describe("retention", () => {
  it("finds what a key created while it holds the key; after expiry the key creates anew, and the lookup finds the newest", async () => {
    const userId = freshId();
    const key = freshId("k");
    const first = (await (await sendBatch([{ idempotencyKey: key, userId, title: "v1" }])).json()) as BatchBody;
    const firstId = first.results[0]!.notificationId;
    const lookup = await api(`/v1/notifications?idempotencyKey=${key}`);
    expect(((await lookup.json()) as { id: string }).id).toBe(firstId);

    // Time passes beyond IDEMPOTENCY_TTL_HOURS: the notification is its key's record (migration 0017).
    await env.DB.prepare("UPDATE notifications SET key_expires_at = ?1 WHERE idempotency_key = ?2 AND key_scope = 'notifications'").bind(Date.now() - 1, key).run();
    const again = (await (await sendBatch([{ idempotencyKey: key, userId, title: "v1" }])).json()) as BatchBody;
    expect(again.results[0]!.status).toBe("created");
    expect(again.results[0]!.notificationId).not.toBe(firstId);

    // The new notification holds the key; the old one keeps it as a lookup key only.
    const { results } = await env.DB.prepare("SELECT id, key_scope AS keyScope FROM notifications WHERE idempotency_key = ?1 ORDER BY id").bind(key).all();
    expect(results).toEqual([
      { id: firstId, keyScope: null },
      { id: again.results[0]!.notificationId, keyScope: "notifications" },
    ]);
    const newest = await api(`/v1/notifications?idempotencyKey=${key}`);
    expect(((await newest.json()) as { id: string }).id).toBe(again.results[0]!.notificationId);
    const replay = (await (await sendBatch([{ idempotencyKey: key, userId, title: "v1" }])).json()) as BatchBody;
    expect(replay.results[0]).toMatchObject({ status: "duplicate", notificationId: again.results[0]!.notificationId });
  });

  it("keeps records for IDEMPOTENCY_TTL_HOURS (24 h by default)", async () => {
    const key = freshId("k");
    const before = Date.now();
    await sendBatch([{ idempotencyKey: key, userId: freshId(), title: "t" }]);
    const record = await env.DB.prepare("SELECT created_at, key_expires_at AS expires_at FROM notifications WHERE idempotency_key = ? AND key_scope = 'notifications'")
      .bind(key)
      .first<{ created_at: number; expires_at: number }>();
    expect(record!.expires_at - record!.created_at).toBe(24 * 3600 * 1000);
    expect(record!.created_at).toBeGreaterThanOrEqual(before);
  });
});
