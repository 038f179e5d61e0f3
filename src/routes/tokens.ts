/** `POST /v1/users/{userId}/tokens`: mints short-lived user tokens (docs/api.md#authentication). */
import { createRoute, z } from "@hono/zod-openapi";
import { hasBody } from "../http/middleware";
import { createRouter, fieldErrors } from "../http/router";
import { commonErrors } from "../http/schemas";
import { MAX_USER_TOKEN_TTL_SECONDS, mintUserToken, userTokenKey } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { UserId } from "../notifications/input";

export const tokens = createRouter();

const TokenRequest = z
  .object({
    ttlSeconds: z.number().int().min(60).max(MAX_USER_TOKEN_TTL_SECONDS).default(3600).openapi({ description: "Lifetime in seconds, 60..86,400 (24 h)." }),
  })
  .strict()
  .openapi("TokenRequest", { example: { ttlSeconds: 3600 } });

const TokenResponse = z
  .object({
    token: z.string().describe("The user token (HS256 JWT): `Authorization: Bearer <token>` on `/v1/me/*`."),
    expiresAt: z.string().describe("When the token expires (ISO 8601).").openapi({ example: "2026-11-21T12:00:00.000Z" }),
  })
  .openapi("UserToken", { example: { token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzQyIn0.sig", expiresAt: "2026-11-21T12:00:00.000Z" } });

tokens.openapi(
  createRoute({
    method: "post",
    path: "/v1/users/{userId}/tokens",
    operationId: "createUserToken",
    tags: ["auth"],
    summary: "Mint a user token",
    description: "HS256 JWT with `sub` = userId, `typ` \"user\", `aud` (this deployment, var `JWT_AUDIENCE`), `iat` and `exp`; it reaches only `/v1/me/*` and the WebSocket of that user.",
    request: {
      params: z.object({ userId: UserId }),
      body: { required: false, content: { "application/json": { schema: TokenRequest } } },
    },
    responses: { 201: { description: "Token minted", content: { "application/json": { schema: TokenResponse } } }, ...commonErrors },
  }),
  async (c) => {
    const key = userTokenKey(c.env);
    const { userId } = c.req.valid("param");
    // The body is optional, so it is validated here rather than by the route's validator.
    const raw: unknown = hasBody(c) ? await c.req.json() : {};
    const parsed = TokenRequest.safeParse(raw);
    if (!parsed.success) throw new ApiError("validation_failed", "The request does not match the schema.", { errors: fieldErrors(parsed.error) });
    const { ttlSeconds } = parsed.data;
    return c.json(await mintUserToken(key, userId, ttlSeconds), 201);
  },
);
