/**
 * The feed's unread and unseen counts (docs/api.md#feed-counts), kept in memory between changes
 * so a frame that carries them costs O(1) instead of a count over the whole inbox (up to the
 * 10,000-item cap: two scans per notification before, docs/cost.md#inbox-counts).
 *
 * The counts are derived from the rows (one scan) when first asked for, and again whenever they
 * may have changed without a write: when an item's `purge_at` passes (it leaves the live items)
 * or a snooze ends (the item comes back into the feed) — `validUntil`, the earliest such time.
 * Between those, the writes that change what is counted adjust them: an item stored, read, seen
 * or evicted. Every other write that can change them (unread, archive, unarchive, snooze, a
 * recall, the retention purge) forgets them, and the next reader derives them again. The object
 * is single-threaded and every write to `inbox` goes through src/inbox/items.ts and
 * src/inbox/feed.ts, which report here, so the counts equal a fresh count at every read
 * (test/integration/inbox-count-cache.test.ts checks them against one after every step of
 * random sequences).
 */
import { IN_FEED, LIVE } from "./events";

/** The columns of an `inbox` row that decide whether, and how, it is counted. */
export type CountedState = {
  recalled_at: number | null;
  purge_at: number;
  archived_at: number | null;
  snoozed_until: number | null;
  read_at: number | null;
  seen_at: number | null;
};

/** SQL: the {@link CountedState} columns, for a statement's `RETURNING`. */
export const COUNTED_COLUMNS = `recalled_at, purge_at, archived_at, snoozed_until, read_at, seen_at`;

/** Unread and unseen items of the feed. */
export interface UnreadUnseen {
  unread: number;
  unseen: number;
}

/** Whether `row` is in the feed's counts at `now` (ms): live ({@link LIVE}) and in the feed ({@link IN_FEED}). */
function inFeed(row: CountedState, now: number): boolean {
  return row.recalled_at === null && row.purge_at > now && row.archived_at === null && (row.snoozed_until === null || row.snoozed_until <= now);
}

/** The earliest time after `now` (ms) at which `row` may enter or leave the counts with no write: its removal or its snooze's end. */
function nextChange(row: CountedState, now: number): number {
  const snoozeEnd = row.snoozed_until !== null && row.snoozed_until > now ? row.snoozed_until : Number.POSITIVE_INFINITY;
  return Math.min(row.purge_at > now ? row.purge_at : Number.POSITIVE_INFINITY, snoozeEnd);
}

/** See the module comment. One per UserInbox instance. */
export class FeedCountCache {
  #cached: (UnreadUnseen & { validUntil: number }) | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** The exact counts at `now` (ms): from memory, or one scan of the inbox when not known or possibly stale. */
  get(now: number): UnreadUnseen {
    let cached = this.#cached;
    if (cached === null || now >= cached.validUntil) cached = this.#cached = this.derive(now);
    return { unread: cached.unread, unseen: cached.unseen };
  }

  /**
   * Records rows that changed, each as it stood `before` and stands `after` the write (null: not
   * there — a row stored or removed), at `now` (ms). No-op while the counts are not held.
   */
  changed(rows: Iterable<{ before: CountedState | null; after: CountedState | null }>, now: number): void {
    const cached = this.#cached;
    if (cached === null) return;
    if (now >= cached.validUntil) {
      this.#cached = null;
      return;
    }
    for (const { before, after } of rows) {
      if (before && inFeed(before, now)) {
        cached.unread -= before.read_at === null ? 1 : 0;
        cached.unseen -= before.seen_at === null ? 1 : 0;
      }
      if (after) {
        if (inFeed(after, now)) {
          cached.unread += after.read_at === null ? 1 : 0;
          cached.unseen += after.seen_at === null ? 1 : 0;
        }
        cached.validUntil = Math.min(cached.validUntil, nextChange(after, now));
      }
    }
  }

  /** Forgets the counts: the next {@link FeedCountCache.get} derives them from the rows. */
  forget(): void {
    this.#cached = null;
  }

  /**
   * One scan for the counts and the earliest removal among the counted items (only they can leave
   * the counts when their time comes: all live, so `purge_at` > `now`), and one index seek for
   * the earliest snooze end after `now` (an item coming back into the feed).
   */
  private derive(now: number): UnreadUnseen & { validUntil: number } {
    const row = this.sql
      .exec<{ unread: number | null; unseen: number | null; purge: number | null; wake: number | null }>(
        `SELECT SUM(read_at IS NULL) AS unread, SUM(seen_at IS NULL) AS unseen, MIN(purge_at) AS purge,
                (SELECT MIN(snoozed_until) FROM inbox WHERE snoozed_until > ?1) AS wake
         FROM inbox WHERE ${LIVE} AND ${IN_FEED}`,
        now,
      )
      .one();
    return { unread: row.unread ?? 0, unseen: row.unseen ?? 0, validUntil: Math.min(row.purge ?? Number.POSITIVE_INFINITY, row.wake ?? Number.POSITIVE_INFINITY) };
  }
}
