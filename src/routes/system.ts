/** Unauthenticated system routes: `/health` (SPEC §2) and the landing redirect. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";

export const system = createRouter();

const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.record(z.string(), z.string()).openapi({ example: { d1: "ok", config: "ok" } }),
  })
  .openapi("Health");

system.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["system"],
    summary: "Liveness and dependency checks",
    description: "`200 {status:\"ok\"}` when D1 answers and secrets are configured; `503` with the failing check otherwise. No auth.",
    security: [],
    responses: {
      200: { description: "All checks pass", content: { "application/json": { schema: Health } } },
      503: { description: "A check failed", content: { "application/json": { schema: Health } } },
    },
  }),
  async (c) => {
    const checks: Record<string, string> = {};
    try {
      await c.env.DB.prepare("SELECT 1").first();
      checks.d1 = "ok";
    } catch (error) {
      checks.d1 = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    checks.config = c.env.API_KEYS && c.env.JWT_SECRET ? "ok" : "missing API_KEYS or JWT_SECRET";
    const ok = Object.values(checks).every((v) => v === "ok");
    return ok ? c.json({ status: "ok" as const, checks }, 200) : c.json({ status: "degraded" as const, checks }, 503);
  },
);
