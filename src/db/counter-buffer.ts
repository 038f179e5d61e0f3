/**
 * The isolate's counter buffer (docs/api.md#stats-and-metrics). Prometheus counters are
 * conventionally kept in process memory and scraped; here they are kept in memory and flushed,
 * one upsert per counter per flush, so a busy isolate writes each counter about once a second
 * whatever its throughput. The invocations that count end with `flushCountersSoon`, which starts
 * the next flush in their background once the last one is COUNTER_FLUSH_MS old (no timer: a
 * sleeping `waitUntil` would hold a queue consumer's invocation open); readers flush first, so
 * what a scrape shows is exact. What waits in memory is about a second of counts. The trade-off:
 * a crash or eviction loses those (Prometheus's `rate()`/`increase()` tolerate it as a counter
 * reset), and an isolate that went quiet shows them to other isolates' scrapes only once it
 * counts again. The counters' SQL is ./counters'; this module holds the counts and decides when
 * to write them.
 */
import { fixedCounters, flushCountersStatement, isCountingStatement, readAllCountersStatement, type CounterName } from "./counters";

/** How long (ms) after a flush counts are only buffered: the next count after it flushes. */
export const COUNTER_FLUSH_MS = 1000;

/** Counts not yet written, by counter name. */
let buffered = new Map<string, number>();
/** The flush writing now, which a reader waits for so it never reads around it. */
let writing: Promise<void> | null = null;
/** When this isolate last started a flush (ms). */
let flushedAt = 0;

/** Adds `deltas` (counter name → amount) to this isolate's buffer; {@link flushCountersSoon} writes it. */
export function addCounts(deltas: Iterable<readonly [string, number]>): void {
  for (const [name, n] of deltas) if (n !== 0) buffered.set(name, (buffered.get(name) ?? 0) + n);
}

/**
 * When counts are buffered and the last flush started {@link COUNTER_FLUSH_MS} or more ago,
 * starts the next through `background` (the invocation's `waitUntil`, so the invocation, and a
 * test waiting on it, sees it through). Call it at the end of an invocation that counted.
 */
export function flushCountersSoon(db: D1Database, background: (flush: Promise<unknown>) => void): void {
  if (buffered.size === 0 || writing || Date.now() - flushedAt < COUNTER_FLUSH_MS) return;
  background(flushCounters(db).catch((err: unknown) => console.error(JSON.stringify({ level: "error", msg: "counter flush failed", error: String(err) }))));
}

/**
 * Runs `statements` as one `db.batch()` (a transaction) and, once it committed, buffers the
 * counts its counting statements (`countingStatement` in ./counters) returned. Use it for any batch holding one; the
 * invocation then ends with {@link flushCountersSoon} (a later one's flush, or a reader's, takes
 * the counts of one that does not).
 * @returns the batch's results, as `db.batch()`.
 */
export async function countedBatch<T = unknown>(db: D1Database, statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
  const results = await db.batch<T>(statements);
  const counts = statements.flatMap((s, i) => (isCountingStatement(s) ? (results[i]!.results as unknown as { name: string; value: number }[]) : []));
  addCounts(counts.map((r): [string, number] => [r.name, Number(r.value)]));
  return results;
}

/**
 * Writes this isolate's buffered counts to D1 in one statement (one upsert per counter), after
 * any flush already writing. On failure the counts go back into the buffer for the next flush.
 */
export async function flushCounters(db: D1Database): Promise<void> {
  while (writing) await writing;
  // Everything counted so far is written (or being written) from here: the next second's counts wait.
  flushedAt = Date.now();
  if (buffered.size === 0) return;
  const deltas = buffered;
  buffered = new Map();
  writing = flushCountersStatement(db, deltas)
    .run()
    .then(
      () => undefined,
      (err: unknown) => {
        for (const [name, n] of deltas) buffered.set(name, (buffered.get(name) ?? 0) + n);
        throw err;
      },
    )
    .finally(() => (writing = null));
  await writing;
}

/** Every counter, by name, this isolate's buffered counts flushed first (`readAllCountersStatement` in ./counters). */
export async function readAllCounters(db: D1Database): Promise<Map<string, number>> {
  await flushCounters(db);
  const { results } = await readAllCountersStatement(db).all<{ name: string; value: number }>();
  return new Map(results.map((r) => [r.name, r.value]));
}

/** Reads the fixed counters (`COUNTER_NAMES` in ./counters; missing ones are 0), buffered counts flushed first. */
export async function readCounters(db: D1Database): Promise<Record<CounterName, number>> {
  return fixedCounters(await readAllCounters(db));
}
