/**
 * The retention cron (docs/data-model.md#retention): runs every table's purge in bounded chunks,
 * round-robin, until each has nothing left past its age or the time budget is spent. A chunk is
 * one indexed `DELETE … LIMIT n` (D1 runs one query at a time, so a long delete would hold up
 * every request), and the loop — not one big statement — is what lets the cron keep up with the
 * accept rate: a backlog drains over several runs instead of timing one run out.
 */

/** One rule: a purge function of the table's owning module (src/db/<table>.ts) and its cutoff. */
export interface RetentionRule {
  /** The rows it removes, for the log and the stats (e.g. `notifications`). */
  name: string;
  /** Rows older than this (ms since the epoch) go, at `now` (ms). */
  before(now: number): number;
  /**
   * Deletes at most `limit` finished rows older than `before`; never live work.
   * @returns rows deleted (a chunk smaller than `limit` means nothing is left).
   */
  purge(db: D1Database, before: number, limit: number): Promise<number>;
}

export interface RetentionReport {
  /** Rows deleted per rule in this run. */
  deleted: Record<string, number>;
  /** Rules that still had rows past their age when the budget ran out (the next run goes on). */
  backlog: string[];
  /** Rules whose purge threw, with the error (the other rules still ran). */
  errors: Record<string, string>;
}

/** Rows per DELETE: small enough to hold D1 for a few ms, large enough to keep up (bench: `retention`). */
export const PURGE_CHUNK = 2000;
/** Wall time one run may spend purging, ms: the cron fires every minute, so runs never overlap much. */
export const PURGE_BUDGET_MS = 20_000;

/**
 * Runs `rules` against `db` at `now` (ms): one chunk of each unfinished rule per round, rounds
 * until every rule is done or `budgetMs` has passed (measured with `clock`, ms).
 */
export async function runRetention(
  db: D1Database,
  rules: RetentionRule[],
  now: number,
  { chunk = PURGE_CHUNK, budgetMs = PURGE_BUDGET_MS, clock = Date.now }: { chunk?: number; budgetMs?: number; clock?: () => number } = {},
): Promise<RetentionReport> {
  const started = clock();
  const report: RetentionReport = { deleted: Object.fromEntries(rules.map((r) => [r.name, 0])), backlog: [], errors: {} };
  let active = rules;
  while (active.length > 0 && clock() - started < budgetMs) {
    const next: RetentionRule[] = [];
    for (const rule of active) {
      try {
        const n = await rule.purge(db, rule.before(now), chunk);
        report.deleted[rule.name]! += n;
        if (n >= chunk) next.push(rule);
      } catch (error) {
        report.errors[rule.name] = String(error);
      }
    }
    active = next;
  }
  report.backlog = active.map((r) => r.name);
  return report;
}
