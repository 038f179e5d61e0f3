/**
 * Writes to the UserInbox's items, set-based (one statement per chunk of items, the chunk as one
 * JSON parameter): storing new items, recalling and editing them, and removing them when their
 * time is up. Each function runs inside the caller's storage transaction (no await), so a change
 * and its new seq commit together. The socket side (who is sent what) is in user-inbox.ts.
 */
import { chunkByBytes } from "../lib/queue";
import { COUNTED_COLUMNS, type CountedState, type FeedCountCache } from "./count-cache";
import { LIVE } from "./events";
import { advanceSeq, countRemoved, OWN_PURGE_TIME, type Meta } from "./schema";
import type { InboxEdit, InboxItemInput } from "./user-inbox";

/** JSON per insert statement: well under the 2 MB a Durable Object SQLite value may hold. */
const CHUNK_BYTES = 512 * 1024;

/** An item as stored: its seq, and when it is due for removal (ms). */
export interface StoredItem {
  id: string;
  seq: number;
  purgeAt: number;
}

/**
 * Stores items in the given order, each new id taking the next seq (after `seq`, the highest seq
 * assigned so far, which never goes back even when items are purged: src/inbox/schema.ts). Known
 * ids keep their seq and content and spend no seq; a recalled id is refused; an edit that came
 * before its item replaces the item's content when newer. Items already expired at `now` (ms) are
 * dropped. `items` counts the rows stored (the cap's counter: see {@link evictOverCap}), and
 * `counts` the new unread and unseen items.
 * @param retentionMs how long an item stays after it arrives, unless it expires sooner.
 * @returns the items stored now.
 */
export function storeItems(sql: SqlStorage, meta: Meta, counts: FeedCountCache, items: InboxItemInput[], now: number, retentionMs: number): StoredItem[] {
  const unique = [...new Map(items.map((item) => [item.id, item])).values()].filter((i) => i.expiresAt === null || i.expiresAt > now);
  const stored: StoredItem[] = [];
  let newest = meta.number("seq");
  for (const chunk of chunkByBytes(unique, CHUNK_BYTES)) {
    for (const [id, seq, purgeAt] of sql
      .exec(
        `INSERT INTO inbox (seq, id, title, body, data, priority, created_at, expires_at, version, purge_at, updated_at, arrived_at, category, tags, actions)
         SELECT ?2 + ROW_NUMBER() OVER (ORDER BY j.key), j.value->>'id',
                CASE WHEN p.version > COALESCE(j.value->>'version', 0) THEN p.title ELSE j.value->>'title' END,
                CASE WHEN p.version > COALESCE(j.value->>'version', 0) THEN p.body ELSE j.value->>'body' END,
                CASE WHEN p.version > COALESCE(j.value->>'version', 0) THEN p.data ELSE j.value->'data' END,
                j.value->>'priority', j.value->>'createdAt', j.value->>'expiresAt',
                MAX(COALESCE(p.version, 0), COALESCE(j.value->>'version', 0)),
                MIN(COALESCE(j.value->>'expiresAt', ?3), ?3), ?4, ?4,
                COALESCE(j.value->>'category', 'general'), COALESCE(j.value->'tags', '[]'), COALESCE(j.value->'actions', '[]')
         FROM json_each(?1) AS j LEFT JOIN pending_changes AS p ON p.id = j.value->>'id'
         WHERE j.value->>'id' NOT IN (SELECT id FROM inbox) AND p.recalled_at IS NULL
         ON CONFLICT (id) DO NOTHING
         RETURNING id, seq, purge_at`,
        JSON.stringify(chunk),
        newest,
        now + retentionMs,
        now,
      )
      .raw<[string, number, number]>()) {
      stored.push({ id, seq, purgeAt });
      newest = Math.max(newest, seq);
    }
  }
  if (stored.length > 0) {
    meta.remember("items", meta.number("items") + stored.length);
    advanceSeq(meta, newest);
    // A new item is live, unread, unseen, not archived and not snoozed (recalled ids are refused above).
    const fresh = (purgeAt: number): CountedState => ({ recalled_at: null, purge_at: purgeAt, archived_at: null, snoozed_until: null, read_at: null, seen_at: null });
    counts.changed(stored.map((item) => ({ before: null, after: fresh(item.purgeAt) })), now);
  }
  return stored;
}

