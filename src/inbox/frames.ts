/**
 * The WebSocket protocol between a device and its user's UserInbox (docs/protocol.md), shared by the
 * Durable Object and src/client. Server frames are plain types (we produce them); client frames
 * are zod schemas because they cross a trust boundary.
 */
import { z } from "zod";

/** A button on a feed item (docs/api.md#feed): `url` is https or a path relative to the app. */
export interface FeedAction {
  label: string;
  url: string;
}

/**
 * An item's feed state (docs/protocol.md#feed-state), as the `state` frame and the notification
 * view carry it. Times are ISO-8601 UTC strings; null when not set.
 */
export interface FeedState {
  /** A device displayed it (`seen` frame or REST). */
  seenAt: string | null;
  readAt: string | null;
  /** Archived items leave the default feed and the counts. */
  archivedAt: string | null;
  /** Hidden from the feed and the counts until then; the inbox clears it at that time, under a new seq. */
  snoozedUntil: string | null;
}

/** A notification as a device sees it. Times are ISO-8601 UTC strings. */
export interface InboxNotification extends FeedState {
  id: string;
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: "high" | "normal" | "low";
  createdAt: string;
  expiresAt: string | null;
  /** The preference category (docs/api.md#preferences), `general` when none was given. */
  category: string;
  /** At most 10, each matching {@link TAG_PATTERN}. */
  tags: string[];
  /** At most 3. */
  actions: FeedAction[];
}

/**
 * Frames the inbox sends. `seq` is the event's place in the user's sequence: a notification's
 * own seq, or — for `updated` and `recalled` — the seq the change took, so changes are replayed
 * with `since`, acked and deduped like notifications. `lastSeq` in `hello` is the newest event's.
 * `unreadCount` is always the exact count of live unread items at the time of the frame.
 * `state` is a change of an item's feed state (seen, read, archived, snoozed — or a snooze that
 * ended), with its own seq, carrying the item's whole state after the change and the exact
 * `unreadCount` and `unseenCount` of the feed (docs/protocol.md#feed-state).
 */
export type ServerFrame =
  | { type: "hello"; userId: string; connectionId: string; lastSeq: number; unreadCount: number }
  | { type: "notification"; seq: number; notification: InboxNotification }
  | { type: "updated"; seq: number; notification: InboxNotification }
  | { type: "recalled"; seq: number; id: string; unreadCount: number }
  | { type: "read"; ids: string[]; unreadCount: number }
  | ({ type: "state"; seq: number; id: string; unreadCount: number; unseenCount: number } & FeedState)
  | { type: "error"; code: string; detail: string }
  | { type: "pong" };

/** Most ids one `read` or `seen` frame may carry. */
export const MAX_READ_IDS = 1000;

/** A feed tag: 1–32 of a-z, 0-9 and `_ . : -` (docs/api.md#feed). */
export const TAG_PATTERN = /^[a-z0-9_.:-]{1,32}$/;

/**
 * Most bytes a client frame may have; a longer one is refused with an `error` frame
 * `frame_too_large` before it is parsed (issue 14), and the socket stays up. The longest valid
 * frame is a `read` of {@link MAX_READ_IDS} ids of 64 ASCII characters, 67,023 bytes (our ids are
 * ASCII), so 68 KiB refuses nothing valid while keeping `JSON.parse` off megabyte payloads (the
 * platform lets a WebSocket message reach 32 MiB).
 */
export const MAX_CLIENT_FRAME_BYTES = 68 * 1024;

/**
 * Whether `message` is longer than {@link MAX_CLIENT_FRAME_BYTES} in UTF-8 bytes. Decides from
 * the string's length when it can (UTF-8 takes at least one byte and at most three per UTF-16
 * unit), so a huge frame is refused without being encoded.
 */
export function frameTooLarge(message: string | ArrayBuffer): boolean {
  if (typeof message !== "string") return message.byteLength > MAX_CLIENT_FRAME_BYTES;
  if (message.length > MAX_CLIENT_FRAME_BYTES) return true;
  if (message.length * 3 <= MAX_CLIENT_FRAME_BYTES) return false;
  return new TextEncoder().encode(message).byteLength > MAX_CLIENT_FRAME_BYTES;
}

export const ClientFrame = z.discriminatedUnion("type", [
  /** Cumulative: the device holds every frame with seq ≤ `seq`. */
  z.object({ type: z.literal("ack"), seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
  z.object({ type: z.literal("read"), ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_READ_IDS) }).strict(),
  /** The device displayed these items (docs/protocol.md#feed-state). */
  z.object({ type: z.literal("seen"), ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_READ_IDS) }).strict(),
  z.object({ type: z.literal("ping") }).strict(),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/**
 * The exact ping text the runtime answers with {@link PONG_FRAME} without waking a hibernated
 * object (`setWebSocketAutoResponse` matches whole messages byte for byte).
 */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

/** WebSocket close codes the inbox uses (4000–4999 are application codes, RFC 6455 §7.4.2). */
export const CLOSE_CODES = {
  /** The user token expired while connected; reconnect with a fresh token. */
  tokenExpired: 4001,
  /** The device sent frames faster than allowed (rate limit). */
  rateLimited: 4008,
} as const;
