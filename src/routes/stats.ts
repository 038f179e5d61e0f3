/** `GET /v1/stats` (JSON) and `GET /metrics` (Prometheus text), docs/api.md#stats-and-metrics. Both take the API key. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors } from "../http/schemas";
import { collectStats, toPrometheus } from "../stats/collect";

export const stats = createRouter();

const figures = (description: string) => z.record(z.string(), z.unknown()).describe(description);
const StatsView = z
  .object({
    window: z.string().describe("The window of the status breakdowns: `24h`."),
    generatedAt: z.string().describe("When these figures were computed (ISO 8601)."),
    notifications: figures("Notifications created in the window: `byStatus` (of their in-app delivery) and `total`."),
    batch: figures("Batch items since the start: counts by outcome, `duplicateRate` and `conflictRate`."),
    behaviours: figures("Behaviour events since the start: received, `applied`, `duplicatesSuppressed`."),
    messages: figures("Topic messages published in the window: `byStatus` and `total`."),
    deliveries: figures("Channel deliveries: `byChannel` status counts, `successRate`, `latencyMs` p50/p95, `skipped` by preference or unsubscribe."),
    sync: figures("Sync deliveries in the window by status, `successRate`, `latencyMs`, and `lagging` user/target pairs."),
    deadLetters: figures("Dead letters waiting: `total`, `bySource`, and `capped` when the count stopped at its cap."),
    presence: figures("Users online now (`onlineUsers`) and their open WebSockets (`connections`)."),
    storage: figures("`databaseBytes` now, each table's rows as last counted, and `countedAt`."),
  })
  .openapi("Stats", {
    description:
      "Counts by status over the last 24 h; batch and behaviour counters since the start; success rates, p50/p95 latency in ms; dead letters; online users; " +
      "storage: the database's size in bytes and each table's rows as the cron last counted them (every 10 minutes).",
    example: {
      window: "24h",
      generatedAt: "2026-03-01T09:00:00.000Z",
      notifications: { byStatus: { queued: 2, sent: 5, delivered: 120, read: 80 }, total: 207 },
      batch: { items: 1000, created: 990, duplicate: 10, conflict: 0, invalid: 0, failed: 0, duplicateRate: 0.01, conflictRate: 0 },
      behaviours: { events: 5400, applied: 5350, duplicatesSuppressed: 50 },
      messages: { byStatus: { completed: 40, pending: 1 }, total: 41 },
      deliveries: {
        byChannel: { in_app: { delivered: 120, read: 80 }, email: { sent: 30 } },
        successRate: 0.995,
        latencyMs: { p50: 35, p95: 180 },
        skipped: { preference: 4, unsubscribed: 1 },
      },
      sync: { deliveries: { succeeded: 300, failed: 2 }, successRate: 0.993, latencyMs: { p50: 90, p95: 400 }, lagging: 0, laggingCapped: false },
      deadLetters: { total: 1, bySource: { message: 1 }, capped: false },
      presence: { onlineUsers: 42, connections: 57 },
      storage: { databaseBytes: 12582912, tables: { notifications: 20500, users: 1200 }, countedAt: "2026-03-01T08:50:00.000Z" },
    },
  });

stats.openapi(
  createRoute({
    method: "get",
    path: "/v1/stats",
    operationId: "getStats",
    tags: ["observability"],
    summary: "Operational figures",
    description: "Status breakdowns of the last 24 hours, counters since the start, and live gauges, as one JSON document.",
    responses: { 200: { description: "The figures", content: { "application/json": { schema: StatsView } } }, ...commonErrors },
  }),
  async (c) => c.json(await collectStats(c.env.DB), 200),
);

const MetricsText = z
  .string()
  .describe("Prometheus text exposition format 0.0.4.")
  .openapi({ example: "# HELP herald_online_users Users with at least one open WebSocket.\n# TYPE herald_online_users gauge\nherald_online_users 42\n" });

stats.openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    operationId: "getMetrics",
    tags: ["observability"],
    summary: "The same figures for Prometheus",
    description: "Text exposition format 0.0.4 with `# HELP`/`# TYPE` lines. Send the API key as a bearer token.",
    responses: { 200: { description: "Metrics", content: { "text/plain": { schema: MetricsText } } }, ...commonErrors },
  }),
  async (c) => c.text(toPrometheus(await collectStats(c.env.DB)), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
);
