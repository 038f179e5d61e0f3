/**
 * Broadcast counters in `/v1/stats` and `/metrics` (docs/api.md#stats-and-metrics, issue 17 §4):
 * maintained counters, each recipient counted once however often its chunk runs.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { audienceTopic, broadcast, freshUsers, subscribe, waitForBroadcast } from "../audience-helpers";
import { api, freshId } from "../helpers";
import { runQueueBatch } from "../security-helpers";

interface BroadcastStats {
  accepted: number;
  recipients: number;
  fannedOut: number;
  fanOutRecipientsPerSecond: number | null;
}

const stats = async () => ((await (await api("/v1/stats")).json()) as { broadcasts: BroadcastStats }).broadcasts;

describe("broadcast counters", () => {
  it("count accepted broadcasts, their recipients and those fanned out once, and the fan-out rate", { timeout: 60_000 }, async () => {
    const before = await stats();
    const topic = await audienceTopic();
    const users = freshUsers(30);
    await subscribe(topic, users);
    const key = freshId("skey");
    const { broadcastId } = (await (await broadcast(topic, {}, { "idempotency-key": key })).json()) as { broadcastId: string };
    expect((await broadcast(topic, {}, { "idempotency-key": key })).headers.get("idempotent-replayed")).toBe("true");
    await waitForBroadcast(broadcastId);
    // A redelivered chunk after completion counts nobody again.
    await runQueueBatch("herald-dispatch", [{ kind: "broadcast-chunk", broadcastId, userIds: users }], env as unknown as Bindings, 2);

    const after = await stats();
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.recipients - before.recipients).toBe(30);
    expect(after.fannedOut - before.fannedOut).toBe(30);
    expect(after.fanOutRecipientsPerSecond).toBeGreaterThan(0);

    const metrics = await (await api("/metrics")).text();
    expect(metrics).toContain(`herald_broadcasts_total ${after.accepted}`);
    expect(metrics).toContain(`herald_broadcast_recipients_total{stage="fanned_out"} ${after.fannedOut}`);
    expect(metrics).toMatch(/herald_broadcast_fanout_rate \d/);
  });
});
