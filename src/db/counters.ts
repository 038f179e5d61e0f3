/**
 * The one module that owns the SQL of D1 `counters`: maintained counters for `GET /v1/stats`
 * (docs/api.md#stats-and-metrics). The work that happens bumps them, so reading the figures is a primary-key lookup
 * instead of a scan. Counts are since the database began; the table holds one row per name, so
 * it needs no retention.
 */

/** The counters Herald keeps. */
export const COUNTER_NAMES = [
  "batch.items",
  "batch.created",
  "batch.duplicate",
  "batch.conflict",
  "batch.invalid",
  "batch.failed",
  "behaviours.events",
  "behaviours.applied",
  "behaviours.duplicates_suppressed",
  "deliveries.skipped.preference",
  "deliveries.skipped.unsubscribed",
  "broadcasts.accepted",
  "broadcasts.recipients",
  "broadcasts.fanned_out",
  "broadcasts.completed_recipients",
  "broadcasts.completed_ms",
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** One statement adding `deltas` to their counters (zeros skipped), set-based. */
export function bumpCounters(db: D1Database, deltas: Partial<Record<CounterName, number>>): D1PreparedStatement {
  const rows = Object.entries(deltas)
    .filter(([, n]) => n !== undefined && n !== 0)
    .map(([name, n]) => ({ name, n }));
  return db
    .prepare(
      `INSERT INTO counters (name, value) SELECT value->>'name', value->>'n' FROM json_each(?1) WHERE true
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    )
    .bind(JSON.stringify(rows));
}

/** Reads every counter (missing ones are 0). */
export async function readCounters(db: D1Database): Promise<Record<CounterName, number>> {
  const { results } = await db.prepare(`SELECT name, value FROM counters`).all<{ name: CounterName; value: number }>();
  const out = Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Record<CounterName, number>;
  for (const r of results) if (r.name in out) out[r.name] = r.value;
  return out;
}

/**
 * Counts the skips of `skipsJson` (the JSON array `skipDeliveriesStatement` in ./deliveries takes)
 * that will take effect — deliveries still `queued` with a free lease at `now` (ms) — into
 * `deliveries.skipped.<reason>`. Run it just before that statement in the same transaction, so a
 * delivery skipped twice (a redelivered queue message) is counted once. Reads `deliveries`.
 */
export function countSkipsStatement(db: D1Database, skipsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'deliveries.skipped.' || (s.value->>'reason'), COUNT(*) FROM json_each(?1) AS s
       JOIN deliveries d ON d.notification_id = s.value->>'id' AND d.channel = s.value->>'channel'
       WHERE d.status = 'queued' AND (d.locked_until IS NULL OR d.locked_until <= ?2)
       GROUP BY s.value->>'reason'
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    )
    .bind(skipsJson, now);
}

/**
 * Counts an accepted broadcast (`broadcasts.accepted` +1, `broadcasts.recipients` + its snapshot
 * size), read from the row itself: run it after `insertBroadcastStatement` in the same
 * transaction, so a broadcast that was not inserted (a lost idempotency claim) counts nothing.
 * Reads `broadcasts`.
 */
export function countBroadcastAcceptedStatement(db: D1Database, broadcastId: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'broadcasts.accepted', 1 FROM broadcasts WHERE id = ?1
       UNION ALL SELECT 'broadcasts.recipients', recipients FROM broadcasts WHERE id = ?1
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    )
    .bind(broadcastId);
}

/**
 * Adds to `broadcasts.fanned_out` the recipients of `userIds` not yet fanned out. Run it first in
 * the transaction that marks them (src/queues/broadcasts.ts), so a redelivered chunk adds nothing.
 * Reads `broadcast_recipients`.
 */
export function countBroadcastFannedOutStatement(db: D1Database, broadcastId: string, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'broadcasts.fanned_out', COUNT(*) FROM broadcast_recipients
       WHERE broadcast_id = ?1 AND fanned_out_at IS NULL AND user_id IN (SELECT value FROM json_each(?2))
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    )
    .bind(broadcastId, JSON.stringify(userIds));
}

/**
 * When the transaction at `now` (ms) completed the broadcast, adds its recipients to
 * `broadcasts.completed_recipients` and its acceptance-to-completion time (ms) to
 * `broadcasts.completed_ms`: their ratio is the fan-out rate `/v1/stats` reports. Run it after
 * `countFannedOutStatement` (src/db/broadcasts.ts) in the same transaction; a broadcast completes
 * once, since later chunks find nobody pending. Reads `broadcasts`.
 */
export function countBroadcastCompletedStatement(db: D1Database, broadcastId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'broadcasts.completed_recipients', recipients FROM broadcasts WHERE id = ?1 AND status = 'completed' AND completed_at = ?2
       UNION ALL SELECT 'broadcasts.completed_ms', completed_at - created_at FROM broadcasts WHERE id = ?1 AND status = 'completed' AND completed_at = ?2
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    )
    .bind(broadcastId, now);
}
