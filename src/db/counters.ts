/**
 * The one module that owns the SQL of D1 `counters`: monotonic counters for `GET /metrics` and
 * `GET /v1/stats` (docs/api.md#stats-and-metrics). Counts are since the database began; the
 * table holds one row per name (a bounded set: names × labels below), so it needs no retention.
 *
 * Two ways in. The in-app path's counts (`queued`, `sent`, `delivered`, `read`, the delivery
 * histogram) are {@link countingStatement}s: SELECTs in the transaction doing the work, so a
 * rolled-back transaction counts nothing, whose figures go to the isolate's buffer
 * (./counter-buffer), which reaches D1 as one coalesced upsert per counter
 * ({@link flushCountersStatement}) about once a second at most, so a notification's status changes
 * write no counter row of their own (rows written are what D1 bills, docs/cost.md). Behaviour
 * counts and published topic messages wait in the same buffer.
 * The rarer counts (batches, dead letters, webhooks, broadcasts) still upsert inside the
 * transaction that does the work.
 *
 * Names are dotted; src/stats/metrics.ts maps each prefix to a Prometheus family and its labels:
 * - `notifications.<channel>.<status>`: deliveries of notifications (one per channel) reaching a
 *   status: `queued` at acceptance, then `sent`, `delivered`, `read` (each counted once, the
 *   first time its timestamp is set), `failed`, `expired`, `recalled`, `skipped`;
 * - `topic_messages.published`; `topic_deliveries.<status>` and `sync_deliveries.<status>`:
 *   webhook deliveries finishing (`succeeded`, `failed`, `dead`);
 * - `dead_letters.<created|redriven|discarded>.<source>`;
 * - histograms (`<name>.bucket.<le>` per bucket, not cumulative, `<name>.count`, `<name>.sum_ms`):
 *   `inapp_delivery_seconds` and `webhook_duration_seconds.<topic|sync>`;
 * - the fixed names of {@link COUNTER_NAMES} (batch, behaviours, skips, broadcasts).
 */
import { deliveryStatusRank } from "./deliveries";

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

/** Upserts (name, n) rows chosen by a SELECT: the tail every counting statement below shares. */
const ADD = `ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`;

/** One statement adding `deltas` (counter name → amount) to their counters (zeros skipped), set-based. */
export function bumpCounters(db: D1Database, deltas: Partial<Record<CounterName, number>> | Record<string, number>): D1PreparedStatement {
  const rows = Object.entries(deltas)
    .filter(([, n]) => n !== undefined && n !== 0)
    .map(([name, n]) => ({ name, n }));
  return db.prepare(`INSERT INTO counters (name, value) SELECT value->>'name', value->>'n' FROM json_each(?1) WHERE true ${ADD}`).bind(JSON.stringify(rows));
}

/** The fixed counters of {@link COUNTER_NAMES} out of every counter (missing ones are 0). */
export function fixedCounters(all: ReadonlyMap<string, number>): Record<CounterName, number> {
  return Object.fromEntries(COUNTER_NAMES.map((n) => [n, all.get(n) ?? 0])) as Record<CounterName, number>;
}

/** Every counter as `{name, value}` rows: one read of a table of a few hundred rows at most. */
export function readAllCountersStatement(db: D1Database): D1PreparedStatement {
  return db.prepare(`SELECT name, value FROM counters`);
}


/** The statements whose rows `{name, value}` are counts to buffer once their batch committed. */
const counting = new WeakSet<D1PreparedStatement>();

/**
 * Marks `statement` (a SELECT of `name`, `value` rows, run in the transaction doing the work) as
 * counts that `countedBatch` (./counter-buffer) adds to the isolate's buffer once it committed.
 */
export function countingStatement(statement: D1PreparedStatement): D1PreparedStatement {
  counting.add(statement);
  return statement;
}

/** Whether `statement` was marked by {@link countingStatement}. */
export const isCountingStatement = (statement: D1PreparedStatement): boolean => counting.has(statement);

/**
 * One upsert per counter of `deltas`, in one statement (an object's `json_each`: its keys are the
 * names): the isolate buffer's flush (./counter-buffer). Its own SQL text, apart from
 * {@link bumpCounters}', so the cost ledger can tell flushes apart (src/lib/cost-flushes.ts).
 */
export function flushCountersStatement(db: D1Database, deltas: ReadonlyMap<string, number>): D1PreparedStatement {
  return db.prepare(`INSERT INTO counters (name, value) SELECT key, value FROM json_each(?1) WHERE true ${ADD}`).bind(JSON.stringify(Object.fromEntries(deltas)));
}