/**
 * Recalls `ids`: each live item's content is erased and it takes a new seq (its `recalled`
 * event); an id not held yet becomes a tombstone in `pending_changes`, so a late delivery of it
 * is refused. Idempotent. A recall forgets `counts` (it is rare: the next reader counts again).
 * @returns the ids that were live and are recalled now.
 */
export function recallItems(sql: SqlStorage, meta: Meta, counts: FeedCountCache, ids: string[], now: number, retentionMs: number): string[] {
  const json = JSON.stringify([...new Set(ids)]);
  const recalled = sql
    .exec<{ id: string; change_seq: number }>(
      `WITH t AS (SELECT seq, ?2 + ROW_NUMBER() OVER (ORDER BY seq) AS cs FROM inbox
                  WHERE id IN (SELECT value FROM json_each(?1)) AND recalled_at IS NULL)
       UPDATE inbox SET recalled_at = ?3, updated_at = ?3, title = NULL, body = NULL, data = NULL,
              change_seq = (SELECT cs FROM t WHERE t.seq = inbox.seq)
       WHERE seq IN (SELECT seq FROM t) RETURNING id, change_seq`,
      json,
      meta.number("seq"),
      now,
    )
    .toArray();
  if (recalled.length > 0) {
    changed(meta, Math.max(...recalled.map((r) => r.change_seq)));
    counts.forget();
  }
  sql.exec(
    `INSERT INTO pending_changes (id, version, recalled_at, purge_at)
     SELECT value, 0, ?2, ?3 FROM json_each(?1) WHERE value NOT IN (SELECT id FROM inbox)
     ON CONFLICT (id) DO UPDATE SET recalled_at = COALESCE(recalled_at, excluded.recalled_at), title = NULL, body = NULL, data = NULL`,
    json,
    now,
    now + retentionMs,
  );
  return recalled.map((r) => r.id);
}

/**
 * Applies `edit` to item `id` when it is newer (by version) than what is held: a live item gets
 * the new content and a new seq (its `updated` event); an id not held yet keeps the newest edit
 * in `pending_changes` for its arrival. Expired and recalled items are left alone.
 * @returns whether a live item changed.
 */
export function editItem(sql: SqlStorage, meta: Meta, id: string, edit: InboxEdit, now: number, retentionMs: number): boolean {
  const data = edit.data === null ? null : JSON.stringify(edit.data);
  const changeSeq = meta.number("seq") + 1;
  const updated =
    sql
      .exec(
        `UPDATE inbox SET title = ?3, body = ?4, data = ?5, version = ?6, change_seq = ?7, updated_at = ?1
         WHERE id = ?2 AND version < ?6 AND ${LIVE} RETURNING seq`,
        now,
        id,
        edit.title,
        edit.body,
        data,
        edit.version,
        changeSeq,
      )
      .toArray().length > 0;
  if (updated) {
    changed(meta, changeSeq);
    return true;
  }
  sql.exec(
    `INSERT INTO pending_changes (id, version, title, body, data, purge_at)
     SELECT ?1, ?5, ?2, ?3, ?4, ?6 WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE id = ?1)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title, body = excluded.body, data = excluded.data
     WHERE excluded.version > pending_changes.version AND pending_changes.recalled_at IS NULL`,
    id,
    edit.title,
    edit.body,
    data,
    edit.version,
    now + retentionMs,
  );
  return false;
}

/** Records that a change event took `changeSeq`, the newest seq (see `changeSeq` in src/inbox/schema.ts). */
function changed(meta: Meta, changeSeq: number): void {
  meta.remember("changeSeq", changeSeq);
  advanceSeq(meta, changeSeq);
}

/**
 * Removes items whose expiry or retention has come (30 days after arrival, 7 after reading by
 * default: src/inbox/limits.ts), and tombstones and early edits past theirs. Removed rows were
 * past their `purge_at`, so not counted (`counts` was due to count again at the first of them).
 * Two walks (step 9, src/inbox/schema.ts): the items with a removal time of their own along
 * `inbox_purge`; the others — unread, unarchived, without expiry, leaving at their arrival plus
 * the retention, so in `seq` order — from the lowest `seq` up to the first that is not due yet.
 * (An item whose retention a configuration change shortened waits behind an older one still
 * due later; it is out of every list and count meanwhile, as `LIVE` reads `purge_at`.)
 * @returns ids of removed items nobody received, read or recalled: they end `expired`.
 */
