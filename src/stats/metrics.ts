/**
 * `GET /metrics` (docs/api.md#stats-and-metrics): Prometheus text exposition format 0.0.4, checked
 * with `promtool check metrics` in CI (test/e2e/metrics.test.ts). Counters are monotonic, kept as
 * the work happens (src/db/counters.ts), so `rate()` and `increase()` work on them; latencies are
 * histograms in seconds; gauges are only what really is a level. A scrape is one D1 round trip of
 * four reads (after a flush of the isolate's buffered counts): the counters (one row per series), `table_sizes` (one row per table), the online
 * count (the partial index `presence_online`) and the newest per-minute sample (primary key) for
 * the gauges that would need a query over a work table (dead letters waiting, sync lag).
 */
import { INAPP_DELIVERY_BUCKETS, WEBHOOK_DURATION_BUCKETS, readAllCountersStatement, type WebhookTarget } from "../db/counters";
import { flushCounters } from "../db/counter-buffer";
import { onlineCountStatement } from "../db/presence";
import { latestStatsSampleStatement } from "../db/stats-history";
import { readTableSizesStatement } from "../db/table-sizes";
import type { StatsSample } from "./history";

type Labels = Record<string, string>;
type Sample = [labels: Labels, value: number | null];

const escape = (v: string) => v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
const labelText = (labels: Labels) => {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return l.length ? `{${l.join(",")}}` : "";
};

/** One metric family: `# HELP`, `# TYPE`, then `name{labels} value` lines (null values left out). */
function family(name: string, type: "gauge" | "counter", help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) if (value !== null) lines.push(`${name}${labelText(labels)} ${value}`);
  return lines.join("\n");
}

/**
 * One histogram family from counter rows named `<stored>.bucket.<le>`, `<stored>.count` and
 * `<stored>.sum_ms`, per label set. A bucket row counts only the observations that fell in it
 * (above the previous bound, at most `le`), so an observation writes one bucket row, not every
 * bucket above it (rows written are what D1 bills, docs/cost.md); the exposition's buckets are
 * cumulative, so they are summed here, in bound order. Every bucket is written (0 when never
 * observed), `+Inf` equals `_count`, `_sum` is in seconds.
 */
function histogram(name: string, help: string, bounds: readonly number[], series: [labels: Labels, stored: string][], all: ReadonlyMap<string, number>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  for (const [labels, stored] of series) {
    const count = all.get(`${stored}.count`) ?? 0;
    let cumulative = 0;
    for (const le of bounds) {
      cumulative += all.get(`${stored}.bucket.${le}`) ?? 0;
      lines.push(`${name}_bucket${labelText({ ...labels, le: String(le) })} ${cumulative}`);
    }
    lines.push(`${name}_bucket${labelText({ ...labels, le: "+Inf" })} ${count}`);
    lines.push(`${name}_sum${labelText(labels)} ${(all.get(`${stored}.sum_ms`) ?? 0) / 1000}`);
    lines.push(`${name}_count${labelText(labels)} ${count}`);
  }
  return lines.join("\n");
}

/** Counter samples of every stored name `<prefix>.<a>.<b>…`, the dotted parts after the prefix becoming `labels` in order (the last takes the rest). */
function labelled(all: ReadonlyMap<string, number>, prefix: string, labels: readonly string[], fixed: Labels = {}): Sample[] {
  const out: Sample[] = [];
  for (const [name, value] of [...all].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const parts = name.slice(prefix.length + 1).split(".");
    if (parts.length < labels.length) continue;
    const values = [...parts.slice(0, labels.length - 1), parts.slice(labels.length - 1).join(".")];
    out.push([{ ...fixed, ...Object.fromEntries(labels.map((l, i) => [l, values[i]!])) }, value]);
  }
  return out;
}

const WEBHOOK_TARGETS: readonly WebhookTarget[] = ["topic", "sync"];

/**
 * Reads what a scrape needs in one D1 round trip and renders the exposition text; this isolate's
 * buffered counts (src/db/counters.ts) are flushed first, so the scrape sees every count it made.
 */
