/**
 * Nothing accepted is stranded (docs/api.md#sweepers): the dispatch consumer tolerates redelivery, skips
 * expired work, and the sweeper re-dispatches what was never dispatched.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { purgeIdempotencyRecords } from "../../src/db/idempotency-records";
import { sweepUndispatched, STRANDED_AFTER_MS } from "../../src/sweepers";
import { api, freshId, userToken, waitFor } from "../helpers";

/** Inserts a notification row directly, as if its HTTP request committed but its enqueue was lost. */
async function strandedNotification(userId: string, opts: { createdAgoMs: number; expiresInMs?: number }) {
  const id = `01${crypto.randomUUID().replaceAll("-", "").slice(0, 24).toUpperCase()}`;
  const created = Date.now() - opts.createdAgoMs;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO notifications (id, user_id, title, body, channels, priority, created_at, updated_at, expires_at, dispatch_after, enqueued_at, in_app_status)
       VALUES (?1, ?2, 'stranded', 'b', '["in_app"]', 'normal', ?3, ?3, ?4, ?3, ?3, 'queued')`,
    ).bind(id, userId, created, opts.expiresInMs === undefined ? null : Date.now() + opts.expiresInMs),
  ]);
  return id;
}

async function inboxIds(userId: string) {
  const token = await userToken(userId);
  const res = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string }[] };
  return res.items.map((i) => i.id);
}

describe("dispatch consumer", () => {
  it("delivers a redelivered batch once and records dispatch", async () => {
    const userId = freshId();
    const id = await strandedNotification(userId, { createdAgoMs: 0 });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const batch = createMessageBatch("herald-dispatch", [{ id: `m${attempt}`, timestamp: new Date(), attempts: attempt, body: { kind: "dispatch", ids: [id, id] } }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env as never);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([`m${attempt}`]);
      expect(result.retryMessages).toEqual([]);
    }
    expect(await inboxIds(userId)).toEqual([id]);
    const row = await env.DB.prepare("SELECT dispatched_at FROM notifications WHERE id = ?").bind(id).first<{ dispatched_at: number | null }>();
    expect(row?.dispatched_at).not.toBeNull();
    const delivery = await env.DB.prepare("SELECT in_app_status AS status, in_app_sent_at IS NOT NULL AS attempts FROM notifications WHERE id = ?").bind(id).first();
    expect(delivery).toEqual({ status: "sent", attempts: 1 });
  });

  it("never delivers an expired notification and marks it expired", async () => {
    const userId = freshId();
    const id = await strandedNotification(userId, { createdAgoMs: 10_000, expiresInMs: -1 });
    const batch = createMessageBatch("herald-dispatch", [{ id: "m", timestamp: new Date(), attempts: 1, body: { kind: "dispatch", ids: [id] } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as never);
    await getQueueResult(batch, ctx);
    expect(await inboxIds(userId)).toEqual([]);
    const delivery = await env.DB.prepare("SELECT in_app_status AS status FROM notifications WHERE id = ?").bind(id).first<{ status: string }>();
    expect(delivery?.status).toBe("expired");
  });

  it("records ids flagged inboxed without calling their inbox again, and hands the others over", async () => {
    const userId = freshId();
    // Stranded rows are in no inbox, so an inbox call would show up as an item there.
    const [flagged, plain] = [await strandedNotification(userId, { createdAgoMs: 0 }), await strandedNotification(userId, { createdAgoMs: 0 })];
    const batch = createMessageBatch("herald-dispatch", [
      { id: "fast", timestamp: new Date(), attempts: 1, body: { kind: "dispatch", ids: [flagged], inboxed: true } },
      { id: "slow", timestamp: new Date(), attempts: 1, body: { kind: "dispatch", ids: [plain] } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as never);
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual(["fast", "slow"]);
    expect(await inboxIds(userId)).toEqual([plain]);
    const rows = await env.DB.prepare(
      `SELECT id, dispatched_at IS NOT NULL AS dispatched, in_app_status AS status FROM notifications WHERE id IN (?1, ?2) ORDER BY id = ?2`,
    )
      .bind(flagged, plain)
      .all();
    expect(rows.results).toEqual([
      { id: flagged, dispatched: 1, status: "sent" },
      { id: plain, dispatched: 1, status: "sent" },
    ]);
  });

  it("sends a single notification through the fast path and the queue, and the inbox holds it once", async () => {
    const userId = freshId();
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "fast", body: "path" } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(async () => (await env.DB.prepare("SELECT in_app_status AS status FROM notifications WHERE id = ?").bind(id).first<{ status: string }>())?.status === "sent");
    expect(await inboxIds(userId)).toEqual([id]);
  });

  it("acks and drops a body that is not a dispatch message", async () => {
    const batch = createMessageBatch("herald-dispatch", [{ id: "bad", timestamp: new Date(), attempts: 1, body: { kind: "dispatch", ids: "nope" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as never);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["bad"]);
  });
});

describe("stranded-work sweeper", () => {
  it("re-dispatches work not dispatched within 60 s, and leaves fresh work alone", async () => {
    const userId = freshId();
    const stranded = await strandedNotification(userId, { createdAgoMs: STRANDED_AFTER_MS + 5_000 });
    const fresh = await strandedNotification(userId, { createdAgoMs: 1_000 });
    const swept = await sweepUndispatched(env);
    expect(swept).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await inboxIds(userId)).includes(stranded), { what: "stranded notification in the inbox" });
    expect(await inboxIds(userId)).not.toContain(fresh);
  });

  it("runs from the cron trigger", async () => {
    const userId = freshId();
    const stranded = await strandedNotification(userId, { createdAgoMs: STRANDED_AFTER_MS + 5_000 });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    await waitFor(async () => (await inboxIds(userId)).includes(stranded), { what: "swept by cron" });
  });

  it("purges expired idempotency records", async () => {
    const key = freshId("key");
    await env.DB.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at) VALUES ('notifications', ?1, 'fp', 'completed', 0, 0, ?2)`,
    )
      .bind(key, Date.now() - 1)
      .run();
    expect(await purgeIdempotencyRecords(env.DB, Date.now(), 5000)).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("SELECT 1 FROM idempotency_records WHERE key = ?").bind(key).first()).toBeNull();
  });
});
