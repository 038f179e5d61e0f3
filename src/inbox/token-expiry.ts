/**
 * Closing sockets whose user token expired (docs/protocol.md: "a socket is closed with 4001 when its
 * token expires"). The Worker checked the token at connect and passes its `exp` in
 * {@link TOKEN_EXP_HEADER}; the inbox keeps it in the socket's attachment (so it survives
 * hibernation) and its alarm closes the socket at that time — an alarm, because a hibernated
 * object runs no timers. A frame from a socket past its time closes it too, in case the alarm is
 * late. The client then reconnects with a fresh token from its token function (src/client).
 */
import { CLOSE_CODES } from "./frames";

/** Request header from the WebSocket route to the inbox: the token's `exp`, seconds since epoch. */
export const TOKEN_EXP_HEADER = "x-herald-token-exp";

/** The token expiry in `headers`, in ms since epoch, or null when absent or not a number. */
export function tokenExpiresAt(headers: Headers): number | null {
  const raw = headers.get(TOKEN_EXP_HEADER);
  const seconds = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

/** Whether a socket whose token expires at `expiresAt` (ms; null/undefined: never) is past it at `now`. */
export function tokenExpired(expiresAt: number | null | undefined, now: number): boolean {
  return expiresAt != null && now >= expiresAt;
}

/** Closes `ws` with 4001 "token expired"; a socket already closing is left as it is. */
export function closeTokenExpired(ws: WebSocket): void {
  try {
    ws.close(CLOSE_CODES.tokenExpired, "token expired");
  } catch {
    // Already closing.
  }
}

/**
 * Closes every socket of `sockets` whose token expired by `now` (ms) with 4001.
 * @returns the earliest token expiry among the sockets left open (ms), or null when none has one.
 */
export function closeExpiredSockets(sockets: Iterable<[WebSocket, number | null | undefined]>, now: number): number | null {
  let next: number | null = null;
  for (const [ws, expiresAt] of sockets) {
    if (tokenExpired(expiresAt, now)) closeTokenExpired(ws);
    else if (expiresAt != null) next = next === null ? expiresAt : Math.min(next, expiresAt);
  }
  return next;
}
