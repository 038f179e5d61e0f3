/**
 * The feed side of the UserInbox (docs/protocol.md#feed-state, docs/api.md#feed): changes of an
 * item's seen, read, archived and snoozed state, the feed's exact counts, and its filtered list.
 *
 * Every change of state is an event in the user's sequence: each changed item takes the next seq
 * as its `state_seq` (set-based, one statement for all items of a change, in item seq order), so
 * devices are pushed a `state` frame, and a device resuming with `since` is replayed the latest
 * state of each item it holds — exactly as edits and recalls use `change_seq` (src/inbox/events.ts).
 * Each function runs inside the caller's storage transaction (no await).
 */
import { COUNTED_COLUMNS, type CountedState, type FeedCountCache } from "./count-cache";
import { IN_FEED, LIVE } from "./events";
import { advanceSeq, type Meta } from "./schema";

/** A change of feed state one request asks for; `snooze` carries `until` (ms). `unsnooze` is the alarm's, when a snooze ends. */
export type FeedChange =
  | { action: "seen" | "read" | "unread" | "archive" | "unarchive" }
  | { action: "snooze"; until: number }
  | { action: "unsnooze" };
export type FeedActionName = FeedChange["action"];

/** Which items a change applies to: by id, every item up to a seq (no race with later arrivals), or the snoozes due at now. */
export type FeedTarget = { ids: string[] } | { upToSeq: number } | { snoozeEnded: true };

/** Retention in force (src/inbox/limits.ts), ms: after arrival, and after read or archive. */
export interface FeedRetention {
  retentionMs: number;
  readRetentionMs: number;
}

/**
 * SQL: an item's removal time when it is neither read nor archived: its expiry or the retention
 * after arrival (?5), whichever is first — what storeItems gave it.
 */
const BASE_PURGE = `MIN(COALESCE(expires_at, COALESCE(arrived_at, created_at) + ?5), COALESCE(arrived_at, created_at) + ?5)`;

/**
 * Per action: the columns it sets and the guard that makes it a change (an item already in that
 * state takes no seq). Read and archive shorten the retention to `?4` after now (docs/data-model.md#userinbox-storage);
 * unread and unarchive give back the longer one, unless the other of the two still holds.
 */
const CHANGES: Record<FeedActionName, { set: string; when: string }> = {
  seen: { set: `seen_at = ?1`, when: `seen_at IS NULL` },
  read: { set: `read_at = ?1, purge_at = MIN(purge_at, ?1 + ?4)`, when: `read_at IS NULL` },
  unread: { set: `read_at = NULL, purge_at = MIN(${BASE_PURGE}, COALESCE(archived_at + ?4, ${BASE_PURGE}))`, when: `read_at IS NOT NULL` },
  archive: { set: `archived_at = ?1, purge_at = MIN(purge_at, ?1 + ?4)`, when: `archived_at IS NULL` },
  unarchive: { set: `archived_at = NULL, purge_at = MIN(${BASE_PURGE}, COALESCE(read_at + ?4, ${BASE_PURGE}))`, when: `archived_at IS NOT NULL` },
  snooze: { set: `snoozed_until = ?6`, when: `snoozed_until IS NOT ?6` },
  unsnooze: { set: `snoozed_until = NULL`, when: `snoozed_until <= ?1` },
};

const TARGETS = {
  ids: `id IN (SELECT value FROM json_each(?2))`,
  upToSeq: `seq <= ?2`,
  snoozeEnded: `snoozed_until <= ?1 AND ?2 IS NULL`,
};

/** A changed item: its id and the seq its state event took. */
export interface StateChanged {
  id: string;
  stateSeq: number;
}

/**
 * Applies `change` to the live items of `target` that are not in that state already; each takes
 * the next seq for its `state` event (`seq`, `stateSeq`: src/inbox/schema.ts). Idempotent: a repeat changes
 * nothing and takes no seq. A read or a seen moves `counts` by the items it changed; the other
 * changes, rarer, make it count again.
 * @param now ms since the epoch.
 * @returns the changed items, in seq order.
 */
