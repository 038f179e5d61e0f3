/**
 * The one module that owns the SQL of D1 `stats_history`: one sample per minute of the main
 * counters and gauges, written by the cron (src/stats/history.ts) and read by
 * `GET /v1/stats/history` (the console's charts) and `GET /metrics` (the sampled gauges),
 * docs/api.md#stats-and-metrics. Keyed by the minute, so a second cron run in the same minute
 * changes nothing and every read is a primary-key range.
 */
import type { statsHistory } from "./schema";

/** How long samples are kept, ms: a week of minutes (10,080 rows of well under 1 KB). */
export const STATS_HISTORY_KEEP_MS = 7 * 24 * 3600 * 1000;

/** One stored sample: its minute (ms since epoch) and the figures (src/stats/history.ts `StatsSample`), parsed. */
export interface StoredSample<T> {
  minute: number;
  sample: T;
}

type Row = typeof statsHistory.$inferSelect;

/** Stores `sample` for `minute` (ms, a multiple of 60,000) unless that minute already has one. @returns whether it was stored. */
export async function insertStatsSample(db: D1Database, minute: number, sample: unknown): Promise<boolean> {
  const result = await db.prepare(`INSERT INTO stats_history (minute, sample) VALUES (?1, ?2) ON CONFLICT (minute) DO NOTHING`).bind(minute, JSON.stringify(sample)).run();
  return result.meta.changes > 0;
}

/** The samples from minute `since` (ms, inclusive) on, oldest first, at most `limit`. */
export async function listStatsSamples<T>(db: D1Database, since: number, limit: number): Promise<StoredSample<T>[]> {
  const { results } = await db.prepare(`SELECT minute, sample FROM stats_history WHERE minute >= ?1 ORDER BY minute LIMIT ?2`).bind(since, limit).all<Row>();
  return results.map((r) => ({ minute: r.minute, sample: JSON.parse(r.sample) as T }));
}

/** The newest sample, or null before the first: one primary-key read. */
export function latestStatsSampleStatement(db: D1Database): D1PreparedStatement {
  return db.prepare(`SELECT minute, sample FROM stats_history ORDER BY minute DESC LIMIT 1`);
}

/**
 * Retention (docs/data-model.md#retention): deletes at most `limit` samples of minutes before
 * `before` (ms). Every sample is finished once written. Uses the primary key.
 * @returns rows deleted.
 */
export async function purgeStatsHistory(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db
    .prepare(`DELETE FROM stats_history WHERE rowid IN (SELECT rowid FROM stats_history WHERE minute < ?1 ORDER BY minute LIMIT ?2)`)
    .bind(before, limit)
    .run();
  return result.meta.changes;
}
