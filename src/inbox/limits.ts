/**
 * The UserInbox's retention and per-user caps (docs/data-model.md#retention, #per-user-caps), from vars with the
 * documented defaults:
 * - `INBOX_RETENTION_DAYS` (30): an item leaves the inbox this long after it arrived, read or not;
 * - `INBOX_READ_RETENTION_DAYS` (7): a read item leaves this long after it was read, if sooner;
 * - `INBOX_MAX_ITEMS` (10,000): past this many stored items, read ones are evicted, those read
 *   (or otherwise changed) longest ago first (expired ones leave with the alarm, recalled ones stay
 *   as tombstones until their retention); unread items never are, so an inbox of only unread items
 *   may grow past it;
 * - `INBOX_MAX_SOCKETS` (100): open WebSockets per user; one more is refused with 409 `conflict`.
 *   (The platform allows 32,768 hibernatable sockets per object; a user needs far fewer, and the
 *   cap keeps one user's runaway client from holding a whole object's fan-out.)
 * - `INBOX_MIRROR_COALESCE_MS` (250): how long the inbox gathers the reports of a burst (an item's
 *   `sent`, its device's ack, a page of reads) before sending them to D1 in one receipts message
 *   (src/inbox/mirror.ts); longer means fewer messages and a later D1 mirror.
 */

import { MIRROR_COALESCE_MS } from "./mirror";

const DAY_MS = 86_400_000;

export interface InboxLimits {
  /** ms an unread item is kept after it arrived. */
  retentionMs: number;
  /** ms a read item is kept after it was read (never longer than `retentionMs` after arrival). */
  readRetentionMs: number;
  /** Stored items past which old read/recalled/expired ones are evicted. */
  maxItems: number;
  /** Open sockets per user. */
  maxSockets: number;
  /** ms the mirror waits after the first report of a burst before it sends (src/inbox/mirror.ts). */
  mirrorCoalesceMs: number;
}

type InboxVars = Partial<Record<"INBOX_RETENTION_DAYS" | "INBOX_READ_RETENTION_DAYS" | "INBOX_MAX_ITEMS" | "INBOX_MAX_SOCKETS" | "INBOX_MIRROR_COALESCE_MS", string>>;

const positive = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Reads the limits from the environment (unset or invalid → the default). */
export function inboxLimits(env: object): InboxLimits {
  const vars = env as InboxVars;
  return {
    retentionMs: positive(vars.INBOX_RETENTION_DAYS, 30) * DAY_MS,
    readRetentionMs: positive(vars.INBOX_READ_RETENTION_DAYS, 7) * DAY_MS,
    maxItems: Math.floor(positive(vars.INBOX_MAX_ITEMS, 10_000)),
    maxSockets: Math.floor(positive(vars.INBOX_MAX_SOCKETS, 100)),
    mirrorCoalesceMs: positive(vars.INBOX_MIRROR_COALESCE_MS, MIRROR_COALESCE_MS),
  };
}
