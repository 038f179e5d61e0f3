/**
 * The consistency checker (docs/api.md#reconciliation): anti-entropy that brings targets up to date without
 * trusting that every delivery happened.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api, freshId } from "../helpers";
import { clearTargets, createTarget, putUser, received, waitForState } from "../sync-helpers";

beforeEach(async () => {
  await clearTargets();
  await env.DB.prepare("DELETE FROM users").run();
});

describe("reconciliation", () => {
  it("brings a target added after 50 users exist up to date by reconciliation alone", async () => {
    const userIds = Array.from({ length: 50 }, (_, i) => `${freshId()}_${i}`);
    for (const [i, userId] of userIds.entries()) {
      await putUser(userId, { name: `user ${i}` });
      if (i % 5 === 0) await putUser(userId, { name: `user ${i} renamed` });
    }
    await new Promise((r) => setTimeout(r, 1500)); // the events went out before the target existed
    const target = await createTarget();
    const res = await api("/v1/sync/reconcile", { method: "POST", json: { targetId: target.id, graceSeconds: 0 } });
    expect(await res.json()).toEqual({ targets: 1, scanned: 50, repairsEnqueued: 50, complete: true });
    const expected = Object.fromEntries(userIds.map((u, i) => [u, i % 5 === 0 ? 2 : 1]));
    await waitForState(target.name, expected, 25_000);
    const got = (await received(target.name)).received;
    expect(got.every((r) => r.type === "user.snapshot")).toBe(true);
    expect(got).toHaveLength(50);

    // Nothing lags any more: a second pass scans all and repairs nothing.
    const again = await api("/v1/sync/reconcile", { method: "POST", json: { graceSeconds: 0 } });
    expect(await again.json()).toMatchObject({ scanned: 50, repairsEnqueued: 0 });
  });

  it("respects the grace period for recent changes", async () => {
    const target = await createTarget();
    const userId = freshId();
    await putUser(userId, { name: "fresh" });
    await waitForState(target.name, { [userId]: 1 });
    await env.DB.prepare("DELETE FROM sync_acks").run(); // the ack was lost
    const res = await api("/v1/sync/reconcile", { method: "POST", json: { graceSeconds: 300 } });
    expect(await res.json()).toMatchObject({ scanned: 1, repairsEnqueued: 0 });
  });

  it("runs from the cron with a stored cursor", async () => {
    const userIds = Array.from({ length: 3 }, () => freshId());
    for (const userId of userIds) await putUser(userId, { name: "n" });
    await env.DB.prepare("UPDATE users SET updated_at = updated_at - 3600000").run();
    const target = await createTarget();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    await waitForState(target.name, Object.fromEntries(userIds.map((u) => [u, 1])));
  });
});
