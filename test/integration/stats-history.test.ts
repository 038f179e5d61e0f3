/**
 * The console's chart history (docs/api.md#stats-and-metrics, issue 19): the cron samples the
 * counters once a minute into `stats_history`, `GET /v1/stats/history` serves the last minutes,
 * `/metrics` reads its sampled gauges from the newest sample, and samples go after 7 days.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeStatsHistory, STATS_HISTORY_KEEP_MS } from "../../src/db/stats-history";
import { sampleStatsHistory, type StatsSample } from "../../src/stats/history";
import { api, freshId } from "../helpers";
import { sendBatch } from "../batch-helpers";

type History = { minutes: number; samples: (StatsSample & { at: string })[] };
const MINUTE = 60_000;

describe("stats history", () => {
  it("samples once per minute and serves the minutes asked for, oldest first", async () => {
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
    expect(await sampleStatsHistory(env.DB, base + 5_000)).toBe(true);
    // A second run in the same minute keeps the first sample.
    expect(await sampleStatsHistory(env.DB, base + 30_000)).toBe(false);
    const userId = freshId();
    await sendBatch([0, 1, 2].map((i) => ({ idempotencyKey: freshId("k"), userId, title: `t${i}` })));
    await env.DB.prepare(`INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at) VALUES (?1, 'message', 'x', 'herald-messages', '{}', 8, 'e', 0)`).bind(freshId("dl")).run();
    expect(await sampleStatsHistory(env.DB, base + MINUTE)).toBe(true);

    const res = await api("/v1/stats/history?minutes=5");
    expect(res.status).toBe(200);
    const history = (await res.json()) as History;
    expect(history.minutes).toBe(5);
    expect(history.samples.map((s) => s.at)).toEqual([new Date(base).toISOString(), new Date(base + MINUTE).toISOString()]);
    const first = history.samples[0]!;
    const second = history.samples[1]!;
    expect(second.counters.batchItems - first.counters.batchItems).toBe(3);
    expect(second.counters.accepted - first.counters.accepted).toBe(3);
    expect(second.gauges.deadLettersWaiting.message).toBe((first.gauges.deadLettersWaiting.message ?? 0) + 1);

    // Only the last minute: the sample of two minutes ago is outside it.
    expect(((await (await api("/v1/stats/history?minutes=1")).json()) as History).samples).toEqual([]);
    expect((await api("/v1/stats/history?minutes=0")).status).toBe(400);

    // /metrics takes its sampled gauges from the newest sample.
    const metrics = await (await api("/metrics")).text();
    expect(metrics).toContain(`herald_dead_letters_waiting{source="message"} ${second.gauges.deadLettersWaiting.message}`);
    expect(metrics).toContain(`herald_sync_lagging_pairs ${second.gauges.syncLagging}`);
    expect(metrics).toContain(`herald_stats_sample_timestamp_seconds ${(base + MINUTE) / 1000}`);
  });

  it("purges samples older than the age, oldest first, at most the limit, and keeps the rest", async () => {
    const now = Date.now();
    const cutoff = now - STATS_HISTORY_KEEP_MS;
    const old = [3, 2, 1].map((m) => Math.floor(cutoff / MINUTE) * MINUTE - m * MINUTE);
    const young = Math.floor(cutoff / MINUTE) * MINUTE + MINUTE;
    await env.DB.batch([...old, young].map((minute) => env.DB.prepare(`INSERT INTO stats_history (minute, sample) VALUES (?1, '{}')`).bind(minute)));
    const left = async () => (await env.DB.prepare(`SELECT minute FROM stats_history WHERE minute IN (?1, ?2, ?3, ?4) ORDER BY minute`).bind(...old, young).all<{ minute: number }>()).results.map((r) => r.minute);

    expect(await purgeStatsHistory(env.DB, cutoff, 2)).toBe(2);
    expect(await left()).toEqual([old[2], young]);
    expect(await purgeStatsHistory(env.DB, cutoff, 100)).toBe(1);
    expect(await left()).toEqual([young]);
  });
});
