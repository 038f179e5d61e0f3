/**
 * Rate limits (docs/api.md#rate-limits, issue 9) through the Workers Rate Limiting binding, after authentication:
 * - an API key on `/v1/*` and `/metrics` counts against `API_KEY_RATE_LIMIT` (default 10,000
 *   requests per 10 s), keyed by the key's SHA-256 prefix (`keyId`) — never the key itself;
 * - a user token on `/v1/me/*`, REST and WebSocket connects alike, counts against
 *   `USER_RATE_LIMIT` (default 100 per 10 s), keyed by the SHA-256 of the user id (user ids may be
 *   e-mail addresses; the limiter never sees them).
 * Limits and periods are configured on the bindings in wrangler.toml. Over the limit → 429
 * `rate_limited` with `Retry-After`. Unauthenticated requests never reach here: they are refused
 * before costing a counter, and floods of them are the edge's job (WAF rate-limiting rules).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { isLinkPath } from "./middleware";

/**
 * `Retry-After` in seconds: the bindings' `period` in wrangler.toml (10). The binding does not
 * report when its window ends, so this is the longest a caller may have to wait with that period.
 */
export const RETRY_AFTER_SECONDS = 10;

const encoder = new TextEncoder();

/** Hex SHA-256 of `text`, the counter key for a user. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Counts the request against its principal's limiter. A limiter that fails to answer lets the
 * request through (and logs it): the limit protects the service, and refusing every request
 * because the counter is unreachable would turn its outage into ours.
 * @throws ApiError `rate_limited` (429, `Retry-After`) when the principal is over its limit.
 */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Link routes have no principal (src/http/middleware.ts `isLinkPath`): floods are the edge's job, as for unauthenticated requests.
  if (isLinkPath(c.req.path)) return next();
  const principal = c.get("principal");
  const [limiter, key] =
    principal.kind === "api_key" ? [c.env.API_KEY_RATE_LIMIT, `key:${principal.keyId}`] : [c.env.USER_RATE_LIMIT, `user:${await sha256Hex(principal.userId)}`];
  let allowed = true;
  try {
    allowed = (await limiter.limit({ key })).success;
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "rate limiter unavailable, request allowed", requestId: c.get("requestId"), limiter: principal.kind, error: String(error) }));
  }
  if (!allowed) {
    const who = principal.kind === "api_key" ? "this API key" : "this user";
    throw new ApiError("rate_limited", `Too many requests for ${who}; retry after ${RETRY_AFTER_SECONDS} seconds.`, {
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
    });
  }
  await next();
};
