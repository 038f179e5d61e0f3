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
