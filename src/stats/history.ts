/**
 * Per-minute history of the main figures (docs/api.md#stats-and-metrics): the cron samples the
 * counters and the gauges that cost a query once a minute into `stats_history`, so the console
 * draws its charts from the last hour on load instead of starting empty, and `/metrics` reads
 * those gauges with one primary-key read instead of counting at scrape time.
 */
import { readAllCounters } from "../db/counter-buffer";
import { deadLetterCountsStatement } from "../db/dead-letters";
import { onlineCountStatement } from "../db/presence";
import { insertStatsSample, listStatsSamples } from "../db/stats-history";
import { countLaggingPairsStatement } from "../db/sync-acks";
import { LAGGING_COUNT_CAP } from "../sync/stats";

/** Dead letters waiting are counted up to this many per sample. */
export const DEAD_LETTER_COUNT_CAP = 10_000;
const MINUTE_MS = 60_000;

/** What one sample holds. Counters are cumulative since the database began; gauges are values at the sample's minute. */
export interface StatsSample {
  counters: {
    /** Notification deliveries accepted (`queued`), all channels. */
    accepted: number;
    /** Reaching `sent` (in-app: handed to the inbox; email/SMS/push: the provider took it), all channels. */
    sent: number;
    /** In-app deliveries acknowledged by a device. */
    delivered: number;
    failed: number;
    skipped: number;
    batchItems: number;
    behavioursApplied: number;
    topicMessages: number;
    /** Topic webhook deliveries finished (succeeded, failed, dead). */
    topicDeliveries: number;
    syncSucceeded: number;
    /** Sync deliveries finished (succeeded, failed, dead, superseded). */
    syncFinished: number;
    deadLettersCreated: number;
  };
  gauges: {
    onlineUsers: number;
    connections: number;
    /** Waiting dead letters by source, counted up to {@link DEAD_LETTER_COUNT_CAP} in all. */
    deadLettersWaiting: Record<string, number>;
    /** (enabled target, live user) pairs whose acknowledged version lags, up to `LAGGING_COUNT_CAP`. */
    syncLagging: number;
  };
}

/** Sums the counters whose name matches `pattern`. */
function sumOf(all: ReadonlyMap<string, number>, pattern: RegExp): number {
  let sum = 0;
  for (const [name, value] of all) if (pattern.test(name)) sum += value;
  return sum;
}

/**
 * Takes the sample of `now`'s minute (ms) unless that minute has one already: one read of the
 * counters and one batch of three bounded queries (presence through its partial index, dead
 * letters and lagging pairs each capped), then one insert. Called by the cron every minute.
 * @returns whether a sample was stored.
 */
export async function sampleStatsHistory(db: D1Database, now: number): Promise<boolean> {
  const [all, [online, dead, lagging]] = await Promise.all([
    readAllCounters(db),
    db.batch([onlineCountStatement(db, now), deadLetterCountsStatement(db, DEAD_LETTER_COUNT_CAP), countLaggingPairsStatement(db, LAGGING_COUNT_CAP)]),
  ]);
  const presence = online!.results[0] as { users: number; connections: number };
  const sample: StatsSample = {
    counters: {
      accepted: sumOf(all, /^notifications\.[^.]+\.queued$/),
      sent: sumOf(all, /^notifications\.[^.]+\.sent$/),
      delivered: sumOf(all, /^notifications\.[^.]+\.delivered$/),
      failed: sumOf(all, /^notifications\.[^.]+\.failed$/),
      skipped: sumOf(all, /^notifications\.[^.]+\.skipped$/),
      batchItems: all.get("batch.items") ?? 0,
      behavioursApplied: all.get("behaviours.applied") ?? 0,
      topicMessages: all.get("topic_messages.published") ?? 0,
      topicDeliveries: sumOf(all, /^topic_deliveries\./),
      syncSucceeded: all.get("sync_deliveries.succeeded") ?? 0,
      syncFinished: sumOf(all, /^sync_deliveries\./),
      deadLettersCreated: sumOf(all, /^dead_letters\.created\./),
    },
    gauges: {
      onlineUsers: presence.users,
      connections: presence.connections,
      deadLettersWaiting: Object.fromEntries((dead!.results as { source: string; n: number }[]).map((r) => [r.source, r.n])),
      syncLagging: (lagging!.results[0] as { n: number }).n,
    },
  };
  return insertStatsSample(db, Math.floor(now / MINUTE_MS) * MINUTE_MS, sample);
}

/** The longest history `GET /v1/stats/history` serves, minutes. */
export const HISTORY_MAX_MINUTES = 1440;

/** The samples of the last `minutes` minutes before `now` (ms), oldest first, each with its minute as ISO-8601. */
export async function readStatsHistory(db: D1Database, minutes: number, now = Date.now()): Promise<(StatsSample & { at: string })[]> {
  const since = Math.floor(now / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
  const samples = await listStatsSamples<StatsSample>(db, since, minutes);
  return samples.map(({ minute, sample }) => ({ at: new Date(minute).toISOString(), ...sample }));
}
