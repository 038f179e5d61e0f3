/** `GET /v1/stats` (JSON) and `GET /metrics` (Prometheus text), docs/api.md#stats-and-metrics. Both take the API key. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors } from "../http/schemas";
import { collectStats, toPrometheus } from "../stats/collect";

export const stats = createRouter();

const Figures = z.record(z.string(), z.unknown());
const StatsView = z
  .object({
    window: z.string(),
    generatedAt: z.string(),
    notifications: Figures,
    batch: Figures,
    behaviours: Figures,
    messages: Figures,
    deliveries: Figures,
    sync: Figures,
    deadLetters: Figures,
    presence: Figures,
    storage: Figures,
  })
  .openapi("Stats", {
    description:
      "Counts by status over the last 24 h; batch and behaviour counters since the start; success rates, p50/p95 latency in ms; dead letters; online users; " +
      "storage: the database's size in bytes and each table's rows as the cron last counted them (every 10 minutes).",
  });

stats.openapi(
  createRoute({
    method: "get",
    path: "/v1/stats",
    operationId: "getStats",
    tags: ["observability"],
    summary: "Operational figures",
    responses: { 200: { description: "The figures", content: { "application/json": { schema: StatsView } } }, ...commonErrors },
  }),
  async (c) => c.json(await collectStats(c.env.DB), 200),
);

stats.openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    operationId: "getMetrics",
    tags: ["observability"],
    summary: "The same figures for Prometheus",
    description: "Text exposition format 0.0.4 with `# HELP`/`# TYPE` lines. Send the API key as a bearer token.",
    responses: { 200: { description: "Metrics", content: { "text/plain": { schema: z.string() } } }, ...commonErrors },
  }),
  async (c) => c.text(toPrometheus(await collectStats(c.env.DB)), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
);