// ---------------------------------------------------------------------------------------------
// Histograms: one counter row per bucket — the observations above the previous bound and within
// its own, so an observation writes one bucket row; the scrape sums them into Prometheus's
// cumulative buckets — plus `.count` and `.sum_ms`. Observations are added per batch with one statement, never a row per sample.
// ---------------------------------------------------------------------------------------------

/**
 * Upper bounds (seconds) of `inapp_delivery_seconds`: acceptance to the device's ack. Spans the
 * sub-second path of an online user to a day offline.
 */
export const INAPP_DELIVERY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400] as const;
/** Upper bounds (seconds) of `webhook_duration_seconds`: one attempt, request to answer; attempts time out at 15 s (docs/api.md#user-sync). */
export const WEBHOOK_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15] as const;
/** Which webhook sender an attempt belongs to (the `target` label). */
export type WebhookTarget = "topic" | "sync";

/**
 * One statement adding the webhook attempts that took `latenciesMs` (ms; nulls, attempts
 * without an answer time, are left out) to `webhook_duration_seconds.<target>`. Run it in the
 * transaction that records those attempts, so an attempt is observed once per recorded outcome.
 */
export function observeWebhookDurationsStatement(db: D1Database, target: WebhookTarget, latenciesMs: readonly (number | null)[]): D1PreparedStatement {
  const name = `webhook_duration_seconds.${target}`;
  const samples = latenciesMs.filter((ms): ms is number => ms !== null);
  const deltas: Record<string, number> = { [`${name}.count`]: samples.length, [`${name}.sum_ms`]: samples.reduce((a, b) => a + b, 0) };
  // Each sample into its own bucket only (the smallest bound it is within; none past the last:
  // `+Inf` is the count). The scrape sums them into the cumulative buckets (src/stats/metrics.ts).
  for (const ms of samples) {
    const le = WEBHOOK_DURATION_BUCKETS.find((bound) => ms <= bound * 1000);
    if (le !== undefined) deltas[`${name}.bucket.${le}`] = (deltas[`${name}.bucket.${le}`] ?? 0) + 1;
  }
  return bumpCounters(db, deltas);
}

// ---------------------------------------------------------------------------------------------
// Counting statements that read the work's table: each runs just before (or after, as its doc
// says) the statement doing the work, in the same transaction, and counts exactly the rows that
// statement changes, so a retried or redelivered batch counts nothing twice.
// ---------------------------------------------------------------------------------------------

/**
 * Counts into `notifications.<channel>.queued` the email/SMS/push deliveries
 * `insertQueuedDeliveriesStatement` (./deliveries) is about to create for `idsJson` (the same
 * parameter, a JSON array of notification ids): notifications that exist (the conditional insert
 * before it created them) and have no such delivery yet. Run it between the two, through
 * `countedBatch` (./counter-buffer) (a {@link countingStatement}: it writes nothing). Reads `notifications`, `deliveries`.
 */
export function countQueuedDeliveriesStatement(db: D1Database, idsJson: string): D1PreparedStatement {
  return countingStatement(
    db
      .prepare(
        `SELECT 'notifications.' || c.value || '.queued' AS name, COUNT(*) AS value FROM json_each(?1) AS i, notifications x, json_each(x.channels) AS c
         WHERE x.id = i.value AND c.value <> 'in_app'
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = x.id AND d.channel = c.value)
         GROUP BY c.value`,
      )
      .bind(idsJson),
  );
}

/**
 * Counts into `notifications.in_app.queued` the in-app deliveries a conditional notifications
 * insert creates — their state is columns of the row it inserts, so there is no later insert to
 * count ahead of: run this with `sign` -1 just before that insert and with +1 just after it, on
 * the same `idsJson` (a JSON array of the ids of the rows with `in_app` among their channels),
 * through `countedBatch` (./counter-buffer). The two add up to the rows that exist after and did not before:
 * the ones this insert created, however its guard or a conflict kept the others out.
 * Reads `notifications`.
 */
export function countInAppQueuedStatement(db: D1Database, idsJson: string, sign: 1 | -1): D1PreparedStatement {
  return countingStatement(
    db
      .prepare(`SELECT 'notifications.in_app.queued' AS name, ?2 * COUNT(*) AS value FROM notifications WHERE id IN (SELECT value FROM json_each(?1))`)
      .bind(idsJson, sign),
  );
}

