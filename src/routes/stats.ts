/**
 * `GET /v1/stats` (JSON), `GET /v1/stats/history` (per-minute samples for the console's charts) and
 * `GET /metrics` (Prometheus text), docs/api.md#stats-and-metrics. All take the API key.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors } from "../http/schemas";
import { collectStats } from "../stats/collect";
import { HISTORY_MAX_MINUTES, readStatsHistory } from "../stats/history";
import { collectMetrics } from "../stats/metrics";

export const stats = createRouter();

const figures = (description: string) => z.record(z.string(), z.unknown()).describe(description);
const StatsView = z
  .object({
    window: z.string().describe("The window of the by-status breakdowns: `24h`."),
    generatedAt: z.string().describe("When the figures were read, ISO-8601."),
    notifications: figures("In-app deliveries of the last 24 h by status, and their total."),
    batch: figures("Batch items by result since the start, and the duplicate and conflict rates."),
    behaviours: figures("Behaviour events consumed, applied and suppressed as duplicates, since the start."),
    messages: figures("Topic messages of the last 24 h by status, and their total."),
    deliveries: figures("Deliveries of the last 24 h by channel and status; success rate since the start; in-app latency p50/p95 in ms; skips by reason."),
    sync: figures("Sync deliveries of the last 24 h by status, success rate, latency p50/p95 in ms, lagging (target, user) pairs."),
    deadLetters: figures("Dead letters waiting, by source (counted up to 10,000)."),
    presence: figures("Online users and connected devices."),
    storage: figures("The database's size in bytes and each table's rows as the cron last counted them (every 10 minutes)."),
  })
  .openapi("Stats", {
    description:
      "Counts by status over the last 24 h; batch, behaviour and broadcast counters since the start; success rates, p50/p95 latency in ms; dead letters; online users; " +
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
    description: "The figures the console shows: see docs/api.md#stats-and-metrics for each one and its window.",
    responses: { 200: { description: "The figures", content: { "application/json": { schema: StatsView } } }, ...commonErrors },
  }),
  async (c) => c.json(await collectStats(c.env.DB), 200),
);

const MetricsText = z
  .string()
  .describe("Prometheus text exposition format 0.0.4.")
  .openapi({ example: "# HELP herald_online_users Users with at least one open WebSocket.\n# TYPE herald_online_users gauge\nherald_online_users 42\n" });

const HistoryQuery = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_MAX_MINUTES)
    .default(60)
    .describe(`How many minutes back to read, 1 to ${HISTORY_MAX_MINUTES} (default 60).`),
});

const SampleView = z
  .object({
    at: z.string().describe("The sample's minute, ISO-8601 (the cron samples once a minute)."),
    counters: z
      .object({
        accepted: z.number().int().describe("Notification deliveries accepted (queued), all channels, since the start."),
        sent: z.number().int().describe("Deliveries that reached `sent` (in-app: the inbox took it), since the start."),
        delivered: z.number().int().describe("In-app deliveries a device acknowledged, since the start."),
        failed: z.number().int().describe("Deliveries that failed, since the start."),
        skipped: z.number().int().describe("Deliveries skipped by preferences, since the start."),
        batchItems: z.number().int().describe("Batch notification items, since the start."),
        behavioursApplied: z.number().int().describe("Behaviour events applied, since the start."),
        topicMessages: z.number().int().describe("Topic messages published, since the start."),
        topicDeliveries: z.number().int().describe("Topic message deliveries finished (succeeded, failed, dead), since the start."),
        syncSucceeded: z.number().int().describe("Sync deliveries succeeded, since the start."),
        syncFinished: z.number().int().describe("Sync deliveries finished (succeeded, failed, dead, superseded), since the start."),
        deadLettersCreated: z.number().int().describe("Dead letters stored, since the start."),
      })
      .describe("Cumulative counters at the sample: the activity of a minute is the difference from the sample before."),
    gauges: z
      .object({
        onlineUsers: z.number().int().describe("Users with a connected device."),
        connections: z.number().int().describe("Connected devices."),
        deadLettersWaiting: z.record(z.string(), z.number().int()).describe("Dead letters waiting, by source (10,000 at most in all)."),
        syncLagging: z.number().int().describe("(target, user) pairs whose acknowledged version lags (10,000 at most)."),
      })
      .describe("Levels at the sample's minute."),
  })
  .describe("One per-minute sample.");

const HistoryView = z
  .object({
    minutes: z.number().int().describe("The minutes asked for."),
    samples: z.array(SampleView).describe("The samples of those minutes, oldest first; a minute the cron did not run has none."),
  })
  .openapi("StatsHistory", {
    example: {
      minutes: 2,
      samples: [
        {
          at: "2026-11-29T19:40:00.000Z",
          counters: { accepted: 120, sent: 118, delivered: 97, failed: 1, skipped: 1, batchItems: 80, behavioursApplied: 40, topicMessages: 12, topicDeliveries: 24, syncSucceeded: 30, syncFinished: 31, deadLettersCreated: 1 },
          gauges: { onlineUsers: 14, connections: 17, deadLettersWaiting: { sync: 1 }, syncLagging: 0 },
        },
        {
          at: "2026-11-29T19:41:00.000Z",
          counters: { accepted: 131, sent: 129, delivered: 105, failed: 1, skipped: 1, batchItems: 88, behavioursApplied: 44, topicMessages: 13, topicDeliveries: 26, syncSucceeded: 33, syncFinished: 34, deadLettersCreated: 1 },
          gauges: { onlineUsers: 15, connections: 18, deadLettersWaiting: { sync: 1 }, syncLagging: 0 },
        },
      ],
    },
  });

stats.openapi(
  createRoute({
    method: "get",
    path: "/v1/stats/history",
    operationId: "getStatsHistory",
    tags: ["observability"],
    summary: "Per-minute history of the main figures",
    description:
      "The samples the cron takes every minute (kept 7 days): cumulative counters and gauges. The console draws its charts from the last hour of them on load. docs/api.md#stats-and-metrics",
    request: { query: HistoryQuery },
    responses: { 200: { description: "The samples", content: { "application/json": { schema: HistoryView } } }, ...commonErrors },
  }),
  async (c) => {
    const { minutes } = c.req.valid("query");
    return c.json({ minutes, samples: await readStatsHistory(c.env.DB, minutes) }, 200);
  },
);

stats.openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    operationId: "getMetrics",
    tags: ["observability"],
    summary: "Counters, histograms and gauges for Prometheus",
    description:
      "Text exposition format 0.0.4 with `# HELP`/`# TYPE` lines; passes `promtool check metrics`. Send the API key as a bearer token. Every metric: docs/api.md#stats-and-metrics.",
    responses: { 200: { description: "Metrics", content: { "text/plain": { schema: MetricsText } } }, ...commonErrors },
  }),
  async (c) => c.text(await collectMetrics(c.env.DB), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
);
