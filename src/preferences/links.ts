/**
 * Signed links in emails (docs/api.md#preferences): one-click unsubscribe (RFC 2369 `List-Unsubscribe`,
 * RFC 8058 `List-Unsubscribe-Post`) and the hosted preference page. A link token is
 * `<payload>.<mac>` (base64url): the payload names its use, the user and — to unsubscribe — the
 * category and channel; the mac is HMAC-SHA256 under a key derived with HKDF from `JWT_SECRET`
 * and the deployment's audience with its own label, so a link token is never a connect ticket or a
 * JWT, nor the reverse (src/inbox/tickets.ts does the same with another label). Only the holder of
 * the email can use it: it is unguessable and names exactly one user.
 */
import { z } from "zod";
import { userTokenKey } from "../lib/auth";
import { openToken, signToken } from "../lib/signed-token";
import { ApiError } from "../lib/errors";
import { Category, Channel, UserId } from "../notifications/input";

/** How long a preference-page link works, ms: it can change every setting, so it does not live for ever. */
export const PREFERENCES_LINK_TTL_MS = 30 * 86_400_000;

const Payload = z.discriminatedUnion("use", [
  // Unsubscribe links do not expire: an old email's link must still work, and it can only switch a channel off.
  z.object({ use: z.literal("unsubscribe"), sub: UserId, cat: Category, ch: Channel }).strict(),
  z.object({ use: z.literal("preferences"), sub: UserId, exp: z.number().int() }).strict(),
]);
export type LinkPayload = z.infer<typeof Payload>;

/** The HKDF label of link tokens (src/lib/signed-token.ts). */
const LABEL = "preference link";

type LinkEnv = { JWT_SECRET?: string; JWT_AUDIENCE?: string };

/** Signs `payload` into a link token. @throws ApiError `not_configured` without a usable JWT_SECRET. */
export async function mintLinkToken(env: LinkEnv, payload: LinkPayload): Promise<string> {
  return signToken(userTokenKey(env), LABEL, payload);
}

/**
 * Checks a link token's mac (constant time, `crypto.subtle.verify`), its use and, for the
 * preference page, its expiry at `now` (ms).
 * @throws ApiError `validation_failed` (400) naming `token` when it is malformed, forged,
 *         tampered with, meant for another use, or expired — nothing is changed.
 */
export async function verifyLinkToken<U extends LinkPayload["use"]>(env: LinkEnv, token: string, use: U, now = Date.now()): Promise<Extract<LinkPayload, { use: U }>> {
  const invalid = () => new ApiError("validation_failed", "The link is invalid or expired.", { errors: [{ path: "token", message: "Not a valid link token." }] });
  const parsed = Payload.safeParse(await openToken(userTokenKey(env), LABEL, token));
  if (!parsed.success || parsed.data.use !== use) throw invalid();
  if (parsed.data.use === "preferences" && now >= parsed.data.exp) throw invalid();
  return parsed.data as Extract<LinkPayload, { use: U }>;
}

/** The one-click unsubscribe URL for (user, category, channel) under `PUBLIC_URL`. */
export async function unsubscribeUrl(env: LinkEnv & { PUBLIC_URL: string }, userId: string, category: string, channel: Channel = "email"): Promise<string> {
  const token = await mintLinkToken(env, { use: "unsubscribe", sub: userId, cat: category, ch: channel });
  return `${env.PUBLIC_URL.replace(/\/+$/, "")}/v1/unsubscribe?token=${token}`;
}

/** The hosted preference page's URL for `userId`, valid {@link PREFERENCES_LINK_TTL_MS} from `now` (ms). */
export async function preferencesUrl(env: LinkEnv & { PUBLIC_URL: string }, userId: string, now = Date.now()): Promise<string> {
  const token = await mintLinkToken(env, { use: "preferences", sub: userId, exp: now + PREFERENCES_LINK_TTL_MS });
  return `${env.PUBLIC_URL.replace(/\/+$/, "")}/preferences?token=${token}`;
}