export async function collectMetrics(db: D1Database, now = Date.now()): Promise<string> {
  await flushCounters(db);
  const [counters, sizes, online, latest] = await db.batch([readAllCountersStatement(db), readTableSizesStatement(db), onlineCountStatement(db, now), latestStatsSampleStatement(db)]);
  const all = new Map((counters!.results as { name: string; value: number }[]).map((r) => [r.name, r.value]));
  const n = (name: string) => all.get(name) ?? 0;
  const presence = online!.results[0] as { users: number; connections: number };
  const newest = latest!.results[0] as { minute: number; sample: string } | undefined;
  const sampled = newest ? (JSON.parse(newest.sample) as StatsSample) : null;
  const fanOut = n("broadcasts.completed_recipients") === 0 ? null : n("broadcasts.completed_recipients") / (Math.max(1, n("broadcasts.completed_ms")) / 1000);

  return [
    family("herald_notifications_total", "counter", "Notification deliveries (one per channel) reaching each status: queued at acceptance, sent, delivered, read (each once), failed, expired, recalled, skipped.", labelled(all, "notifications", ["channel", "status"])),
    family("herald_deliveries_total", "counter", "Deliveries the users' preferences skipped, by reason.", (["preference", "unsubscribed"] as const).map((reason): Sample => [{ status: "skipped", reason }, n(`deliveries.skipped.${reason}`)])),
    histogram("herald_inapp_delivery_seconds", "In-app deliveries from acceptance to the first device acknowledgement, seconds.", INAPP_DELIVERY_BUCKETS, [[{}, "inapp_delivery_seconds"]], all),
    family("herald_batch_items_total", "counter", "Batch notification items, by result.", (["created", "duplicate", "conflict", "invalid", "failed"] as const).map((k): Sample => [{ status: k }, n(`batch.${k}`)])),
    family("herald_behaviour_events_total", "counter", "Behaviour events consumed: applied, or suppressed as duplicates.", [[{ outcome: "applied" }, n("behaviours.applied")], [{ outcome: "duplicate_suppressed" }, n("behaviours.duplicates_suppressed")]]),
    family("herald_broadcasts_total", "counter", "Broadcasts accepted.", [[{}, n("broadcasts.accepted")]]),
    family("herald_broadcast_recipients_total", "counter", "Broadcast recipients: counted at acceptance, and fanned out to their inbox.", [[{ stage: "accepted" }, n("broadcasts.recipients")], [{ stage: "fanned_out" }, n("broadcasts.fanned_out")]]),
    family("herald_broadcast_fanout_rate", "gauge", "Recipients per second of completed broadcasts, acceptance to completion, since the start.", [[{}, fanOut]]),
    family("herald_topic_messages_total", "counter", "Topic messages published.", [[{}, n("topic_messages.published")]]),
    family("herald_topic_deliveries_total", "counter", "Topic message deliveries to subscriptions finishing, by status (succeeded, failed, dead).", labelled(all, "topic_deliveries", ["status"])),
    family("herald_sync_deliveries_total", "counter", "User sync webhook deliveries finishing, by status (succeeded, failed, dead, superseded).", labelled(all, "sync_deliveries", ["status"])),
    histogram("herald_webhook_duration_seconds", "Webhook attempts, request to answer (or timeout), seconds, by sender.", WEBHOOK_DURATION_BUCKETS, WEBHOOK_TARGETS.map((target): [Labels, string] => [{ target }, `webhook_duration_seconds.${target}`]), all),
    family("herald_dead_letters_created_total", "counter", "Dead letters stored, by source.", labelled(all, "dead_letters.created", ["source"])),
    family("herald_dead_letters_redriven_total", "counter", "Dead letters redriven, by source.", labelled(all, "dead_letters.redriven", ["source"])),
    family("herald_dead_letters_discarded_total", "counter", "Dead letters discarded, by source.", labelled(all, "dead_letters.discarded", ["source"])),
    family("herald_dead_letters_waiting", "gauge", "Dead letters waiting for a redrive or a discard, by source, as the cron last sampled them (every minute; 10,000 at most).", Object.entries(sampled?.gauges.deadLettersWaiting ?? {}).map(([source, v]): Sample => [{ source }, v])),
    family("herald_sync_lagging_pairs", "gauge", "(target, user) pairs whose acknowledged version lags, as the cron last sampled them (every minute; 10,000 at most).", [[{}, sampled?.gauges.syncLagging ?? null]]),
    family("herald_stats_sample_timestamp_seconds", "gauge", "When the cron last sampled the gauges above, unix seconds.", [[{}, newest ? newest.minute / 1000 : null]]),
    family("herald_online_users", "gauge", "Users with at least one connected device.", [[{}, presence.users]]),
    family("herald_connections", "gauge", "Connected WebSocket devices.", [[{}, presence.connections]]),
    family("herald_d1_database_bytes", "gauge", "Size of the D1 database in bytes (D1's limit is 10 GB).", [[{}, counters!.meta.size_after]]),
    family("herald_table_rows", "gauge", "Rows per D1 table, as last counted by the cron (every 10 minutes).", (sizes!.results as { table_name: string; rows: number }[]).map((r): Sample => [{ table: r.table_name }, r.rows])),
  ].join("\n\n") + "\n";
}
