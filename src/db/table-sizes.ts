/**
 * The `table_sizes` table: how many rows each D1 table holds, counted by the cron and read by
 * `/v1/stats`, `/metrics` and `/health` (docs/data-model.md#sizes). A `COUNT(*)` walks the
 * table's smallest index, so counting at every scrape would cost a scan per table per scrape;
 * counting every 10 minutes costs the same scan once per 10 minutes, whatever the scrape rate.
 * The database's size in bytes needs no count: every D1 result carries it (`meta.size_after`).
 */
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

/** How often the cron recounts, ms. */
export const RECOUNT_EVERY_MS = 10 * 60_000;

/** Every table `schema.ts` defines, by its SQL name. */
export const TABLE_NAMES: readonly string[] = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => value instanceof SQLiteTable)
  .map((table) => getTableConfig(table).name)
  .sort();

/** D1's per-database limit, bytes (Cloudflare D1 limits: 10 GB on Workers Paid). */
export const D1_LIMIT_BYTES = 10 * 1000 ** 3;

export interface TableSizes {
  /** Rows per table at `countedAt`. */
  tables: Record<string, number>;
  /** When they were counted (ms), null before the first count. */
  countedAt: number | null;
}

/** The last counts as `{table_name, rows, counted_at}` rows: one read of a table with one row per table. */
export function readTableSizesStatement(db: D1Database): D1PreparedStatement {
  return db.prepare(`SELECT table_name, rows, counted_at FROM table_sizes`);
}

/** Reads the last counts (see {@link readTableSizesStatement}). */
export async function readTableSizes(db: D1Database): Promise<TableSizes> {
  const { results } = await readTableSizesStatement(db).all<{ table_name: string; rows: number; counted_at: number }>();
  return {
    tables: Object.fromEntries(results.map((r) => [r.table_name, r.rows])),
    countedAt: results.length > 0 ? Math.min(...results.map((r) => r.counted_at)) : null,
  };
}

/**
 * Counts every table's rows and stores the counts, unless they were counted within
 * {@link RECOUNT_EVERY_MS} of `now` (ms). The counts run in one `batch()`, each a separate
 * statement (D1 runs them one after another), then one upsert stores them all.
 * @returns the counts stored, or null when it was not time yet.
 */
export async function refreshTableSizes(db: D1Database, now: number): Promise<Record<string, number> | null> {
  const last = await db.prepare(`SELECT MIN(counted_at) AS at FROM table_sizes`).first<{ at: number | null }>();
  if (last?.at != null && last.at > now - RECOUNT_EVERY_MS) return null;
  const counts = await db.batch<{ n: number }>(TABLE_NAMES.map((name) => db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`)));
  const rows = Object.fromEntries(TABLE_NAMES.map((name, i) => [name, counts[i]!.results[0]!.n]));
  await db
    .prepare(
      `INSERT INTO table_sizes (table_name, rows, counted_at) SELECT key, value, ?2 FROM json_each(?1) WHERE true
       ON CONFLICT (table_name) DO UPDATE SET rows = excluded.rows, counted_at = excluded.counted_at`,
    )
    .bind(JSON.stringify(rows), now)
    .run();
  return rows;
}

/** The database's size in bytes, from the metadata of one trivial read. */
export async function databaseBytes(db: D1Database): Promise<number> {
  const { meta } = await db.prepare(`SELECT 1`).run();
  return meta.size_after;
}
