/**
 * Splitting the isolate's counter flushes out of a cost ledger (docs/cost.md). Shared by the CI
 * bounds (test/integration/cost-bounds.test.ts) and the bench's `cost` scenario, so both price
 * an operation the same way. Pure: no platform types, so the Node bench can import it.
 */

/** A statement's figures in a ledger, as src/lib/cost-trace.ts keeps them. */
interface StatementFigures {
  count: number;
  rowsRead: number;
  rowsWritten: number;
}

/** The part of a cost ledger (src/lib/cost-trace.ts `CostLedger`) the split reads and rewrites. */
interface LedgerWithStatements {
  d1: { roundTrips: number; statements: number; rowsRead: number; rowsWritten: number };
  statements: Record<string, StatementFigures>;
}

/** The ledger key of the isolate's counter flush (`flushCountersStatement` in src/db/counters.ts, run by `flushCounters` in src/db/counter-buffer.ts). */
export const COUNTER_FLUSH = "d1: INSERT INTO counters (name, value) SELECT key, value FROM json_each(?1)";

/**
 * Splits the isolate's counter flushes out of `ledger`. A flush writes each counter touched since
 * the last one (src/db/counters.ts), at most once a second per isolate whatever the throughput,
 * so under load its rows are shared by every operation of that second and tend to 0 per
 * operation; operations measured one at a time would each be charged a whole flush. So an
 * operation's own figures leave them out, and the flushes are reported and bounded on their own.
 * Each flush is one round trip of one statement.
 * @returns `own`: the ledger with the flushes' round trips, statements and rows taken out of `d1`;
 *   `flushes`: their count and rows.
 */
export function withoutCounterFlushes<L extends LedgerWithStatements>(ledger: L): { own: L; flushes: StatementFigures } {
  const flushes = Object.entries(ledger.statements)
    .filter(([sql]) => sql.startsWith(COUNTER_FLUSH))
    .reduce((sum, [, c]) => ({ count: sum.count + c.count, rowsRead: sum.rowsRead + c.rowsRead, rowsWritten: sum.rowsWritten + c.rowsWritten }), { count: 0, rowsRead: 0, rowsWritten: 0 });
  const d1 = ledger.d1;
  const own = { ...ledger, d1: { roundTrips: d1.roundTrips - flushes.count, statements: d1.statements - flushes.count, rowsRead: d1.rowsRead - flushes.rowsRead, rowsWritten: d1.rowsWritten - flushes.rowsWritten } };
  return { own, flushes };
}
