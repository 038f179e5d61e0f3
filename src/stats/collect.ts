/**
 * The figures of `GET /v1/stats` (docs/api.md#stats-and-metrics), every one from a maintained
 * counter (src/db/counters.ts, the same ones `GET /metrics` exports) or a bounded query: the
 * by-status breakdowns are where deliveries, messages and sync deliveries stand now, so they
 * come from the rows of the last 24 hours, found through time-ordered ULID ids (a primary-key
 * range, not a table scan); percentiles over the latest 1,000 samples, totals capped.
 */
import { decodeTime, encodeTime } from "ulidx";
import { quantile, syncStats, type SyncStats } from "../sync/stats";
import { fixedCounters } from "../db/counters";
import { readAllCounters } from "../db/counter-buffer";
import { deliveryCountsStatement } from "../db/deliveries";
import { inAppCountsStatement, inAppSentStatement } from "../db/notifications";
import { deadLetterCountsStatement } from "../db/dead-letters";
import { messageCountsStatement } from "../db/messages";
import { onlineCountStatement } from "../db/presence";
import { readTableSizes } from "../db/table-sizes";

/** Activity window for the status breakdowns, ms. */
export const STATS_WINDOW_MS = 24 * 3600 * 1000;
const CAP = 10_000;

type ByStatus = Record<string, number>;

export interface Stats {
  window: string;
  generatedAt: string;
  notifications: { byStatus: ByStatus; total: number };
  batch: { items: number; created: number; duplicate: number; conflict: number; invalid: number; failed: number; duplicateRate: number | null; conflictRate: number | null };
  behaviours: { events: number; applied: number; duplicatesSuppressed: number };
  /**
   * Broadcasts since the start (counters): accepted, their recipients at acceptance, recipients
   * fanned out, and the fan-out rate of completed broadcasts (their recipients over their summed
   * acceptance-to-completion time, per second; null before the first completes).
   */
  broadcasts: { accepted: number; recipients: number; fannedOut: number; fanOutRecipientsPerSecond: number | null };
  messages: { byStatus: ByStatus; total: number };
  /**
   * `byChannel`: where the deliveries of the last 24 h stand, by status. `successRate`: since the
   * start (counters): deliveries that reached `sent` over those plus `failed`. `latencyMs`:
   * acceptance to the inbox, latest 1,000 in-app deliveries of the last 24 h. `skipped`:
   * deliveries the users' preferences kept from being sent, by reason, since the start (counters).
   */
  deliveries: { byChannel: Record<string, ByStatus>; successRate: number | null; latencyMs: { p50: number | null; p95: number | null }; skipped: { preference: number; unsubscribed: number } };
  sync: SyncStats;
  deadLetters: { total: number; bySource: ByStatus; capped: boolean };
  presence: { onlineUsers: number; connections: number };
  /**
   * The database's size in bytes (from D1's own result metadata, live) and each table's rows as
   * the cron last counted them (every 10 minutes, src/db/table-sizes.ts; `countedAt` null before
   * the first count).
   */
  storage: { databaseBytes: number; tables: Record<string, number>; countedAt: string | null };
}

const sum = (o: ByStatus) => Object.values(o).reduce((a, b) => a + b, 0);
const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Collects {@link Stats} in two D1 round trips. */
export async function collectStats(db: D1Database, now = Date.now()): Promise<Stats> {
  const since = encodeTime(now - STATS_WINDOW_MS, 10);
  const [inAppCounts, deliveries, messages, latencies, dead, online] = await db.batch([
    inAppCountsStatement(db, since),
    deliveryCountsStatement(db, since),
    messageCountsStatement(db, since),
    inAppSentStatement(db, since),
    deadLetterCountsStatement(db, CAP + 1),
    onlineCountStatement(db, now),
  ]);
  const [all, sync, sizes] = await Promise.all([readAllCounters(db), syncStats(db, now), readTableSizes(db)]);
  const counters = fixedCounters(all);

  const byChannel: Record<string, ByStatus> = {};
  for (const r of [...inAppCounts!.results, ...deliveries!.results] as { channel: string; status: string; n: number }[]) (byChannel[r.channel] ??= {})[r.status] = r.n;
  const inApp = byChannel.in_app ?? {};
  // Since the start, from the counters: every delivery that reached `sent` (in-app: its inbox took it) against those that failed.
  const channelCount = (status: string) => [...all].reduce((sum, [name, n]) => (name.startsWith("notifications.") && name.endsWith(`.${status}`) ? sum + n : sum), 0);
  const sent = channelCount("sent");
  // In-app latency: from acceptance (the ULID's time) to the inbox taking it.
  const latency = (latencies!.results as { id: string; at: number }[]).map((r) => Math.max(0, r.at - decodeTime(r.id))).sort((a, b) => a - b);
  const messagesByStatus = Object.fromEntries((messages!.results as { status: string; n: number }[]).map((r) => [r.status, r.n]));
  const bySource = Object.fromEntries((dead!.results as { source: string; n: number }[]).map((r) => [r.source, r.n]));
  const deadTotal = sum(bySource);
  const presence = online!.results[0] as { users: number; connections: number };
  const judged = counters["batch.items"] - counters["batch.invalid"];

  return {
    window: "24h",
    generatedAt: new Date(now).toISOString(),
    notifications: { byStatus: inApp, total: sum(inApp) },
    batch: {
      items: counters["batch.items"],
      created: counters["batch.created"],
      duplicate: counters["batch.duplicate"],
      conflict: counters["batch.conflict"],
      invalid: counters["batch.invalid"],
      failed: counters["batch.failed"],
      duplicateRate: rate(counters["batch.duplicate"], judged),
      conflictRate: rate(counters["batch.conflict"], judged),
    },
    behaviours: { events: counters["behaviours.events"], applied: counters["behaviours.applied"], duplicatesSuppressed: counters["behaviours.duplicates_suppressed"] },
    broadcasts: {
      accepted: counters["broadcasts.accepted"],
      recipients: counters["broadcasts.recipients"],
      fannedOut: counters["broadcasts.fanned_out"],
      fanOutRecipientsPerSecond: counters["broadcasts.completed_recipients"] === 0 ? null : counters["broadcasts.completed_recipients"] / (Math.max(1, counters["broadcasts.completed_ms"]) / 1000),
    },
    messages: { byStatus: messagesByStatus, total: sum(messagesByStatus) },
    deliveries: {
      byChannel,
      successRate: rate(sent, sent + channelCount("failed")),
      latencyMs: { p50: quantile(latency, 0.5), p95: quantile(latency, 0.95) },
      skipped: { preference: counters["deliveries.skipped.preference"], unsubscribed: counters["deliveries.skipped.unsubscribed"] },
    },
    sync,
    deadLetters: { total: Math.min(deadTotal, CAP), bySource, capped: deadTotal > CAP },
    presence: { onlineUsers: presence.users, connections: presence.connections },
    storage: {
      databaseBytes: deliveries!.meta.size_after,
      tables: sizes.tables,
      countedAt: sizes.countedAt === null ? null : new Date(sizes.countedAt).toISOString(),
    },
  };
}
