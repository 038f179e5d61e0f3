/**
 * Steady state under constant load (docs/data-model.md#retention): a day of simulated traffic,
 * an hour at a time on a moved clock, with the cron's retention run after each hour. Once the
 * longest retention age has passed, every table holds the same rows hour after hour and the
 * database stops growing: what the cron deletes each hour is what the hour added.
 *
 * The ages are shortened to hours through the same vars production sets in days, so a day of
 * simulated time covers several retention periods. Rows are written in the finished states the
 * purges look for (dispatched and delivered notifications, completed messages…), as the real
 * flow leaves them; the purges' own rules on live work are tested in store/ and delivery/.
 * Run with `--silent=false` to see the figures per hour.
 */
import { env } from "cloudflare:workers";
import { encodeTime } from "ulidx";
import { describe, expect, it } from "vitest";
import { TABLE_NAMES } from "../../../src/db/table-sizes";
import { retentionRules } from "../../../src/retention/rules";
import { runRetention } from "../../../src/retention/run";

const HOUR = 3_600_000;
const days = (hours: number) => String(hours / 24);
/** Retention ages in hours (as fractional days, the vars' unit). The longest is 6 h. */
const VARS = {
  RETENTION_NOTIFICATIONS_DAYS: days(6),
  RETENTION_MESSAGES_DAYS: days(4),
  RETENTION_OUTBOX_DAYS: days(2),
  RETENTION_SYNC_DELIVERIES_DAYS: days(4),
  RETENTION_TOMBSTONES_DAYS: days(3),
  RETENTION_PRESENCE_DAYS: days(5),
};
const IDEMPOTENCY_TTL = 2 * HOUR;
const STEADY_FROM_HOUR = 7;
const HOURS = 24;
/** Rows each simulated hour adds. */
const PER_HOUR = { notifications: 200, messages: 60, outbox: 100, syncDeliveries: 60, tombstones: 30, presence: 20 };

const TABLES = ["notifications", "deliveries", "idempotency_records", "messages", "message_deliveries", "outbox", "sync_deliveries", "behaviours", "presence"] as const;

let serial = 0;
const ulidAt = (at: number) => `${encodeTime(at, 10)}${String(serial++).padStart(16, "0")}`;

