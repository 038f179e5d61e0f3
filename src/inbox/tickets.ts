/**
 * Connect tickets (issue 14): `POST /v1/me/connect-tickets` trades a user token for a ticket that
 * opens the user's WebSocket once, within 60 s, as `?ticket=` — so the long-lived token stays out
 * of URLs, and so out of proxy and access logs and browser history. `?token=` keeps working.
 *
 * A ticket is `<payload>.<mac>` (base64url): the payload names its id, user, expiry and the
 * `exp` of the token it was made from (the socket is still closed with 4001 then); the mac is
 * HMAC-SHA256 under a key derived with HKDF from `JWT_SECRET` and the deployment's audience
 * (src/lib/signed-token.ts), so a ticket is never a valid JWT (two parts, not three: the bearer
 * check refuses it) and no JWT is a valid ticket.
 *
 * Single use is enforced where it cannot race: in the user's UserInbox, one object per user that
 * handles one request at a time. It records each redeemed ticket id until the ticket expires, in
 * its own SQLite storage (so an eviction between two uses forgets nothing); a second connect with
 * the same ticket finds the id and is refused with 401.
 */
import { z } from "zod";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { UserTokenKey } from "../lib/auth";
import { openToken, signToken } from "../lib/signed-token";

/** How long a ticket opens the socket, ms (issue 14: 60 s). */
export const TICKET_TTL_MS = 60_000;

/** Request headers from the WebSocket route to the inbox: the redeemed ticket's id and expiry (ms). */
export const TICKET_ID_HEADER = "x-herald-ticket-id";
export const TICKET_EXPIRES_HEADER = "x-herald-ticket-expires-at";

/** A verified ticket. */
export interface ConnectTicket {
  id: string;
  userId: string;
  /** When the ticket stops opening sockets, ms since epoch. */
  expiresAt: number;
  /** The `exp` of the user token it was made from, seconds since epoch (the socket's 4001 time). */
  tokenExp: number;
}

const Payload = z.object({ id: z.string().min(1).max(64), sub: z.string().min(1), exp: z.number().int(), tex: z.number().int() }).strict();

/** The HKDF label of connect tickets (src/lib/signed-token.ts). */
const LABEL = "connect ticket";

/**
 * Mints a ticket for `userId`, whose token expires at `tokenExp` (seconds). It lives
 * {@link TICKET_TTL_MS}, or less when the token expires sooner.
 * @returns the ticket and its expiry (ISO-8601).
 */
export async function mintTicket(key: UserTokenKey, userId: string, tokenExp: number, now = Date.now()): Promise<{ ticket: string; expiresAt: string }> {
  const exp = Math.min(now + TICKET_TTL_MS, tokenExp * 1000);
  const ticket = await signToken(key, LABEL, { id: newId(), sub: userId, exp, tex: tokenExp } satisfies z.infer<typeof Payload>);
  return { ticket, expiresAt: new Date(exp).toISOString() };
}

/**
 * Checks a ticket's mac (constant time, `crypto.subtle.verify`) and expiry. Whether it was
 * used already is the inbox's to say ({@link redeemTicket}).
 * @throws ApiError `unauthorized` when the ticket is malformed, forged, or expired at `now` (ms).
 */
export async function verifyTicket(key: UserTokenKey, ticket: string, now = Date.now()): Promise<ConnectTicket> {
  const parsed = Payload.safeParse(await openToken(key, LABEL, ticket));
  if (!parsed.success) throw new ApiError("unauthorized", "The connect ticket is invalid.");
  const { id, sub, exp, tex } = parsed.data;
  if (now >= exp) throw new ApiError("unauthorized", "The connect ticket expired; ask for a new one (`POST /v1/me/connect-tickets`).");
  return { id, userId: sub, expiresAt: exp, tokenExp: tex };
}

/** The ticket the WebSocket route redeemed, from its headers to the inbox, or null for a token connect. */
export function ticketOf(headers: Headers): { id: string; expiresAt: number } | null {
  const id = headers.get(TICKET_ID_HEADER);
  const expiresAt = Number(headers.get(TICKET_EXPIRES_HEADER));
  return id && Number.isFinite(expiresAt) ? { id, expiresAt } : null;
}

/**
 * How long past its expiry an inbox remembers a redeemed ticket, ms: the Worker that checks the
 * expiry and the inbox that forgets the id run on different machines, whose clocks differ a little.
 */
const REMEMBER_PAST_EXPIRY_MS = 60_000;

/**
 * Redeems a ticket in the user's inbox storage (`sql` of its UserInbox): records its id until a
 * while after it expires, forgetting ids past that at `now` (ms) — a handful of rows at most, as
 * tickets live a minute. Single use holds because one inbox object handles one request at a time
 * and the id is the table's primary key.
 * @returns false when the ticket was redeemed before.
 */
export function redeemTicket(sql: SqlStorage, ticket: { id: string; expiresAt: number }, now: number): boolean {
  sql.exec(`CREATE TABLE IF NOT EXISTS redeemed_tickets (id TEXT PRIMARY KEY, forget_at INTEGER NOT NULL) WITHOUT ROWID`);
  sql.exec(`DELETE FROM redeemed_tickets WHERE forget_at <= ?1`, now);
  const inserted = sql.exec(
    `INSERT INTO redeemed_tickets (id, forget_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING RETURNING id`,
    ticket.id,
    ticket.expiresAt + REMEMBER_PAST_EXPIRY_MS,
  );
  return inserted.toArray().length === 1;
}
