/**
 * The figures of `GET /v1/stats` and `GET /metrics` (docs/api.md#stats-and-metrics), every one from a maintained
 * counter or a bounded query: activity over the last 24 hours is found through time-ordered
 * ULID ids (a primary-key range, not a table scan), percentiles over the latest 1,000 samples,
 * totals capped.
 */
import { decodeTime, encodeTime } from "ulidx";
import { quantile, syncStats, type SyncStats } from "../sync/stats";
import { readCounters } from "../db/counters";
import { deliveryCountsStatement, inAppSentStatement } from "../db/deliveries";
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
  /** `skipped`: deliveries the users' preferences kept from being sent, by reason, since the start (counters). */
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
  const [deliveries, messages, latencies, dead, online] = await db.batch([
    deliveryCountsStatement(db, since),
    messageCountsStatement(db, since),
    inAppSentStatement(db, since),
    deadLetterCountsStatement(db, CAP + 1),
    onlineCountStatement(db, now),
  ]);
  const [counters, sync, sizes] = await Promise.all([readCounters(db), syncStats(db, now), readTableSizes(db)]);

  const byChannel: Record<string, ByStatus> = {};
  for (const r of deliveries!.results as { channel: string; status: string; n: number }[]) (byChannel[r.channel] ??= {})[r.status] = r.n;
  const inApp = byChannel.in_app ?? {};
  const all = Object.values(byChannel).reduce<ByStatus>((acc, s) => {
    for (const [k, v] of Object.entries(s)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {});
  const succeeded = (all.sent ?? 0) + (all.delivered ?? 0) + (all.read ?? 0);
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
      successRate: rate(succeeded, succeeded + (all.failed ?? 0)),
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

/** One Prometheus sample line set: `# HELP`, `# TYPE`, then `name{labels} value` lines. */
function family(name: string, type: "gauge" | "counter", help: string, samples: [Record<string, string>, number | null][]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    if (value === null) continue;
    const l = Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`);
    lines.push(`${name}${l.length ? `{${l.join(",")}}` : ""} ${value}`);
  }
  return lines.join("\n");
}

/** Renders {@link Stats} in the Prometheus text exposition format (version 0.0.4). */
export function toPrometheus(s: Stats): string {
  const statusSamples = (o: ByStatus, extra: Record<string, string> = {}) => Object.entries(o).map(([status, n]): [Record<string, string>, number] => [{ ...extra, status }, n]);
  return [
    family("herald_notifications_24h", "gauge", "In-app deliveries of notifications accepted in the last 24 h, by status.", statusSamples(s.notifications.byStatus)),
    family("herald_deliveries_24h", "gauge", "Deliveries of notifications accepted in the last 24 h, by channel and status.", Object.entries(s.deliveries.byChannel).flatMap(([channel, o]) => statusSamples(o, { channel }))),
    family("herald_delivery_success_ratio", "gauge", "Sent, delivered or read over those plus failed, last 24 h.", [[{}, s.deliveries.successRate]]),
    family("herald_inapp_latency_ms", "gauge", "Acceptance to inbox, latest 1,000 in-app deliveries.", [[{ quantile: "0.5" }, s.deliveries.latencyMs.p50], [{ quantile: "0.95" }, s.deliveries.latencyMs.p95]]),
    family("herald_deliveries_total", "counter", "Deliveries the users' preferences skipped, by reason, since the start.", (["preference", "unsubscribed"] as const).map((reason): [Record<string, string>, number] => [{ status: "skipped", reason }, s.deliveries.skipped[reason]])),
    family("herald_batch_items_total", "counter", "Batch notification items, by result.", (["created", "duplicate", "conflict", "invalid", "failed"] as const).map((k): [Record<string, string>, number] => [{ status: k }, s.batch[k]])),
    family("herald_behaviour_events_total", "counter", "Behaviour events consumed, applied and suppressed as duplicates.", [[{ outcome: "applied" }, s.behaviours.applied], [{ outcome: "duplicate_suppressed" }, s.behaviours.duplicatesSuppressed]]),
    family("herald_broadcasts_total", "counter", "Broadcasts accepted since the start.", [[{}, s.broadcasts.accepted]]),
    family("herald_broadcast_recipients_total", "counter", "Broadcast recipients since the start: counted at acceptance, and fanned out to their inbox.", [[{ stage: "accepted" }, s.broadcasts.recipients], [{ stage: "fanned_out" }, s.broadcasts.fannedOut]]),
    family("herald_broadcast_fanout_rate", "gauge", "Recipients per second of completed broadcasts, acceptance to completion.", [[{}, s.broadcasts.fanOutRecipientsPerSecond]]),
    family("herald_messages_24h", "gauge", "Topic messages published in the last 24 h, by status.", statusSamples(s.messages.byStatus)),
    family("herald_sync_deliveries_24h", "gauge", "Sync webhook deliveries of the last 24 h, by status.", statusSamples(s.sync.deliveries)),
    family("herald_sync_success_ratio", "gauge", "Sync deliveries succeeded over finished, last 24 h.", [[{}, s.sync.successRate]]),
    family("herald_sync_latency_ms", "gauge", "Sync webhook latency, latest 1,000 successes.", [[{ quantile: "0.5" }, s.sync.latencyMs.p50], [{ quantile: "0.95" }, s.sync.latencyMs.p95]]),
    family("herald_sync_lagging_pairs", "gauge", "(target, user) pairs whose acknowledged version lags (capped at 10,000).", [[{}, s.sync.lagging]]),
    family("herald_dead_letters", "gauge", "Dead letters waiting, by source.", Object.entries(s.deadLetters.bySource).map(([source, n]): [Record<string, string>, number] => [{ source }, n])),
    family("herald_online_users", "gauge", "Users with at least one connected device.", [[{}, s.presence.onlineUsers]]),
    family("herald_connections", "gauge", "Connected WebSocket devices.", [[{}, s.presence.connections]]),
    family("herald_d1_database_bytes", "gauge", "Size of the D1 database in bytes (D1's limit is 10 GB).", [[{}, s.storage.databaseBytes]]),
    family("herald_table_rows", "gauge", "Rows per D1 table, as last counted by the cron (every 10 minutes).", Object.entries(s.storage.tables).map(([table, n]): [Record<string, string>, number] => [{ table }, n])),
  ].join("\n\n") + "\n";
}