export function changeState(sql: SqlStorage, meta: Meta, counts: FeedCountCache, change: FeedChange, target: FeedTarget, now: number, retention: FeedRetention): StateChanged[] {
  const { set, when } = CHANGES[change.action];
  const [where, value] = "ids" in target ? [TARGETS.ids, JSON.stringify(target.ids)] : "upToSeq" in target ? [TARGETS.upToSeq, target.upToSeq] : [TARGETS.snoozeEnded, null];
  // UPDATE … FROM joins each numbered row to its item by primary key: a correlated subquery over
  // the numbered rows would scan them once per item (10,000 items: seconds instead of milliseconds).
  const statement = `UPDATE inbox SET ${set}, updated_at = ?1, state_seq = t.ss
     FROM (SELECT seq, ?3 + ROW_NUMBER() OVER (ORDER BY seq) AS ss FROM inbox WHERE ${where} AND ${when} AND ${LIVE}) AS t
     WHERE inbox.seq = t.seq RETURNING id, state_seq, ${COUNTED_COLUMNS}`;
  const args = [now, value, meta.number("seq"), retention.readRetentionMs, retention.retentionMs, change.action === "snooze" ? change.until : null];
  // workerd wants exactly as many bindings as the statement's highest `?N`.
  const bindings = args.slice(0, Math.max(...[...statement.matchAll(/\?(\d)/g)].map((m) => Number(m[1]))));
  const rows = sql.exec<{ id: string; state_seq: number } & CountedState>(statement, ...bindings).toArray();
  const changed = rows.map((r) => ({ id: r.id, stateSeq: r.state_seq })).sort((a, b) => a.stateSeq - b.stateSeq);
  if (change.action === "read") counts.changed(rows.map((after) => ({ before: { ...after, read_at: null }, after })), now);
  else if (change.action === "seen") counts.changed(rows.map((after) => ({ before: { ...after, seen_at: null }, after })), now);
  else if (rows.length > 0) counts.forget();
  if (changed.length > 0) {
    const newest = changed[changed.length - 1]!.stateSeq;
    meta.remember("stateSeq", newest);
    advanceSeq(meta, newest);
  }
  return changed;
}

/** When the next snooze ends (ms), or null. One lookup along `inbox_snoozed`. */
export function nextSnoozeEnd(sql: SqlStorage): number | null {
  return sql.exec<{ t: number | null }>(`SELECT MIN(snoozed_until) AS t FROM inbox WHERE snoozed_until IS NOT NULL`).one().t;
}

/** The feed's exact counts at `now` (docs/api.md#feed-counts), each of a tag too. */
export interface FeedCounts {
  unread: number;
  unseen: number;
  total: number;
  byTag: Record<string, { unread: number; unseen: number; total: number }>;
}

/**
 * Counts the items in the feed (live, not archived, not snoozed) at `now` (ms), with totals and
 * per tag: two statements over the inbox, which the per-user cap bounds to `INBOX_MAX_ITEMS` rows
 * (10,000). The unread and unseen counts every frame carries come from src/inbox/count-cache.ts
 * instead, kept between changes and equal to these (test/integration/inbox-count-cache.test.ts).
 */
export function feedCounts(sql: SqlStorage, now: number): FeedCounts {
  const totals = sql
    .exec<{ total: number; unread: number | null; unseen: number | null }>(
      `SELECT COUNT(*) AS total, SUM(read_at IS NULL) AS unread, SUM(seen_at IS NULL) AS unseen FROM inbox WHERE ${LIVE} AND ${IN_FEED}`,
      now,
    )
    .one();
  const byTag: FeedCounts["byTag"] = {};
  for (const row of sql.exec<{ tag: string; total: number; unread: number; unseen: number }>(
    `SELECT t.value AS tag, COUNT(*) AS total, SUM(read_at IS NULL) AS unread, SUM(seen_at IS NULL) AS unseen
     FROM inbox, json_each(inbox.tags) AS t WHERE ${LIVE} AND ${IN_FEED} AND inbox.tags <> '[]' GROUP BY t.value ORDER BY t.value`,
    now,
  )) {
    byTag[row.tag] = { unread: row.unread, unseen: row.unseen, total: row.total };
  }
  return { unread: totals.unread ?? 0, unseen: totals.unseen ?? 0, total: totals.total, byTag };
}

/** List filters (docs/api.md#feed): archived items are left out unless asked for; snoozed ones until their time. */
export interface FeedFilter {
  unread?: boolean;
  archived?: "exclude" | "include" | "only";
  tag?: string;
  category?: string;
}

/**
 * SQL condition (after `LIVE`, with `?1` now, `?4` the tag and `?5` the category, both nullable)
 * selecting the items a list with `filter` shows.
 */
export function feedFilterSql(filter: FeedFilter): string {
  const archived = { exclude: `AND archived_at IS NULL`, include: ``, only: `AND archived_at IS NOT NULL` }[filter.archived ?? "exclude"];
  return `AND (snoozed_until IS NULL OR snoozed_until <= ?1) ${archived} ${filter.unread ? "AND read_at IS NULL" : ""}
    AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(inbox.tags) WHERE value = ?4)) AND (?5 IS NULL OR category = ?5)`;
}
