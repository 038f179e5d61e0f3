/** Unauthenticated system routes: `/health` (docs/api.md#conventions) and the landing redirect. */
import { createRoute, z } from "@hono/zod-openapi";
import { D1_LIMIT_BYTES, databaseBytes } from "../db/table-sizes";
import { createRouter } from "../http/router";

/** Above this share of D1's size limit `/health` says `degraded` (docs/data-model.md#sizes). */
export const STORAGE_DEGRADED_SHARE = 0.8;

/** The database size limit in bytes: `D1_LIMIT_BYTES` when set (a smaller plan, a test), else D1's 10 GB. */
function limitBytes(env: object): number {
  const n = Number((env as { D1_LIMIT_BYTES?: string }).D1_LIMIT_BYTES);
  return Number.isFinite(n) && n > 0 ? n : D1_LIMIT_BYTES;
}

export const system = createRouter();

const Health = z
  .object({
    status: z.enum(["ok", "degraded"]).describe("`ok`, or `degraded` when a check failed (503) or storage is over 80% of D1's limit (200)."),
    checks: z
      .record(z.string(), z.string())
      .describe("Each check by name (`d1`, `storage`, `config`): `ok`, or what is wrong.")
      .openapi({ example: { d1: "ok", storage: "ok", config: "ok" } }),
  })
  .openapi("Health", { example: { status: "ok", checks: { d1: "ok", storage: "ok", config: "ok" } } });

system.openapi(
  createRoute({
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tags: ["system"],
    summary: "Liveness and dependency checks",
    description:
      "`200 {status:\"ok\"}` when D1 answers and secrets are configured; `503` naming the failing check otherwise " +
      "(`checks.d1: \"error\"` — never the internal error text, which is logged with the request id). " +
      "`200 {status:\"degraded\"}` with `checks.storage` when the database holds more than 80% of D1's 10 GB limit: " +
      "it still works, but retention is not keeping up (docs/data-model.md#retention). No auth.",
    security: [],
    responses: {
      200: { description: "All checks pass (or only storage is near its limit)", content: { "application/json": { schema: Health } } },
      503: { description: "A check failed", content: { "application/json": { schema: Health } } },
    },
  }),
  async (c) => {
    const checks: Record<string, string> = {};
    let storageFull = false;
    try {
      const bytes = await databaseBytes(c.env.DB);
      checks.d1 = "ok";
      const limit = limitBytes(c.env);
      storageFull = bytes > STORAGE_DEGRADED_SHARE * limit;
      checks.storage = storageFull ? `degraded: ${bytes} of ${limit} bytes used (${Math.round((100 * bytes) / limit)}%)` : "ok";
    } catch (error) {
      // The check's name only: a driver's message can carry SQL, hostnames or credentials, and
      // /health answers anyone. The detail goes to the log under the request id.
      checks.d1 = "error";
      console.error(
        JSON.stringify({
          level: "error",
          msg: "health check failed",
          check: "d1",
          requestId: c.get("requestId"),
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      );
    }
    checks.config = c.env.API_KEYS && c.env.JWT_SECRET ? "ok" : "missing API_KEYS or JWT_SECRET";
    const failed = Object.entries(checks).some(([name, v]) => name !== "storage" && v !== "ok");
    if (failed) return c.json({ status: "degraded" as const, checks }, 503);
    return c.json({ status: storageFull ? ("degraded" as const) : ("ok" as const), checks }, 200);
  },
);

/**
 * The vendored API reference script (Scalar `@scalar/api-reference`, MIT): the npm package's
 * `dist/browser/standalone.js`, byte for byte, pinned by version in its name and by this
 * Subresource Integrity hash. To upgrade: `npm pack @scalar/api-reference@<version>`, copy that
 * file to `public/vendor/scalar-api-reference-<version>.js`, delete the old one, and update both
 * constants (`openssl dgst -sha384 -binary <file> | openssl base64 -A`).
 */
export const REFERENCE_SCRIPT = {
  src: "/vendor/scalar-api-reference-1.76.0.js",
  integrity: "sha384-oH1C0RwqcwbVXkC+r8A+4qRoyEUQdtxAzOwumkxZtQBBcsy61FOoPt7B50OVJYYQ",
} as const;

/**
 * /docs: the interactive API reference over `/openapi.json`. Every script is ours and served
 * from this origin (issue 14: /docs works with no internet, and no third-party script runs on
 * the origin where /console keeps the API key); no inline script, so the page works under
 * `DOCS_CSP` (src/http/security-headers.ts). Not in the OpenAPI document: it is a page.
 */
system.get("/docs", (c) =>
  c.html(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Herald API reference</title>
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
  <div id="app" data-url="/openapi.json"></div>
  <noscript>The reference needs JavaScript; the document itself is <a href="/openapi.json">/openapi.json</a>.</noscript>
  <script src="${REFERENCE_SCRIPT.src}" integrity="${REFERENCE_SCRIPT.integrity}"></script>
  <script src="/assets/docs.js"></script>
</body>
</html>
`),
);