/**
 * Counts what `advanceInAppStatement` (./notifications) is about to do with the same `status`
 * and `receiptsJson` (JSON `[[id, atMs, deliveredAtMs?], ...]`), run just before it: in-app deliveries reaching
 * `sent`, `delivered`, `read` for the first time (their timestamp still unset), or moving to
 * `expired`/`recalled`/`failed`; and, for first deliveries, observes acceptance (the
 * notification's `created_at`) → ack (the receipt's `deliveredAtMs`, else its time) in `inapp_delivery_seconds`. The
 * update moves a row only forward by rank, so the same condition here counts each move once.
 * One row per counter comes out of one SELECT over the figures (D1 caps compound SELECTs at a
 * few terms, so no UNION chain); the moved and acked rows are materialized once, not per bucket.
 * A {@link countingStatement}: run it through `countedBatch` (./counter-buffer); it writes nothing.
 * Reads `notifications`.
 */
export function countAdvanceStatement(db: D1Database, status: string, receiptsJson: string): D1PreparedStatement {
  // [counter, what it counts, bucket bound in s]: the names this status can move.
  const names: [string, string, number | null, number | null][] = [];
  if (status === "sent" || status === "delivered" || status === "read") names.push(["notifications.in_app.sent", "sent", null, null]);
  if (status === "delivered" || status === "read") {
    names.push(["notifications.in_app.delivered", "delivered", null, null], ["inapp_delivery_seconds.count", "count", null, null], ["inapp_delivery_seconds.sum_ms", "sum_ms", null, null]);
    // Each bucket counts the acks above the previous bound and within its own (not cumulative:
    // one ack writes one bucket row; the scrape sums them, src/stats/metrics.ts).
    INAPP_DELIVERY_BUCKETS.forEach((le, i) => names.push([`inapp_delivery_seconds.bucket.${le}`, "bucket", le, i === 0 ? -1 : INAPP_DELIVERY_BUCKETS[i - 1]!]));
  }
  if (status === "read") names.push(["notifications.in_app.read", "read", null, null]);
  if (status === "expired" || status === "recalled" || status === "failed") names.push([`notifications.in_app.${status}`, "moved", null, null]);
  return countingStatement(
    db
      .prepare(
        `WITH r AS (SELECT value->>0 AS id, COALESCE(MIN(value->>2), MIN(value->>1)) AS at FROM json_each(?2) GROUP BY value->>0),
         moved AS MATERIALIZED (
           SELECT r.at, n.created_at, n.in_app_sent_at AS sent_at, n.in_app_delivered_at AS delivered_at, n.in_app_read_at AS read_at FROM notifications n JOIN r ON n.id = r.id
           WHERE n.in_app_status IS NOT NULL AND ${deliveryStatusRank("?1")} > ${deliveryStatusRank("n.in_app_status")}),
         acked AS MATERIALIZED (SELECT MAX(at - created_at, 0) AS ms FROM moved WHERE delivered_at IS NULL),
         f AS (
           SELECT COUNT(*) AS moved, COUNT(*) FILTER (WHERE sent_at IS NULL) AS sent, COUNT(*) FILTER (WHERE delivered_at IS NULL) AS delivered,
             COUNT(*) FILTER (WHERE read_at IS NULL) AS "read", (SELECT COUNT(*) FROM acked) AS acked, (SELECT COALESCE(SUM(ms), 0) FROM acked) AS sum_ms FROM moved)
         SELECT name, v AS value FROM (
           SELECT k.value->>0 AS name, CASE k.value->>1 WHEN 'moved' THEN f.moved WHEN 'sent' THEN f.sent WHEN 'delivered' THEN f.delivered
             WHEN 'count' THEN f.acked WHEN 'read' THEN f."read" WHEN 'sum_ms' THEN f.sum_ms
             ELSE (SELECT COUNT(*) FROM acked WHERE ms <= (k.value->>2) * 1000 AND ms > (k.value->>3) * 1000) END AS v
           FROM json_each(?3) AS k, f)
         WHERE v > 0`,
      )
      .bind(status, receiptsJson, JSON.stringify(names)),
  );
}

/**
 * Counts the email/SMS/push outcomes `recordSendsStatement` (./deliveries) is about to record
 * for the same `updates` (`{id, channel, status}`), run just before it: deliveries still
 * `queued` moving to a final status, into `notifications.<channel>.<status>`. Reads `deliveries`.
 */
