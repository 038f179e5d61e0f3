/**
 * `POST /dev/token`: a user token for any user id without an API key, so the `/inbox` page can
 * sign in during local development (README.md#pages, issue 7). It exists only where the var
 * `ALLOW_DEV_TOKENS` is "true" — `npm start` and the browser tests set it; wrangler.toml declares
 * it "false", so a deployed Worker answers 404 as if the route were not there. It sits outside
 * `/v1`, so the API-key middleware does not apply: the var is its only gate.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Bindings } from "../env";
import { createRouter } from "../http/router";
import { jsonRequest, problemResponse } from "../http/schemas";
import { MAX_USER_TOKEN_TTL_SECONDS, mintUserToken, userTokenKey } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { UserId } from "../notifications/input";
import { costLedger, costTraceOn, resetCostLedger } from "../lib/cost-trace";

export const dev = createRouter();

/**
 * Read through a wider type: `wrangler types` types the var as its declared literal `"false"`,
 * which the comparison with "true" would not type-check against.
 */
const devTokensAllowed = (env: Bindings) => (env as unknown as { ALLOW_DEV_TOKENS?: string }).ALLOW_DEV_TOKENS === "true";

// Gate before body validation, so a switched-off server answers every request the same 404 as
// an unknown path instead of revealing the route through a 400.
dev.use("/dev/*", async (c, next) => {
  if (!devTokensAllowed(c.env)) throw new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
  await next();
});

const DevTokenRequest = z.object({ userId: UserId }).strict().openapi("DevTokenRequest", { example: { userId: "dev-user" } });

dev.openapi(
  createRoute({
    method: "post",
    path: "/dev/token",
    operationId: "createDevToken",
    tags: ["development"],
    summary: "Mint a user token without an API key (local development only)",
    description: [
      "**Development only.** Answers 404 unless the var `ALLOW_DEV_TOKENS` is `\"true\"` (`npm start` sets it; deployed",
      "Workers keep the default `\"false\"`). Returns a 24-hour user token for `userId`, as `POST /v1/users/{userId}/tokens`",
      "would with an API key, so the `/inbox` page can sign in locally.",
    ].join(" "),
    security: [],
    request: jsonRequest(DevTokenRequest),
    responses: {
      201: {
        description: "Token minted",
        content: {
          "application/json": {
            schema: z.object({
              userId: z.string().describe("The user the token acts as."),
              token: z.string().describe("The user token (HS256 JWT), valid 24 hours."),
              expiresAt: z.string().describe("When the token expires (ISO 8601)."),
            }),
            example: { userId: "dev-user", token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…", expiresAt: "2026-11-22T12:00:00.000Z" },
          },
        },
      },
      400: problemResponse("Malformed JSON or validation failed"),
      404: problemResponse("Dev tokens are off (`ALLOW_DEV_TOKENS` is not \"true\")"),
      503: problemResponse("No JWT secret configured"),
    },
  }),
  async (c) => {
    const key = userTokenKey(c.env);
    const { userId } = c.req.valid("json");
    const minted = await mintUserToken(key, userId, MAX_USER_TOKEN_TTL_SECONDS);
    return c.json({ userId, ...minted }, 201);
  },
);

const StatementCost = z.object({
  count: z.number().int().describe("Times the statement ran."),
  rowsRead: z.number().int().describe("Rows it read, as the platform reports them."),
  rowsWritten: z.number().int().describe("Rows it wrote, index rows included (D1 `meta.rows_written`, SQLite cursor `rowsWritten`)."),
});

const CostLedgerView = z
  .object({
    worker: z.object({ fetches: z.number().int().describe("HTTP requests handled."), queueBatches: z.number().int().describe("Queue batches handed to a consumer.") }).describe("Worker invocations."),
    d1: z
      .object({
        roundTrips: z.number().int().describe("Calls to D1: one per statement run alone, one per `batch`."),
        statements: z.number().int().describe("Statements run."),
        rowsRead: z.number().int().describe("Rows read (`meta.rows_read`)."),
        rowsWritten: z.number().int().describe("Rows written, index rows included (`meta.rows_written`)."),
      })
      .describe("D1, from its result `meta`."),
    queues: z
      .object({
        sends: z.number().int().describe("`send`/`sendBatch` calls."),
        messages: z.number().int().describe("Messages sent."),
        units: z.number().int().describe("64 KB units written (each costs a write, a read and a delete)."),
      })
      .describe("Queue producers."),
    durableObjects: z
      .object({
        rpc: z.number().int().describe("RPC calls through a stub (each a billed request)."),
        fetches: z.number().int().describe("`fetch` calls through a stub."),
        webSocketMessages: z.number().int().describe("Incoming WebSocket messages (billed 20:1)."),
        alarms: z.number().int().describe("Alarm runs."),
        sqlStatements: z.number().int().describe("SQLite statements run."),
        rowsRead: z.number().int().describe("SQLite rows read (cursor `rowsRead`)."),
        rowsWritten: z.number().int().describe("SQLite rows written (cursor `rowsWritten`)."),
        alarmWrites: z.number().int().describe("`setAlarm`/`deleteAlarm` calls."),
      })
      .describe("Durable Objects: requests and their SQLite storage."),
    statements: z.record(z.string(), StatementCost).describe("Per statement (`d1:` or `do:` and its first 96 characters)."),
  })
  .openapi("CostLedger", {
    example: {
      worker: { fetches: 1, queueBatches: 2 },
      d1: { roundTrips: 5, statements: 9, rowsRead: 33, rowsWritten: 18 },
      queues: { sends: 3, messages: 3, units: 3 },
      durableObjects: { rpc: 1, fetches: 0, webSocketMessages: 2, alarms: 0, sqlStatements: 17, rowsRead: 32, rowsWritten: 19, alarmWrites: 0 },
      statements: { "d1: INSERT INTO notifications (id, user_id": { count: 1, rowsRead: 2, rowsWritten: 5 } },
    },
  });

const costNotFound = (c: { req: { method: string; path: string } }) => new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`);

dev.openapi(
  createRoute({
    method: "get",
    path: "/dev/cost",
    operationId: "getCostLedger",
    tags: ["development"],
    summary: "What the cost tracer counted (local development only)",
    description: [
      "**Development only** (docs/cost.md). Answers 404 unless `ALLOW_DEV_TOKENS` and `COST_TRACE` are both `\"true\"`. Returns what every",
      "operation since the last reset cost on the billed meters: D1 round trips, statements and rows; queue messages; Durable",
      "Object requests and SQLite rows; Worker invocations. The bench's `cost` scenario reads it.",
    ].join(" "),
    security: [],
    responses: {
      200: { description: "The ledger", content: { "application/json": { schema: CostLedgerView } } },
      404: problemResponse("Dev routes or the tracer are off"),
    },
  }),
  (c) => {
    if (!costTraceOn(c.env)) throw costNotFound(c);
    return c.json(costLedger(), 200);
  },
);

dev.openapi(
  createRoute({
    method: "delete",
    path: "/dev/cost",
    operationId: "resetCostLedger",
    tags: ["development"],
    summary: "Zero the cost tracer (local development only)",
    description: "**Development only** (docs/cost.md): as `GET /dev/cost`, gated the same way; starts counting from zero.",
    security: [],
    responses: {
      204: { description: "Zeroed" },
      404: problemResponse("Dev routes or the tracer are off"),
    },
  }),
  (c) => {
    if (!costTraceOn(c.env)) throw costNotFound(c);
    resetCostLedger();
    return c.body(null, 204);
  },
);
