/**
 * The user's event sequence as stored by UserInbox, and how a socket reads it.
 *
 * Every event takes the next `seq` of the user (SPEC §6): a new notification, and every later
 * edit or recall of one (`change_seq`, moved forward on each change). A device that resumes with
 * `since` therefore learns of changes to items it already holds, and a device that never held an
 * item gets it in its current version, never an older one.
 */
import type { InboxNotification, ServerFrame } from "./frames";

/** A stored inbox row. Times in ms since the epoch. */
export interface Row {
  seq: number;
  id: string;
  title: string | null;
  body: string | null;
  /** JSON text. */
  data: string | null;
  priority: "high" | "normal" | "low";
  created_at: number;
  expires_at: number | null;
  read_at: number | null;
  delivered_at: number | null;
  recalled_at: number | null;
  version: number;
  change_seq: number | null;
  purge_at: number;
  [key: string]: SqlStorageValue;
}

/** A row as one event of the sequence. */
interface EventRow extends Row {
  event_seq: number;
  kind: "notification" | "updated" | "recalled";
}

/**
 * SQL condition for live items at `?1` (now, ms): not recalled, and not past `purge_at` (its
 * expiry, or the 30-day retention) even if the alarm has not removed it yet.
 */
export const LIVE = `recalled_at IS NULL AND purge_at > ?1`;

/**
 * The next `limit` events after `cursor`, in seq order:
 * - `notification` for each live item with seq > cursor, in its current version;
 * - `updated`/`recalled` for items at or below the cursor (the device was sent them) whose last
 *   change came after it. Expired items are never sent; a recall always is.
 * Each half is bounded by an index (the primary key, `inbox_changes`) and by `limit`, so a
 * socket's read costs O(limit) however long the inbox is.
 */
export function eventsAfter(sql: SqlStorage, cursor: number, limit: number, now: number): EventRow[] {
  return sql
    .exec<EventRow>(
      `SELECT * FROM (SELECT seq AS event_seq, 'notification' AS kind, * FROM inbox WHERE seq > ?2 AND ${LIVE} ORDER BY seq LIMIT ?3)
       UNION ALL
       SELECT * FROM (SELECT change_seq AS event_seq, CASE WHEN recalled_at IS NULL THEN 'updated' ELSE 'recalled' END AS kind, *
                      FROM inbox WHERE change_seq > ?2 AND seq <= ?2 AND (recalled_at IS NOT NULL OR purge_at > ?1)
                      ORDER BY change_seq LIMIT ?3)
       ORDER BY event_seq LIMIT ?3`,
      now,
      cursor,
      limit,
    )
    .toArray();
}

/** ms since the epoch → ISO-8601 UTC, null stays null. */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A row as a device sees it. */
export function toNotification(row: Row): InboxNotification {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown> | null),
    priority: row.priority,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    readAt: iso(row.read_at),
  };
}

/** The frame for one event; `unreadCount` is asked only for a recall (its frame carries the exact count). */
export function toFrame(row: EventRow, unreadCount: () => number): ServerFrame {
  switch (row.kind) {
    case "notification":
      return { type: "notification", seq: row.event_seq, notification: toNotification(row) };
    case "updated":
      return { type: "updated", seq: row.event_seq, notification: toNotification(row) };
    case "recalled":
      return { type: "recalled", seq: row.event_seq, id: row.id, unreadCount: unreadCount() };
  }
}
