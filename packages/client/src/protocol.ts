/**
 * Herald's in-app protocol as a device sees it (docs/protocol.md): the notification view, the
 * server frames, and the preference document (docs/api.md#preferences). Plain types with no
 * imports, so the published package is self-contained; test/unit/client-protocol.test.ts checks
 * at compile time that every frame the server's `src/inbox/frames.ts` declares fits these.
 */

/** An action button of a feed item (docs/api.md#feed): https or a relative URL. */
export interface NotificationAction {
  label: string;
  url: string;
}

/** An item's feed state (docs/protocol.md#feed-state). Times are ISO-8601 UTC strings; null when not set. */
export interface FeedState {
  /** A device displayed it (the `seen` frame or REST action). */
  seenAt: string | null;
  readAt: string | null;
  /** Archived items leave the default feed and the counts. */
  archivedAt: string | null;
  /** Hidden from the feed and the counts until then; it comes back under a new seq. */
  snoozedUntil: string | null;
}

/** A notification as a device sees it. Times are ISO-8601 UTC strings. */
export interface InboxNotification {
  id: string;
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: "high" | "normal" | "low";
  createdAt: string;
  expiresAt: string | null;
  readAt: string | null;
  updatedAt?: string | null;
  recalledAt?: string | null;
  /** Feed state (optional: a server before feed states does not send it). */
  seenAt?: string | null;
  archivedAt?: string | null;
  snoozedUntil?: string | null;
  /** At most 10. */
  tags?: string[];
  /** At most 3. */
  actions?: NotificationAction[];
  /** The preference category, `general` when none was given. */
  category?: string;
}

/**
 * Frames the inbox sends. `seq` is the event's place in the user's sequence; changes of items
 * (edits, recalls, feed state) take their own seq, so they are replayed with `since`, acked and
 * deduped like notifications. `unreadCount` is the exact count of live unread items at the time.
 */
export type ServerFrame =
  | { type: "hello"; userId: string; connectionId: string; lastSeq: number; unreadCount: number }
  | { type: "notification"; seq: number; notification: InboxNotification }
  | { type: "updated"; seq: number; notification: InboxNotification }
  | { type: "recalled"; seq: number; id: string; unreadCount: number }
  | { type: "read"; ids: string[]; unreadCount: number }
  /** An item's feed state changed (its whole state after the change), with the exact counts of the feed. */
  | ({ type: "state"; seq: number; id: string; unreadCount: number; unseenCount: number } & FeedState)
  | { type: "error"; code: string; detail: string }
  | { type: "pong" };

/** Frames a device sends (over the WebSocket; an SSE client sends their effect over REST). */
export type ClientFrame = { type: "ack"; seq: number } | { type: "read"; ids: string[] } | { type: "seen"; ids: string[] } | { type: "ping" };

export type PreferenceChannel = "in_app" | "email" | "sms" | "push";

/** Quiet hours: local `HH:MM` times (start after end crosses midnight), an IANA zone, the channels held. */
export interface QuietHoursSetting {
  start: string;
  end: string;
  timezone?: string;
  channels?: PreferenceChannel[];
}

/** The effective preference document: every channel switch present, the rest as set. */
export interface EffectivePreferences {
  channels: Record<PreferenceChannel, boolean>;
  categories: Record<string, { enabled?: boolean; channels?: Partial<Record<PreferenceChannel, boolean>> }>;
  quietHours: QuietHoursSetting | null;
  unsubscribed: Record<string, Partial<Record<PreferenceChannel, boolean>>>;
}

/** The user's effective preferences with the `version` to send as `ifMatch`. */
export type Preferences = EffectivePreferences & { version: number; updatedAt: string | null };

/** An RFC 7396 merge patch of the preference document: any member may be null to remove it. */
export interface PreferencesMergePatch {
  channels?: Partial<Record<PreferenceChannel, boolean | null>> | null;
  categories?: Record<string, { enabled?: boolean | null; channels?: Partial<Record<PreferenceChannel, boolean | null>> | null } | null> | null;
  quietHours?: QuietHoursSetting | null;
  unsubscribed?: Record<string, Partial<Record<PreferenceChannel, boolean | null>> | null> | null;
}

/** Exact counts over the feed: live items, not archived, not snoozed. */
export interface Counts {
  unread: number;
  unseen: number;
  total: number;
}

/** Exact counts, `GET /v1/me/notifications/counts` (docs/api.md#feed), and the same per tag. */
export interface FeedCounts extends Counts {
  byTag: Record<string, Counts>;
}

/** What one feed action does to an item; `snooze` also takes `until`. */
export type FeedAction = "seen" | "read" | "unread" | "archive" | "unarchive" | "snooze";
