/**
 * `GET /metrics` counters of the senders (docs/api.md#stats-and-metrics, issue 19): sync webhooks
 * with their attempt durations, email sends, and a redriven dead letter — each counted once, in
 * the transaction that records it.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { insertDeadLettersStatements } from "../../src/db/dead-letters";
import { api, freshId, waitFor } from "../helpers";
import { clearTargets, createTarget, putUser, waitForState } from "../sync-helpers";

/** Every sample of a scrape, by its series (`name{labels}`). */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await api("/metrics")).text();
  return new Map(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))]));
}

/** Waits until every series in `expected` grew by exactly its amount since `before` (and stays there for a moment). */
async function expectGrowth(before: Map<string, number>, expected: Record<string, number>) {
  const grown = async () => {
    const after = await scrape();
    return Object.fromEntries(Object.keys(expected).map((s) => [s, (after.get(s) ?? 0) - (before.get(s) ?? 0)]));
  };
  await waitFor(async () => JSON.stringify(await grown()) === JSON.stringify(expected), { what: `growth ${JSON.stringify(expected)}` });
  await new Promise((r) => setTimeout(r, 300));
  expect(await grown()).toEqual(expected);
}

beforeEach(clearTargets);

describe("metrics of the senders", () => {
  it("counts a sync delivery that succeeded and observes its attempt's duration", async () => {
    const target = await createTarget();
    const before = await scrape();
    const userId = freshId();
    await putUser(userId, { name: "A" });
    await waitForState(target.name, { [userId]: 1 });
    await expectGrowth(before, {
      'herald_sync_deliveries_total{status="succeeded"}': 1,
      'herald_webhook_duration_seconds_count{target="sync"}': 1,
      'herald_webhook_duration_seconds_bucket{target="sync",le="15"}': 1,
      'herald_webhook_duration_seconds_bucket{target="sync",le="+Inf"}': 1,
    });
  });

  it("counts an email delivery queued at acceptance and sent by the provider", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "ada@example.com" } });
    const before = await scrape();
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "Hello", channels: ["in_app", "email"] } });
    expect(res.status).toBe(202);
    await expectGrowth(before, {
      'herald_notifications_total{channel="email",status="queued"}': 1,
      'herald_notifications_total{channel="email",status="sent"}': 1,
      'herald_notifications_total{channel="in_app",status="queued"}': 1,
      'herald_notifications_total{channel="in_app",status="sent"}': 1,
    });
  });

  it("counts a redriven dead letter once", async () => {
    const id = freshId("dl");
    await env.DB.batch(insertDeadLettersStatements(env.DB, [{ id, source: "sync", sourceId: "x", queue: "herald-sync", payload: { kind: "deliver", ids: [] }, attempts: 8, lastError: "boom" }], Date.now()));
    const before = await scrape();
    expect((await api(`/v1/dead-letters/${id}/redrive`, { method: "POST" })).status).toBe(202);
    expect((await api(`/v1/dead-letters/${id}/redrive`, { method: "POST" })).status).toBe(404);
    await expectGrowth(before, { 'herald_dead_letters_redriven_total{source="sync"}': 1 });
  });
});