export function countSendsStatement(db: D1Database, updates: readonly { id: string; channel: string; status: string }[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'notifications.' || d.channel || '.' || (u.value->>'status'), COUNT(*) FROM json_each(?1) AS u
       JOIN deliveries d ON d.notification_id = u.value->>'id' AND d.channel = u.value->>'channel'
       WHERE d.status = 'queued' AND u.value->>'status' <> 'queued'
       GROUP BY d.channel, u.value->>'status' ${ADD}`,
    )
    .bind(JSON.stringify(updates.map(({ id, channel, status }) => ({ id, channel, status }))));
}

/**
 * Counts webhook deliveries that `updates` (`{id, status}`) finish, run just before the
 * statement recording them (`recordAttemptsStatement` in ./message-deliveries for `topic`,
 * `recordSyncAttemptsStatement` in ./sync-deliveries for `sync`): rows still `pending` given a
 * status other than `pending`, into `topic_deliveries.<status>` / `sync_deliveries.<status>`.
 * Reads `message_deliveries` or `sync_deliveries`.
 */
export function countFinishedWebhookDeliveriesStatement(db: D1Database, target: WebhookTarget, updates: readonly { id: string; status: string }[]): D1PreparedStatement {
  const [table, prefix] = target === "topic" ? ["message_deliveries", "topic_deliveries"] : ["sync_deliveries", "sync_deliveries"];
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT '${prefix}.' || (u.value->>'status'), COUNT(*) FROM json_each(?1) AS u JOIN ${table} d ON d.id = u.value->>'id'
       WHERE d.status = 'pending' AND u.value->>'status' <> 'pending'
       GROUP BY u.value->>'status' ${ADD}`,
    )
    .bind(JSON.stringify(updates.map(({ id, status }) => ({ id, status }))));
}

/**
 * Counts into `dead_letters.created.<source>` the letters of `json` (the parameter of one insert
 * statement in ./dead-letters, rows `{id, source}`) not stored yet, run just before that insert
 * (which skips ids already stored). Reads `dead_letters`.
 */
export function countDeadLettersCreatedStatement(db: D1Database, json: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (name, value)
       SELECT 'dead_letters.created.' || (l.value->>'source'), COUNT(*) FROM json_each(?1) AS l
       WHERE NOT EXISTS (SELECT 1 FROM dead_letters x WHERE x.id = l.value->>'id')
       GROUP BY l.value->>'source' ${ADD}`,
    )
    .bind(json);
}

/**
 * Counts the dead letter `id` into `dead_letters.<outcome>.<source>` if it is still stored; run
 * it just before the statement deleting it. Reads `dead_letters`.
 */
export function countDeadLetterRemovedStatement(db: D1Database, id: string, outcome: "redriven" | "discarded"): D1PreparedStatement {
  return db.prepare(`INSERT INTO counters (name, value) SELECT 'dead_letters.' || ?2 || '.' || source, 1 FROM dead_letters WHERE id = ?1 ${ADD}`).bind(id, outcome);
}

/**
 * Counts the skips of `skipsJson` (the JSON array of `Skip`-shaped (./deliveries) `{id, channel, reason}`
 * that `skipInAppStatement` in ./notifications and `skipDeliveriesStatement` in ./deliveries
 * take) that will take effect — an in-app state still `queued`, an email/SMS/push delivery still
 * `queued` with a free lease at `now` (ms) — into `deliveries.skipped.<reason>` and
 * `notifications.<channel>.skipped`. Run it just before those statements in the same transaction,
 * so a delivery skipped twice (a redelivered queue message) is counted once. Reads
 * `notifications`, `deliveries`.
 */
export function countSkipsStatement(db: D1Database, skipsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `WITH taking AS (
         SELECT s.value->>'reason' AS reason, 'in_app' AS channel FROM json_each(?1) AS s
         JOIN notifications n ON n.id = s.value->>'id' WHERE s.value->>'channel' = 'in_app' AND n.in_app_status = 'queued'
         UNION ALL
         SELECT s.value->>'reason', d.channel FROM json_each(?1) AS s
         JOIN deliveries d ON d.notification_id = s.value->>'id' AND d.channel = s.value->>'channel'
         WHERE d.status = 'queued' AND (d.locked_until IS NULL OR d.locked_until <= ?2))
       INSERT INTO counters (name, value)
       SELECT 'deliveries.skipped.' || reason, COUNT(*) FROM taking WHERE true GROUP BY reason
       UNION ALL SELECT 'notifications.' || channel || '.skipped', COUNT(*) FROM taking WHERE true GROUP BY channel
       ${ADD}`,
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
       ${ADD}`,
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
       ${ADD}`,
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
       ${ADD}`,
    )
    .bind(broadcastId, now);
}
