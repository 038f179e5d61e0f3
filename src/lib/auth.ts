import { sign, verify } from "hono/jwt";
import { ApiError } from "./errors";

const encoder = new TextEncoder();

const sha256 = (text: string) => crypto.subtle.digest("SHA-256", encoder.encode(text));

/** SHA-256 of each configured key, computed once per isolate (only configured keys get here). */
const keyDigests = new Map<string, Promise<ArrayBuffer>>();

function keyDigest(key: string): Promise<ArrayBuffer> {
  let digest = keyDigests.get(key);
  if (!digest) keyDigests.set(key, (digest = sha256(key)));
  return digest;
}

const keyIds = new Map<string, Promise<string>>();

/**
 * A key's public identity: the first 32 hex digits (128 bits) of its SHA-256. It names the key
 * wherever a name is needed — the rate limiter's counter key, a log line — so the key itself is
 * never handed to anything but the comparison in {@link isApiKey}. Cached: only configured keys get here.
 */
export function apiKeyId(key: string): Promise<string> {
  let id = keyIds.get(key);
  if (!id) {
    id = keyDigest(key).then((digest) =>
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
 * True when `candidate` equals one of the configured keys, in constant time (docs/api.md#authentication): the
 * candidate is hashed once and its SHA-256 compared with every key's cached digest by workerd's
 * `crypto.subtle.timingSafeEqual`, with no early exit, so timing reveals neither which key
 * matched nor any key's length. (Hashing all keys per
 * request cost ~0.7 ms of a ~15 ms request on the local runtime — measured by CPU profile.)
 */
export async function isApiKey(candidate: string, keys: string[]): Promise<boolean> {
  const [digest, ...digests] = await Promise.all([sha256(candidate), ...keys.map(keyDigest)]);
  let found = false;
  for (const d of digests) found = crypto.subtle.timingSafeEqual(digest!, d) || found;
  return found;
}

/** Upper bound for user-token lifetimes (docs/api.md#authentication: `exp` at most 24 h). */
export const MAX_USER_TOKEN_TTL_SECONDS = 86_400;

/**
 * Fewest bytes `JWT_SECRET` may have (issue 14): RFC 7518 §3.2 requires an HS256 key of at least
 * the hash size, 256 bits; a shorter one can be brute-forced from any token a user holds.
 */
export const MIN_JWT_SECRET_BYTES = 32;

/**
 * How far `iat` and `nbf` may lie in the future, seconds: clocks of the isolates that mint and
 * check a token differ a little. Past this a token was not made by us, or our clock is broken.
 */
export const CLOCK_SKEW_SECONDS = 60;

/** The `typ` claim of a user token, so no other JWT signed with the same secret passes as one. */
export const USER_TOKEN_TYPE = "user";

/** The audience when the var `JWT_AUDIENCE` is unset: the Worker's name in wrangler.toml. */
export const DEFAULT_JWT_AUDIENCE = "herald";

/** What signs and checks user tokens: the HS256 secret and this deployment's audience. */
export interface UserTokenKey {
  secret: string;
  audience: string;
}

/**
 * The user-token key of this deployment, from the secret `JWT_SECRET` and the var `JWT_AUDIENCE`
 * (default {@link DEFAULT_JWT_AUDIENCE}; set a different one per deployment that shares a secret,
 * so a staging token is refused in production).
 * @throws ApiError `not_configured` (503) when `JWT_SECRET` is missing or shorter than
 *         {@link MIN_JWT_SECRET_BYTES} bytes (UTF-8) — never a weak key.
 */
export function userTokenKey(env: { JWT_SECRET?: string; JWT_AUDIENCE?: string }): UserTokenKey {
  const secret = env.JWT_SECRET;
  if (!secret) throw new ApiError("not_configured", "No JWT secret is configured (secret JWT_SECRET).");
  const bytes = encoder.encode(secret).byteLength;
  if (bytes < MIN_JWT_SECRET_BYTES) {
    throw new ApiError(
      "not_configured",
      `JWT_SECRET is ${bytes} bytes; user tokens need at least ${MIN_JWT_SECRET_BYTES} random bytes (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  return { secret, audience: env.JWT_AUDIENCE || DEFAULT_JWT_AUDIENCE };
}

/**
 * Mints a user token: HS256 JWT with `sub` = userId, `typ` = "user", `aud` = the deployment's
 * audience, `iat` and `exp` (seconds since epoch).
 * @param ttlSeconds lifetime in seconds, 1..86,400.
 */
export async function mintUserToken(key: UserTokenKey, userId: string, ttlSeconds: number, nowMs = Date.now()) {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const token = await sign({ sub: userId, typ: USER_TOKEN_TYPE, aud: key.audience, iat, exp }, key.secret, "HS256");
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** A verified user token: its user and when it expires (seconds since epoch). */
export interface UserTokenClaims {
  userId: string;
  exp: number;
}

/**
 * Verifies a user token (docs/api.md#authentication, issue 14) with hono/jwt: the header's `alg` must be HS256 —
 * `none`, HS512 and asymmetric algorithms (the RS256 public-key confusion) are refused before the
 * signature is checked — and `aud` must name this deployment. Then the claims: `sub` non-empty,
 * `typ` = "user", `iat` and `exp` numbers with `exp` after now and at most 24 h after `iat`,
 * `iat` and `nbf` (when present) no more than {@link CLOCK_SKEW_SECONDS} in the future.
 * @throws ApiError `unauthorized` when any of these fails.
 */
export async function verifyUserToken(key: UserTokenKey, token: string, nowMs = Date.now()): Promise<UserTokenClaims> {
  let payload: Record<string, unknown>;
  try {
    // `iat` and `nbf` are checked below, with the skew hono/jwt does not allow.
    payload = await verify(token, key.secret, { alg: "HS256", aud: key.audience, iat: false, nbf: false });
  } catch {
    throw new ApiError("unauthorized", "The user token is invalid or expired.");
  }
  const { sub, typ, exp, iat, nbf } = payload;
  if (typeof sub !== "string" || sub.length === 0 || typeof exp !== "number" || typeof iat !== "number") {
    throw new ApiError("unauthorized", "The user token must carry `sub`, `iat` and `exp`.");
  }
  if (typ !== USER_TOKEN_TYPE) throw new ApiError("unauthorized", "Not a user token (`typ` must be \"user\").");
  const latest = Math.floor(nowMs / 1000) + CLOCK_SKEW_SECONDS;
  if (iat > latest || (nbf !== undefined && (typeof nbf !== "number" || nbf > latest))) {
    throw new ApiError("unauthorized", "The user token is not valid yet.");
  }
  if (exp - iat > MAX_USER_TOKEN_TTL_SECONDS) {
    throw new ApiError("unauthorized", "The user token lives longer than 24 hours.");
  }
  return { userId: sub, exp };
}
