import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

/**
 * The calling user's id on a `/v1/me/*` route (docs/api.md#authentication: a user token reaches only its own user).
 * @throws ApiError `forbidden` when the caller is not a user — the auth middleware already
 *         refuses API keys there, so this guards a route mounted on the wrong path.
 */
export function userOf(c: Context<AppEnv>): string {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError("forbidden", "This route takes a user token.");
  return principal.userId;
}

/**
 * When the calling user's token expires, in seconds since the epoch (its `exp`): the WebSocket
 * route hands it to the inbox, which closes the socket with 4001 then (docs/protocol.md).
 * @throws ApiError `forbidden` when the caller is not a user, as {@link userOf}.
 */
export function tokenExpOf(c: Context<AppEnv>): number {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError("forbidden", "This route takes a user token.");
  return principal.tokenExp;
}

/**
 * The connect ticket the calling user came with (src/inbox/tickets.ts), or undefined when they
 * came with a token. The WebSocket route hands it to the inbox, which redeems it once.
 * @throws ApiError `forbidden` when the caller is not a user, as {@link userOf}.
 */
export function connectTicketOf(c: Context<AppEnv>): { id: string; expiresAt: number } | undefined {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError("forbidden", "This route takes a user token.");
  return principal.ticket;
}
