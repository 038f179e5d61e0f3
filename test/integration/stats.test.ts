/** `GET /v1/stats` and `GET /metrics` (docs/api.md#stats-and-metrics): every figure present, counted from real traffic. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, freshId, userToken, waitFor } from "../helpers";
import { sendBatch } from "../batch-helpers";

describe("stats", () => {
  it("reports batch, behaviour, notification, message, sync, dead-letter and presence figures", async () => {
    const userId = freshId();
    const prefix = freshId("k");
    const items = [0, 1, 2].map((i) => ({ idempotencyKey: `${prefix}-${i}`, userId, title: `t${i}` }));
    await sendBatch(items);
    await sendBatch([...items, { idempotencyKey: `${prefix}-0`, userId, title: "changed" }, { idempotencyKey: `${prefix}-x`, userId }]);
    await api("/v1/behaviours/batch", { method: "POST", json: { events: [{ userId, targetId: "p1", type: "like" }, { userId, targetId: "p1", type: "like", occurredAt: "2020-01-01T00:00:00Z" }] } });
    await env.DB.prepare(`INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at) VALUES (?1, 'sync', 'x', 'herald-sync', '{}', 8, 'e', 0)`).bind(freshId("dl")).run();

    const stats = await waitFor(async () => {
      const s = (await (await api("/v1/stats")).json()) as Record<string, Record<string, unknown>>;
      return (s.behaviours!.events as number) >= 2 && ((s.notifications!.byStatus as Record<string, number>).sent ?? 0) >= 3 ? s : undefined;
    }, { what: "figures to settle" });
    expect(stats.batch).toMatchObject({ items: 8, created: 3, duplicate: 3, conflict: 1, invalid: 1, failed: 0 });
    expect(stats.batch!.duplicateRate).toBeCloseTo(3 / 7);
    expect(stats.behaviours).toMatchObject({ events: 2, applied: 1, duplicatesSuppressed: 1 });
    expect(stats.notifications!.total).toBeGreaterThanOrEqual(3);
    expect(stats.deliveries).toMatchObject({ byChannel: { in_app: expect.any(Object) }, latencyMs: { p50: expect.any(Number), p95: expect.any(Number) } });
    expect(stats.deadLetters).toMatchObject({ bySource: { sync: 1 }, total: 1 });
    expect(stats).toHaveProperty("sync.lagging");
    expect(stats).toHaveProperty("messages.byStatus");
    expect(stats).toHaveProperty("presence.onlineUsers");
  });

  it("counts online users and connections", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const { Device } = await import("../helpers");
    const device = await Device.connect(token);
    await device.next("hello");
    await waitFor(async () => {
      const s = (await (await api("/v1/stats")).json()) as { presence: { onlineUsers: number; connections: number } };
      return s.presence.onlineUsers >= 1 && s.presence.connections >= 1;
    }, { what: "presence in stats" });
    device.close();
  });
});

describe("metrics", () => {
  it("serves Prometheus text with HELP and TYPE lines, behind the API key", async () => {
    expect((await api("/metrics", { auth: null })).status).toBe(401);
    const res = await api("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(text).toContain("# HELP herald_batch_items_total");
    expect(text).toContain("# TYPE herald_batch_items_total counter");
    expect(text).toMatch(/^herald_online_users \d+$/m);
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[\d.e+-]+$/);
    }
  });
});