/** Inserts one hour of finished traffic at `now` (ms), one statement per table. */
async function addHour(run: string, now: number): Promise<void> {
  const notifications = Array.from({ length: PER_HOUR.notifications }, () => ({ id: ulidAt(now), key: `k_${serial}` }));
  const messages = Array.from({ length: PER_HOUR.messages }, () => ({ id: `msg_${ulidAt(now)}` }));
  const many = (n: number) => JSON.stringify(Array.from({ length: n }, () => ulidAt(now)));
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO notifications (id, user_id, idempotency_key, channels, priority, created_at, updated_at, dispatch_after, dispatched_at,
         in_app_status, in_app_sent_at, in_app_delivered_at, in_app_read_at)
       SELECT v->>'id', ?2, v->>'key', '["in_app","email"]', 'normal', ?3, ?3, ?3, ?3, 'read', ?3, ?3, ?3 FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(notifications), `u_${run}`, now),
    env.DB.prepare(
      `INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at, sent_at)
       SELECT v->>'id', 'email', 'sent', 1, ?2, ?2 FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(notifications), now),
    env.DB.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, resource_id, response_status, response_body, created_at, expires_at)
       SELECT 'notifications', ?2 || (v->>'key'), 'fp', 'completed', ?3, v->>'id', 202, '{}', ?3, ?4 FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(notifications), run, now, now + IDEMPOTENCY_TTL),
    env.DB.prepare(
      `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, enqueued_at, processed_at, created_at, updated_at)
       SELECT v->>'id', 'user.updated', '{"n":1}', 'completed', 1, 8, ?2, ?2, ?2, ?2, ?2 FROM (SELECT value AS v FROM json_each(?1))`,
    ).bind(JSON.stringify(messages), now),
    env.DB.prepare(
      `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at)
       SELECT 'mdl_' || (v->>'id') || '_' || s.value, v->>'id', s.value, 'succeeded', 1, ?2, ?2
       FROM (SELECT value AS v FROM json_each(?1)), json_each('["sub_a","sub_b"]') AS s`,
    ).bind(JSON.stringify(messages), now),
    env.DB.prepare(
      `INSERT INTO outbox (id, notification_id, channel, recipient, subject, body, created_at)
       SELECT value, value, 'email', 'a@example.com', 'Hello', 'A rendered email body of a realistic length for the outbox.', ?2 FROM json_each(?1)`,
    ).bind(many(PER_HOUR.outbox), now),
    env.DB.prepare(
      `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, created_at, updated_at, delivered_at)
       SELECT 'msg_' || value, 'tgt_steady', 'u_' || value, 'user.updated', 1, '{"type":"user.updated"}', 'succeeded', 1, ?2, ?2, ?2 FROM json_each(?1)`,
    ).bind(many(PER_HOUR.syncDeliveries), now),
    env.DB.prepare(
      `INSERT INTO behaviours (user_id, target_id, type, active, occurred_at, event_id, updated_at)
       SELECT 'u_' || value, 'post_' || value, 'like', 0, ?2, value, ?2 FROM json_each(?1)`,
    ).bind(many(PER_HOUR.tombstones), now),
    env.DB.prepare(
      `INSERT INTO presence (user_id, connections, version, last_seen_at, expires_at, updated_at)
       SELECT 'u_' || value, 0, 1, ?2, ?2, ?2 FROM json_each(?1)`,
    ).bind(many(PER_HOUR.presence), now),
  ]);
}

/** Rows per table (of this test's tables) and the database's size in bytes. */
async function measure(): Promise<{ rows: Record<string, number>; bytes: number }> {
  const counts = await env.DB.batch<{ n: number }>(TABLES.map((t) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  return { rows: Object.fromEntries(TABLES.map((t, i) => [t, counts[i]!.results[0]!.n])), bytes: counts[0]!.meta.size_after };
}

describe("retention under constant load", () => {
  it("brings every table to a steady size: after the longest age, each hour deletes what it adds", async () => {
    expect(TABLE_NAMES).toEqual(expect.arrayContaining([...TABLES]));
    const run = crypto.randomUUID().slice(0, 8);
    const rules = retentionRules({ ...env, ...VARS });
    const start = Date.now() - HOURS * HOUR;
    const before = await measure();
    const series: { hour: number; rows: Record<string, number>; bytes: number; deleted: number }[] = [];
    for (let hour = 0; hour < HOURS; hour++) {
      const now = start + hour * HOUR;
      await addHour(run, now);
      const report = await runRetention(env.DB, rules, now);
      expect(report.errors).toEqual({});
      expect(report.backlog).toEqual([]);
      const { rows, bytes } = await measure();
      series.push({ hour, rows: Object.fromEntries(TABLES.map((t) => [t, rows[t]! - before.rows[t]!])), bytes, deleted: Object.values(report.deleted).reduce((a, b) => a + b, 0) });
    }
    console.log(["hour  " + TABLES.join(" ") + " bytes deleted", ...series.map((s) => `${s.hour} ${TABLES.map((t) => s.rows[t]).join(" ")} ${s.bytes} ${s.deleted}`)].join("\n"));

    const steady = series.filter((s) => s.hour >= STEADY_FROM_HOUR);
    // Every hour from the steady point on holds exactly what the first steady hour held, table by table.
    for (const s of steady) expect(s.rows).toEqual(steady[0]!.rows);
    // …which is each table's hourly rows times the hours it keeps: its age, plus the current hour
    // (rows exactly at the cutoff stay) — except idempotency records, which go at their expiry.
    const rowsPerHour = { notifications: 200, deliveries: 200, idempotency_records: 200, messages: 60, message_deliveries: 120, outbox: 100, sync_deliveries: 60, behaviours: 30, presence: 20 };
    const hoursKept = { notifications: 7, deliveries: 7, idempotency_records: 2, messages: 5, message_deliveries: 5, outbox: 3, sync_deliveries: 5, behaviours: 4, presence: 6 };
    for (const t of TABLES) expect(steady[0]!.rows[t], t).toBe(rowsPerHour[t] * hoursKept[t]);
    // Deleted pages are reused: the file stops growing once it holds the steady rows.
    const sizeAtSteady = steady[0]!.bytes;
    expect(series.at(-1)!.bytes).toBeLessThanOrEqual(sizeAtSteady * 1.05);
  });
});
