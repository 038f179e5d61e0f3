/**
 * Sync figures for `GET /v1/stats` (docs/api.md#stats-and-metrics, issue 6 item 6), with bounded queries: a 24-hour
 * window found through the time-ordered delivery ids (`msg_<ULID>`), latency percentiles over
 * the latest 1,000 successes, and the lagging-pair count capped.
 */
import { countLaggingPairsStatement } from "../db/sync-acks";
import { recentLatenciesStatement, statusCountsSinceStatement, type SyncLatency, type SyncStatusCount } from "../db/sync-deliveries";
import { encodeTime } from "ulidx";

/** Lagging (target, user) pairs are counted up to this many. */
export const LAGGING_COUNT_CAP = 10_000;
const WINDOW_MS = 24 * 3600 * 1000;

export interface SyncStats {
  /** Deliveries created in the last 24 h, by status. */
  deliveries: Record<string, number>;
  /** succeeded / (succeeded + failed + dead) in the window; null when nothing finished. */
  successRate: number | null;
  /** Over the latest 1,000 successful deliveries, ms. */
  latencyMs: { p50: number | null; p95: number | null };
  /** (enabled target, live user) pairs whose acknowledged version lags, up to the cap. */
  lagging: number;
  laggingCapped: boolean;
}

/** The value at quantile `q` (0..1) of ascending `sorted`, nearest-rank; null when empty. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Computes {@link SyncStats} in one D1 round trip. */
export async function syncStats(db: D1Database, now = Date.now()): Promise<SyncStats> {
  const since = `msg_${encodeTime(now - WINDOW_MS, 10)}`;
  const [byStatus, latencies, lagging] = await db.batch([
    statusCountsSinceStatement(db, since),
    recentLatenciesStatement(db),
    countLaggingPairsStatement(db, LAGGING_COUNT_CAP + 1),
  ]);
  const deliveries = Object.fromEntries((byStatus!.results as SyncStatusCount[]).map((r) => [r.status, r.n]));
  const finished = (deliveries.succeeded ?? 0) + (deliveries.failed ?? 0) + (deliveries.dead ?? 0);
  const sorted = (latencies!.results as SyncLatency[]).map((r) => r.latencyMs).sort((a, b) => a - b);
  const laggingCount = (lagging!.results[0] as { n: number }).n;
  return {
    deliveries,
    successRate: finished === 0 ? null : (deliveries.succeeded ?? 0) / finished,
    latencyMs: { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) },
    lagging: Math.min(laggingCount, LAGGING_COUNT_CAP),
    laggingCapped: laggingCount > LAGGING_COUNT_CAP,
  };
}
