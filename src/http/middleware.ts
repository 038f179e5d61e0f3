import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env";
import { apiKeyId, configuredApiKeys, isApiKey, userTokenKey, verifyUserToken } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { verifyTicket } from "../inbox/tickets";

/** docs/api.md#limits: request bodies are at most 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Paths a user token may reach (docs/api.md#authentication); everything else under /v1 needs an API key. */
export function isUserPath(path: string): boolean {
  return path === "/v1/me" || path.startsWith("/v1/me/");
}

/**
 * Routes whose credential is a signed link token in `?token=` (src/preferences/links.ts) — opened
 * from an email, by a mail client's one-click POST or a browser with no Herald session — so they
 * take no bearer credential and count against no principal's rate limit.
 */
export function isLinkPath(path: string): boolean {
  return path === "/v1/unsubscribe" || path === "/v1/preferences/by-link";
}

/**
 * Routes that take a connect ticket as `?ticket=` (src/inbox/tickets.ts) in place of a user token:
 * those a browser opens without being able to set headers. The route must redeem the ticket in
 * the user's inbox (`principal.ticket`), which makes it single-use.
 */
const TICKET_PATHS = new Set(["/v1/me/connect", "/v1/me/stream"]);

/**
 * Authenticates `/v1/*` (docs/api.md#authentication). `Authorization: Bearer <api key | user JWT>`; the WebSocket
 * and Server-Sent Events routes also take `?ticket=` (a single-use connect ticket, checked here and redeemed by the inbox)
 * or `?token=`, because browsers cannot set headers on a WebSocket handshake or an `EventSource`. A ticket is no
 * bearer credential: it is refused (401) everywhere else.
 * - no `API_KEYS` configured → 503 `not_configured` (never open); for a user token, likewise
 *   when `JWT_SECRET` is missing or too short (src/lib/auth.ts `userTokenKey`);
 * - no or unknown credential → 401; user token off `/v1/me/*` or API key on it → 403.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isLinkPath(c.req.path)) return next();
  const keys = configuredApiKeys(c.env.API_KEYS);
  if (keys.length === 0) throw new ApiError("not_configured", "No API key is configured (secret API_KEYS).");

  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const ticket = bearer === undefined && TICKET_PATHS.has(c.req.path) ? c.req.query("ticket") : undefined;
  if (ticket !== undefined) {
    const { id, userId, expiresAt, tokenExp } = await verifyTicket(userTokenKey(c.env), ticket);
    c.set("principal", { kind: "user", userId, tokenExp, ticket: { id, expiresAt } });
    return next();
  }
  const credential = bearer ?? (TICKET_PATHS.has(c.req.path) ? c.req.query("token") : undefined);
  if (!credential) throw new ApiError("unauthorized", "Send `Authorization: Bearer <api key or user token>`.");

  const userPath = isUserPath(c.req.path);
  if (await isApiKey(credential, keys)) {
    if (userPath) throw new ApiError("forbidden", "`/v1/me/*` takes a user token, not an API key.");
    c.set("principal", { kind: "api_key", keyId: await apiKeyId(credential) });
    return next();
  }
  if (credential.split(".").length !== 3) throw new ApiError("unauthorized", "Unknown API key.");
  const { userId, exp } = await verifyUserToken(userTokenKey(c.env), credential);
  if (!userPath) throw new ApiError("forbidden", "A user token only reaches `/v1/me/*` and the WebSocket.");
  c.set("principal", { kind: "user", userId, tokenExp: exp });
  return next();
};

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Whether the request carries a body. `Content-Length` says so when present; without it the body
 * stream itself does — HTTP/2 and HTTP/3 need neither that header nor `Transfer-Encoding`, and a
 * guard keyed on headers alone let such bodies past every check below (found by
 * test/integration/fuzz-http.test.ts, whose requests reach the app with no `Content-Length`).
 */
export function hasBody(c: Context<AppEnv>): boolean {
  const length = c.req.header("content-length");
  return length !== undefined ? length !== "0" : c.req.raw.body !== null;
}

/**
 * Deepest nesting of arrays and objects a JSON body may have. Past a few thousand levels the
 * recursive work done on stored values — canonical fingerprints, template rendering — overflows
 * the stack (test/integration/fuzz-http.test.ts found it at ~3,000); real payloads stay far below.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests arrays/objects deeper than `max` levels (iterative: no recursion to overflow). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== "object") return false;
  // Only containers are stacked: a batch body is mostly strings and numbers (a behaviour batch
  // has ~8,000 of them), which cannot nest.
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === "object") stack.push([child as object, depth + 1]);
  }
  return false;
}

/**
 * Guards request bodies before any handler runs: over 1 MiB → 413 `payload_too_large`; a body
 * that is not `application/json` → 415; JSON that does not parse → 400 `malformed_json`; JSON
 * nested deeper than {@link MAX_JSON_DEPTH} → 400 `validation_failed`. `POST /v1/unsubscribe` is
 * left alone: RFC 8058's one-click POST is a form body (`List-Unsubscribe=One-Click`), which it ignores.
 * Later `c.req.json()` calls (validators, handlers) get this parse: Hono caches only the body's
 * text and would parse it again on each call (a 1,000-event behaviour batch: ~10% of ingest CPU).
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!BODY_METHODS.has(c.req.method) || !hasBody(c) || c.req.path === "/v1/unsubscribe") return next();
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Send the body as `Content-Type: application/json`.");
  }
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large", `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    },
  })(c, async () => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError("malformed_json", "The request body is not valid JSON.");
    }
    const parsed = Promise.resolve(body);
    c.req.json = <T>() => parsed as Promise<T>;
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
      throw new ApiError("validation_failed", `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, {
        errors: [{ path: "", message: `At most ${MAX_JSON_DEPTH} levels of arrays and objects.` }],
      });
    }
    await next();
  });
};

/**
 * One structured JSON log line per request: request id, method, path (no query string, which
 * may carry a token), status and duration in ms. Never headers or bodies (no secrets in logs).
 */
export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
    }),
  );
};
