/** Sync figures for the stats endpoint (issue 6 item 6): by status, success rate, latency, lag. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { quantile, syncStats } from "../../src/sync/stats";
import { freshId } from "../helpers";
import { clearTargets, controlReceiver, createTarget, putUser, waitForState } from "../sync-helpers";

beforeEach(async () => {
  await clearTargets();
  await env.DB.batch([env.DB.prepare("DELETE FROM users"), env.DB.prepare("DELETE FROM sync_deliveries")]);
});

describe("sync stats", () => {
  it("counts deliveries by status, success rate, latency percentiles and lagging pairs", async () => {
    const good = await createTarget();
    const bad = await createTarget();
    await controlReceiver(bad.name, { mode: "gone" });
    const users = [freshId(), freshId(), freshId()];
    for (const u of users) await putUser(u, { name: "s" });
    await waitForState(good.name, Object.fromEntries(users.map((u) => [u, 1])));
    const stats = await syncStats(env.DB);
    expect(stats.deliveries.succeeded).toBe(3);
    expect((stats.deliveries.failed ?? 0) + (stats.deliveries.pending ?? 0)).toBe(3);
    expect(stats.latencyMs.p50).not.toBeNull();
    expect(stats.latencyMs.p95!).toBeGreaterThanOrEqual(stats.latencyMs.p50!);
    // The 410 target is disabled, so it no longer counts as lagging; the good one is current.
    await waitForState(good.name, Object.fromEntries(users.map((u) => [u, 1])));
    const after = await syncStats(env.DB);
    expect(after.lagging).toBe(0);
    expect(after.successRate).toBeGreaterThan(0);
    expect(after.successRate).toBeLessThanOrEqual(1);

    await env.DB.prepare("UPDATE users SET version = version + 1").run();
    expect((await syncStats(env.DB)).lagging).toBe(3);
  });

  it("takes nearest-rank quantiles", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
  });
});
