import { sign, verify } from "hono/jwt";
import { ApiError } from "./errors";

const encoder = new TextEncoder();

/**
 * Constant-time comparison of two secrets (SPEC §3). Both sides are hashed first so the
 * comparison length does not leak the key length; `crypto.subtle.timingSafeEqual` is workerd's.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

const keyIds = new Map<string, Promise<string>>();

/**
 * A key's public identity: the first 32 hex digits (128 bits) of its SHA-256. It names the key
 * wherever a name is needed — the rate limiter's counter key, a log line — so the key itself is
 * never handed to anything but the comparison above. Cached: only configured keys get here.
 */
export function apiKeyId(key: string): Promise<string> {
  let id = keyIds.get(key);
  if (!id) {
    id = crypto.subtle.digest("SHA-256", encoder.encode(key)).then((digest) =>
      [...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, "0")).join(""),
    );
    keyIds.set(key, id);
  }
  return id;
}

/** Parses `API_KEYS` (comma-separated, blanks ignored). */
export function configuredApiKeys(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/**
 * True when `candidate` equals one of the configured keys. Every key is compared (no early
 * exit) so timing does not reveal which key matched.
 */
export async function isApiKey(candidate: string, keys: string[]): Promise<boolean> {
  const results = await Promise.all(keys.map((k) => secretsEqual(candidate, k)));
  return results.some(Boolean);
}

/** Upper bound for user-token lifetimes (SPEC §3: `exp` at most 24 h). */
export const MAX_USER_TOKEN_TTL_SECONDS = 86_400;

/**
 * Mints a user token: HS256 JWT with `sub` = userId, `iat`, `exp` (seconds since epoch).
 * @param ttlSeconds lifetime in seconds, 1..86,400.
 */
export async function mintUserToken(secret: string, userId: string, ttlSeconds: number, nowMs = Date.now()) {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const token = await sign({ sub: userId, iat, exp, typ: "user" }, secret, "HS256");
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Verifies a user token and returns its userId.
 * @throws ApiError `unauthorized` when the signature, `exp` (required, ≤ 24 h after `iat`) or `sub` is wrong.
 */
export async function verifyUserToken(secret: string, token: string): Promise<string> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, "HS256");
  } catch {
    throw new ApiError("unauthorized", "The user token is invalid or expired.");
  }
  const { sub, exp, iat } = payload;
  if (typeof sub !== "string" || sub.length === 0 || typeof exp !== "number") {
    throw new ApiError("unauthorized", "The user token must carry `sub` and `exp`.");
  }
  const issued = typeof iat === "number" ? iat : Math.floor(Date.now() / 1000);
  if (exp - issued > MAX_USER_TOKEN_TTL_SECONDS) {
    throw new ApiError("unauthorized", "The user token lives longer than 24 hours.");
  }
  return sub;
}
