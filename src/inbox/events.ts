/**
 * The user's event sequence as stored by UserInbox, and how a socket reads it.
 *
 * Every event takes the next `seq` of the user (docs/protocol.md#sequence-numbers): a new notification, and every later
 * edit or recall of one (`change_seq`, moved forward on each change). A device that resumes with
 * `since` therefore learns of changes to items it already holds, and a device that never held an
 * item gets it in its current version, never an older one.
 */
import type { UnreadUnseen } from "./count-cache";

/**
 * SQL condition for live items at `?1` (now, ms): not recalled, and not past `purge_at` (its
 * expiry, or its retention: src/inbox/limits.ts) even if the alarm has not removed it yet.
 */
export const LIVE = `recalled_at IS NULL AND purge_at > ?1`;

/**
 * SQL condition for items in the feed at `?1` (now, ms), with {@link LIVE}: not archived, and not
 * snoozed past now (a snooze whose time came counts as ended even before the alarm clears it).
 * The default list and every count see only these (docs/api.md#feed, as Knock: archived items leave
 * the default feed and the counts).
 */
export const IN_FEED = `archived_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= ?1)`;

/** SQL: an `inbox` time column (ms since the epoch) as ISO-8601 UTC with ms, as `Date#toISOString` writes it; NULL stays NULL. */
const iso = (column: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;

/**
 * SQL: an `inbox` row as the JSON text of the notification a device sees (`InboxNotification`
 * in frames.ts). SQLite writes it, so a frame costs no per-row object, parse or stringify in
 * JavaScript: a replay sends tens of thousands of them from the object's one thread.
 */
export const NOTIFICATION_JSON = `json_object('id', id, 'title', title, 'body', body, 'data', json(data), 'priority', priority,
  'createdAt', ${iso("created_at")}, 'expiresAt', ${iso("expires_at")}, 'readAt', ${iso("read_at")},
  'seenAt', ${iso("seen_at")}, 'archivedAt', ${iso("archived_at")}, 'snoozedUntil', ${iso("snoozed_until")},
  'category', category, 'tags', json(tags), 'actions', json(actions))`;

/** SQL: the feed state of an `inbox` row as JSON text (`FeedState` in frames.ts). */
export const FEED_STATE_JSON = `json_object('seenAt', ${iso("seen_at")}, 'readAt', ${iso("read_at")}, 'archivedAt', ${iso("archived_at")}, 'snoozedUntil', ${iso("snoozed_until")})`;

/** SQL: an `inbox` time column as ISO-8601 UTC, for the REST view (see {@link NOTIFICATION_JSON}). */
export const ISO_DELIVERED_AT = iso("delivered_at");

/** SQL: the frame text of a notification event, the item in its current version. */
const NOTIFICATION_FRAME = `'{"type":"notification","seq":' || seq || ',"notification":' || ${NOTIFICATION_JSON} || '}'`;

/**
 * SQL: the frame text of a change event: `updated` with the new version, or `recalled` with the
 * exact unread count now (`?4`).
 */
const CHANGE_FRAME = `CASE WHEN recalled_at IS NULL
  THEN '{"type":"updated","seq":' || change_seq || ',"notification":' || ${NOTIFICATION_JSON} || '}'
  ELSE json_object('type', 'recalled', 'seq', change_seq, 'id', id, 'unreadCount', ?4) END`;

/** SQL: the frame text of a state event: the item's whole feed state after its latest change, and the feed's counts now (`?4`, `?5`). */
const STATE_FRAME = `json_object('type', 'state', 'seq', state_seq, 'id', id, 'seenAt', ${iso("seen_at")}, 'readAt', ${iso("read_at")},
  'archivedAt', ${iso("archived_at")}, 'snoozedUntil', ${iso("snoozed_until")}, 'unreadCount', ?4, 'unseenCount', ?5)`;

/**
 * The next `limit` events after `cursor`, in seq order, each as `[seq, frame text]`:
 * - `notification` for each live item with seq > cursor, in its current version;
 * - `updated`/`recalled` for items at or below the cursor (the device was sent them) whose last
 *   change came after it. Expired items are never sent; a recall always is;
 * - `state` for live items at or below the cursor whose last feed-state change came after it.
 * Each part is bounded by an index (the primary key, `inbox_changes`, `inbox_states`) and by
 * `limit`, so a socket's read costs O(limit) however long the inbox is. `changeSeq` and `stateSeq`
 * are the newest seqs an edit or recall and a state change took (counters of
 * src/inbox/schema.ts): a part whose newest seq is not past the cursor is skipped. `counts` gives
 * the feed's counts now (src/inbox/count-cache.ts), asked for only when a part that shows them is read.
 * @param now ms since the epoch.
 */
export function eventsAfter(
  sql: SqlStorage,
  cursor: number,
  limit: number,
  now: number,
  changeSeq: number,
  stateSeq: number,
  counts: () => UnreadUnseen,
): [seq: number, frame: string][] {
  const parts = [`SELECT seq AS event_seq, ${NOTIFICATION_FRAME} AS frame FROM inbox WHERE seq > ?2 AND ${LIVE} ORDER BY seq LIMIT ?3`];
  if (changeSeq > cursor) {
    parts.push(`SELECT change_seq AS event_seq, ${CHANGE_FRAME} AS frame
                FROM inbox WHERE change_seq > ?2 AND seq <= ?2 AND (recalled_at IS NOT NULL OR purge_at > ?1)
                ORDER BY change_seq LIMIT ?3`);
  }
  if (stateSeq > cursor) {
    parts.push(`SELECT state_seq AS event_seq, ${STATE_FRAME} AS frame
                FROM inbox WHERE state_seq > ?2 AND seq <= ?2 AND ${LIVE} ORDER BY state_seq LIMIT ?3`);
  }
  const query = parts.length === 1 ? parts[0]! : `${parts.map((p) => `SELECT * FROM (${p})`).join(" UNION ALL ")} ORDER BY event_seq LIMIT ?3`;
  // workerd wants exactly as many bindings as the statement's highest `?N`: ?4 with a change part, ?5 with a state part.
  const shown = changeSeq > cursor || stateSeq > cursor ? counts() : null;
  const bindings = shown === null ? [now, cursor, limit] : stateSeq > cursor ? [now, cursor, limit, shown.unread, shown.unseen] : [now, cursor, limit, shown.unread];
  return [...sql.exec(query, ...bindings).raw<[number, string]>()];
}