export function purgeDue(sql: SqlStorage, meta: Meta, counts: FeedCountCache, now: number): string[] {
  // The counters are derived from the rows: loaded before rows go (src/inbox/schema.ts).
  meta.load();
  const own = sql.exec<RemovedRow>(`DELETE FROM inbox WHERE purge_at <= ?1 AND ${OWN_PURGE_TIME} RETURNING id, delivered_at, recalled_at, read_at`, now).toArray();
  const arrived = sql
    .exec<RemovedRow>(
      `DELETE FROM inbox WHERE seq < COALESCE((SELECT seq FROM inbox WHERE NOT ${OWN_PURGE_TIME} AND purge_at > ?1 ORDER BY seq LIMIT 1), ?2)
         AND NOT ${OWN_PURGE_TIME} AND purge_at <= ?1
       RETURNING id, delivered_at, recalled_at, read_at`,
      now,
      Number.MAX_SAFE_INTEGER,
    )
    .toArray();
  sql.exec(`DELETE FROM pending_changes WHERE purge_at <= ?1`, now);
  const purged = [...own, ...arrived];
  if (purged.length > 0) counts.forget();
  return removed(meta, purged);
}

/**
 * Keeps the inbox within `maxItems` stored rows (the per-user cap, docs/data-model.md#per-user-caps):
 * evicts read items, those whose state changed longest ago (the read, or a later archive) first,
 * as many as the inbox is over. Unread items are never evicted (expired ones leave with the
 * alarm's purge), and neither are recalled ones (their row is what refuses a late delivery of the
 * id). An evicted item was taken by this inbox before it was read, so D1 marks it dispatched and
 * nothing delivers it again — as for the retention purge. Reads the `items` counter
 * (src/inbox/schema.ts), so it costs nothing under the cap; over it, one delete along the
 * `inbox_states` index, which holds only items with a state (no scan of the unread ones; no index
 * of its own, so a read writes one row less). An evicted item still unseen leaves `counts`.
 * @returns how many items were evicted.
 */
export function evictOverCap(sql: SqlStorage, meta: Meta, counts: FeedCountCache, maxItems: number, now: number): number {
  const over = meta.number("items") - maxItems;
  if (over <= 0) return 0;
  const evicted = sql
    .exec<EvictedRow>(
      `DELETE FROM inbox WHERE seq IN (
         SELECT seq FROM inbox WHERE state_seq IS NOT NULL AND read_at IS NOT NULL AND recalled_at IS NULL ORDER BY state_seq LIMIT ?1)
       RETURNING id, delivered_at, ${COUNTED_COLUMNS}`,
      over,
    )
    .toArray();
  counts.changed(evicted.map((row) => ({ before: row, after: null })), now);
  removed(meta, evicted);
  return evicted.length;
}

type RemovedRow = {
  id: string;
  delivered_at: number | null;
  recalled_at: number | null;
  read_at: number | null;
};
type EvictedRow = RemovedRow & CountedState;

/**
 * Counts removed rows out of `items` (src/inbox/schema.ts); the ones no device received, nobody
 * read (through REST) and nobody recalled end `expired`.
 */
function removed(meta: Meta, rows: RemovedRow[]): string[] {
  if (rows.length > 0) countRemoved(meta, rows.length);
  return rows.filter((r) => r.delivered_at === null && r.recalled_at === null && r.read_at === null).map((r) => r.id);
}

/**
 * When the next item, tombstone or early edit is due for removal (ms), or null: the earliest
 * along `inbox_purge` and `pending_changes_purge` (two index lookups), and the lowest-`seq` item
 * without a removal time of its own (a walk past the items with one before it; see {@link purgeDue}).
 */
export function nextPurgeAt(sql: SqlStorage): number | null {
  const times = sql
    .exec<{ t: number | null }>(
      `SELECT MIN(purge_at) AS t FROM inbox WHERE ${OWN_PURGE_TIME}
       UNION ALL SELECT (SELECT purge_at FROM inbox WHERE NOT ${OWN_PURGE_TIME} ORDER BY seq LIMIT 1)
       UNION ALL SELECT MIN(purge_at) FROM pending_changes`,
    )
    .toArray()
    .flatMap((r) => (r.t === null ? [] : [r.t]));
  return times.length > 0 ? Math.min(...times) : null;
}
