/**
 * The one module that owns the SQL of D1 `notifications` (docs/api.md#notifications): set-based inserts, the reads
 * of the API, dispatch and sweepers, recall and edit, and retention. Ids are ULIDs, so id order
 * is creation order and a time is an id range.
 */
import { encodeTime } from "ulidx";
import { chunkByBytes, MAX_QUEUE_DELAY_SECONDS } from "../lib/queue";
import type { DispatchRow } from "../notifications/dispatch";
import { deliveryStatusRank, type AckedReceipt, type DeliveryStatus } from "./deliveries";
import type { notifications } from "./schema";
import { UNFLATTENED } from "./json-rows";

type Notification = typeof notifications.$inferSelect;

/** JSON parameter budget per statement, under D1's 100 KB statement limit (a batch may name ~100,000 ids). */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * The statement inserting the notifications of `json` (a JSON array of `NotificationRow`s, see
 * src/notifications/store.ts). `enqueued_at` is set at creation for rows due within the queue's
 * 12 h delay cap; rows further out keep it NULL for the sweeper. A row with `in_app` among its
 * channels starts its in-app state `queued`. `OFFSET 0` keeps SQLite from
 * flattening the row subquery into the insert ({@link UNFLATTENED}): flattened, it renders and
 * parses each row's JSON again for every column it reads, about twice the statement's time.
 * A row whose id, or whose key held in its scope, is taken is not inserted (`ON CONFLICT DO
 * NOTHING`): the statement's `meta.changes` counts the rows it created.
 * @param guard.claimedScope insert a row only if the idempotency record (scope, row.idempotencyKey)
 *        names its id as `resource_id`: only the claim that won the record's primary key creates.
 * @param guard.held the row *is* the record of its key in `held.scope` (docs/api.md#idempotency):
 *        it holds the key until its `createdAt` + `held.ttlMs`, and the unique
 *        `notifications_idempotency_key` decides a race; a row is also not inserted while any
 *        `idempotency_records` row of that scope (a broadcast's) names the key — see
 *        {@link releaseExpiredKeysStatement} and `deleteClaimableRecordsStatement` for taking an expired one over.
 * @param guard.onlyIf a further SQL condition over the row `v` (e.g. `OWNER_NOTIFICATION_MARKED`).
 */
export function insertNotificationsStatement(
  db: D1Database,
  json: string,
  guard: { claimedScope?: string; held?: { scope: string; ttlMs: number }; onlyIf?: string } = {},
): D1PreparedStatement {
  const claimed = guard.claimedScope
    ? `AND EXISTS (SELECT 1 FROM idempotency_records r WHERE r.scope = ?3 AND r.key = v->>'idempotencyKey' AND r.resource_id = v->>'id')`
    : "AND ?3 IS NULL";
  const unrecorded = guard.held ? `AND NOT EXISTS (SELECT 1 FROM idempotency_records r WHERE r.scope = ?4 AND r.key = v->>'idempotencyKey')` : "";
  return db
    .prepare(
      `INSERT INTO notifications (id, user_id, idempotency_key, fingerprint, template, data, title, body, channels,
         priority, created_at, updated_at, expires_at, dispatch_after, enqueued_at, category, critical, tags, actions, in_app_status,
         key_scope, key_expires_at)
       SELECT v->>'id', v->>'userId', v->>'idempotencyKey', v->>'fingerprint', v->>'template', v->'data',
         v->>'title', v->>'body', v->'channels', v->>'priority', v->>'createdAt', v->>'createdAt',
         v->>'expiresAt', v->>'dispatchAfter',
         CASE WHEN (v->>'dispatchAfter') - (v->>'createdAt') > ?2 THEN NULL ELSE v->>'createdAt' END,
         v->>'category', v->>'critical', v->'tags', v->'actions',
         CASE WHEN EXISTS (SELECT 1 FROM json_each(v->'channels') WHERE value = 'in_app') THEN 'queued' END,
         CASE WHEN v->>'idempotencyKey' IS NOT NULL THEN ?4 END,
         CASE WHEN v->>'idempotencyKey' IS NOT NULL AND ?4 IS NOT NULL THEN (v->>'createdAt') + ?5 END
       FROM (SELECT value AS v FROM json_each(?1) ${UNFLATTENED}) WHERE true ${claimed} ${unrecorded} ${guard.onlyIf ? `AND ${guard.onlyIf}` : ""}
       ON CONFLICT DO NOTHING`,
    )
    .bind(json, MAX_QUEUE_DELAY_SECONDS * 1000, guard.claimedScope ?? null, guard.held?.scope ?? null, guard.held?.ttlMs ?? null);
}

/**
 * The statement by which a request takes over keys (a JSON array, under ~90 KB) whose holding
 * notification in `scope` expired at or before `now` (ms): the old row stops holding its key
 * (`key_scope` NULL; it keeps `idempotency_key`, so `GET /v1/notifications?idempotencyKey=` still
 * finds it) and leaves the unique index free for the request's insert in the same transaction.
 * Docs/api.md#idempotency: past its TTL a key creates anew.
 */
export function releaseExpiredKeysStatement(db: D1Database, scope: string, keysJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE notifications SET key_scope = NULL WHERE idempotency_key IN (SELECT value FROM json_each(?2)) AND key_scope = ?1 AND key_expires_at <= ?3`)
    .bind(scope, keysJson, now);
}

/** A notification holding its idempotency key, as a replay and the batch judge read it: the columns of `acceptedBody` and the key's. */
export interface KeyHolder {
  key: string;
  id: string;
  fingerprint: string | null;
  userId: string;
  channels: string[];
  priority: Notification["priority"];
  createdAt: number;
  dispatchAfter: number;
  expiresAt: number | null;
  keyExpiresAt: number;
}

/** The notification holding `key` in `scope` (expired or not), or null. One index seek. */
export async function readKeyHolder(db: D1Database, scope: string, key: string): Promise<KeyHolder | null> {
  const row = await db
    .prepare(
      `SELECT idempotency_key AS key, id, fingerprint, user_id AS userId, channels, priority, created_at AS createdAt, dispatch_after AS dispatchAfter,
         expires_at AS expiresAt, key_expires_at AS keyExpiresAt
       FROM notifications WHERE idempotency_key = ?2 AND key_scope = ?1`,
    )
    .bind(scope, key)
    .first<Omit<KeyHolder, "channels"> & { channels: string }>();
  return row === null ? null : { ...row, channels: JSON.parse(row.channels) as string[] };
}

/**
 * A statement that fails — rolling back the `batch()` it ends — when fewer than `ids.length` of
 * `ids` exist, i.e. when not every insert before it created its row (an atomic batch:
 * docs/api.md#batch-idempotency). SQLite has no RAISE outside triggers, so the failure is `json()`
 * of invalid text ("malformed JSON"), evaluated only then. Keep `ids` under ~90 KB of JSON.
 */
export function allInsertedGuardStatement(db: D1Database, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT CASE WHEN (SELECT COUNT(*) FROM notifications WHERE id IN (SELECT value FROM json_each(?1))) < ?2
         THEN json('atomic batch: not every key is new') END`,
    )
    .bind(JSON.stringify(ids), ids.length);
}

/** Which of `ids` exist (one query; keep `ids` under ~90 KB of JSON). */
export async function existingNotificationIds(db: D1Database, ids: readonly string[]): Promise<Set<string>> {
  const { results } = await db
    .prepare(`SELECT id FROM notifications WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

/**
 * A notification as `GET /v1/notifications/{id}` reads it: its columns (camelCase, typed from
 * schema.ts; `data` and `channels` as their stored JSON text) and `deliveries`, a JSON array of
 * `{channel, status, reason, deliverAt, attempts, lastError, sentAt, deliveredAt, readAt}` folded in by SQLite:
 * the in-app one from the row's own columns (its one attempt is the inbox taking it), the others from `deliveries`.
 */
export type NotificationViewRow = Pick<
  Notification,
  "id" | "userId" | "idempotencyKey" | "template" | "title" | "body" | "priority" | "createdAt" | "updatedAt" | "dispatchAfter" | "expiresAt" | "dispatchedAt" | "recalledAt" | "category"
> & { data: string | null; channels: string; deliveries: string; critical: number; tags: string | null; actions: string | null };

// One query per page: deliveries are folded into a JSON array by SQLite, not fetched per row.
const SELECT_VIEW = `
  SELECT n.id, n.user_id AS userId, n.idempotency_key AS idempotencyKey, n.template, n.title, n.body, n.data, n.channels, n.priority,
         n.created_at AS createdAt, n.updated_at AS updatedAt, n.dispatch_after AS dispatchAfter, n.expires_at AS expiresAt,
         n.dispatched_at AS dispatchedAt, n.recalled_at AS recalledAt, n.category, n.critical, n.tags, n.actions,
         (SELECT json_group_array(json_object('channel', d.channel, 'status', d.status, 'reason', d.reason, 'deliverAt', d.deliver_at, 'attempts', d.attempts,
                 'lastError', d.last_error, 'sentAt', d.sent_at, 'deliveredAt', d.delivered_at, 'readAt', d.read_at))
          FROM (SELECT 'in_app' AS channel, n.in_app_status AS status, n.in_app_reason AS reason, NULL AS deliver_at, n.in_app_sent_at IS NOT NULL AS attempts,
                       NULL AS last_error, n.in_app_sent_at AS sent_at, n.in_app_delivered_at AS delivered_at, n.in_app_read_at AS read_at
                WHERE n.in_app_status IS NOT NULL
                UNION ALL
                SELECT channel, status, reason, deliver_at, attempts, last_error, sent_at, delivered_at, read_at FROM deliveries WHERE notification_id = n.id) AS d) AS deliveries
  FROM notifications n`;

/** One notification by id, or the newest created with an idempotency key; null if none. */
export async function findNotificationView(db: D1Database, by: { id: string } | { idempotencyKey: string }): Promise<NotificationViewRow | null> {
  return "id" in by
    ? db.prepare(`${SELECT_VIEW} WHERE n.id = ?1`).bind(by.id).first<NotificationViewRow>()
    : db.prepare(`${SELECT_VIEW} WHERE n.idempotency_key = ?1 ORDER BY n.id DESC LIMIT 1`).bind(by.idempotencyKey).first<NotificationViewRow>();
}

/** Up to `limit` of a user's notifications with ids below `before`, newest first, optionally with in-app delivery `status`. */
export async function listNotificationViews(
  db: D1Database,
  opts: { userId: string; limit: number; before: string; status: DeliveryStatus | null },
): Promise<NotificationViewRow[]> {
  const { results } = await db
    .prepare(
      `${SELECT_VIEW} WHERE n.user_id = ?1 AND n.id < ?2
       AND (?3 IS NULL OR n.in_app_status = ?3)
       ORDER BY n.id DESC LIMIT ?4`,
    )
    .bind(opts.userId, opts.before, opts.status, opts.limit)
    .all<NotificationViewRow>();
  return results;
}

interface DispatchRecord {
  id: string;
  user_id: string;
  title: string | null;
  body: string | null;
  data: string | null;
  priority: Notification["priority"];
  channels: string;
  created_at: number;
  expires_at: number | null;
  dispatch_after: number;
  dispatched_at: number | null;
  version: number;
  recalled_at: number | null;
  category: string;
  critical: number;
  tags: string | null;
  actions: string | null;
}

/** Loads notification rows by id for the dispatcher: one statement per ~90 KB of ids, all in one D1 batch. */
export async function loadDispatchRows(db: D1Database, ids: string[]): Promise<(DispatchRow & { dispatchedAt: number | null; recalledAt: number | null })[]> {
  const statement = db.prepare(
    `SELECT id, user_id, title, body, data, priority, channels, created_at, expires_at, dispatch_after, dispatched_at, version, recalled_at, category, critical, tags, actions
     FROM notifications WHERE id IN (SELECT value FROM json_each(?1))`,
  );
  const chunks = chunkByBytes(ids, STATEMENT_JSON_BYTES);
  if (chunks.length === 0) return [];
  const results = (await db.batch<DispatchRecord>(chunks.map((chunk) => statement.bind(JSON.stringify(chunk))))).flatMap((r) => r.results);
  return results.map((r) => ({
    id: r.id,
    userId: r.user_id,
    title: r.title,
    body: r.body,
    data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown> | null),
    priority: r.priority,
    channels: JSON.parse(r.channels) as string[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    dispatchAfter: r.dispatch_after,
    dispatchedAt: r.dispatched_at,
    version: r.version,
    recalledAt: r.recalled_at,
    category: r.category,
    critical: r.critical === 1,
    tags: r.tags === null ? null : (JSON.parse(r.tags) as string[]),
    actions: r.actions === null ? null : (JSON.parse(r.actions) as { label: string; url: string }[]),
  }));
}

/** Statements setting `dispatched_at = now` (ms) on `ids` not dispatched yet, one per ~90 KB of ids. */
export function markDispatchedStatements(db: D1Database, ids: readonly string[], now: number): D1PreparedStatement[] {
  const statement = db.prepare(`UPDATE notifications SET dispatched_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND dispatched_at IS NULL`);
  return chunkByBytes(ids, STATEMENT_JSON_BYTES).map((chunk) => statement.bind(JSON.stringify(chunk), now));
}

/**
 * The statement moving the in-app state of the notifications of `receipts` to `status`, each at
 * its own time (ms), monotonic by rank: receipts arriving out of order or twice (queues are
 * at-least-once, unordered) never regress it, and `recalled` wins over everything. `sent`,
 * `delivered` and `read` also fill their times (read implies delivered: at the receipt's
 * `deliveredAt` when it has one, else at its time; delivered implies sent: at its `sentAt`, else
 * its `deliveredAt`, else its time). A `sent` receipt, or one carrying a `sentAt` (the inbox took
 * the item from the fast path, with no dispatch message: src/inbox/mirror.ts), also marks the
 * notification dispatched at that time if it is not yet, whatever its rank — one row update for
 * both. A notification without `in_app` is left alone. An id given twice takes its earliest times.
 * Keep `receipts` under ~90 KB of JSON; pair it with `countAdvanceStatement` (./counters), run just before it.
 */
export function advanceInAppStatement(db: D1Database, status: DeliveryStatus, receipts: readonly AckedReceipt[]): D1PreparedStatement {
  const moves = `(notifications.in_app_status IS NOT NULL AND ${deliveryStatusRank("?1")} > ${deliveryStatusRank("notifications.in_app_status")})`;
  const sentAt = `CASE WHEN ?1 = 'sent' THEN r.at ELSE r.sent END`;
  return db
    .prepare(
      `UPDATE notifications SET
         in_app_status = CASE WHEN ${moves} THEN ?1 ELSE in_app_status END,
         in_app_sent_at = CASE WHEN ${moves} AND ?1 IN ('sent', 'delivered', 'read') THEN COALESCE(in_app_sent_at, r.sent, r.acked, r.at) ELSE in_app_sent_at END,
         in_app_delivered_at = CASE WHEN ${moves} AND ?1 IN ('delivered', 'read') THEN COALESCE(in_app_delivered_at, r.acked, r.at) ELSE in_app_delivered_at END,
         in_app_read_at = CASE WHEN ${moves} AND ?1 = 'read' THEN COALESCE(in_app_read_at, r.at) ELSE in_app_read_at END,
         dispatched_at = COALESCE(dispatched_at, ${sentAt})
       FROM (SELECT value->>0 AS id, MIN(value->>1) AS at, MIN(value->>2) AS acked, MIN(value->>3) AS sent FROM json_each(?2) GROUP BY value->>0) AS r
       WHERE notifications.id = r.id AND (${moves} OR (notifications.dispatched_at IS NULL AND ${sentAt} IS NOT NULL))`,
    )
    .bind(status, JSON.stringify(receipts));
}

/**
 * The statement marking the in-app state of the notifications of `skipsJson` (a JSON array of
 * `{id, channel, reason}`, under ~90 KB; entries of other channels are left to
 * `skipDeliveriesStatement` in ./deliveries) `skipped` with its reason (docs/api.md#preferences),
 * only where it is still `queued`. Pair it with `countSkipsStatement` (./counters), run just before it.
 */
export function skipInAppStatement(db: D1Database, skipsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE notifications SET in_app_status = 'skipped', in_app_reason = s.v->>'reason'
       FROM (SELECT value AS v FROM json_each(?1)) AS s
       WHERE notifications.id = s.v->>'id' AND s.v->>'channel' = 'in_app' AND notifications.in_app_status = 'queued'`,
    )
    .bind(skipsJson);
}

/** For `GET /v1/stats`: in-app delivery counts by status of notifications with ids ≥ `sinceId` (a ULID time prefix), as `{channel, status, n}`. */
export function inAppCountsStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db
    .prepare(`SELECT 'in_app' AS channel, in_app_status AS status, COUNT(*) AS n FROM notifications WHERE id >= ?1 AND in_app_status IS NOT NULL GROUP BY in_app_status`)
    .bind(sinceId);
}

/** For `GET /v1/stats`: the latest 1,000 in-app deliveries sent, as `{id, at}` (`at` = when the inbox took it, ms), ids ≥ `sinceId`. */
export function inAppSentStatement(db: D1Database, sinceId: string): D1PreparedStatement {
  return db
    .prepare(`SELECT id, in_app_sent_at AS at FROM notifications WHERE id >= ?1 AND in_app_sent_at IS NOT NULL ORDER BY id DESC LIMIT 1000`)
    .bind(sinceId);
}

/**
 * Undispatched notifications to (re-)enqueue, oldest due first: never enqueued and due by
 * `dueBy`, or due and enqueued at or before `strandedBefore` (all ms). Uses `notifications_undispatched`.
 */
export async function strandedNotifications(db: D1Database, opts: { dueBy: number; strandedBefore: number; limit: number }): Promise<{ id: string; dispatchAfter: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, dispatch_after AS dispatchAfter FROM notifications
       WHERE dispatched_at IS NULL AND dispatch_after <= ?1
         AND (enqueued_at IS NULL OR (dispatch_after <= ?2 AND enqueued_at <= ?2))
       ORDER BY dispatch_after LIMIT ?3`,
    )
    .bind(opts.dueBy, opts.strandedBefore, opts.limit)
    .all<{ id: string; dispatchAfter: number }>();
  return results;
}

/** Records that `ids` were put on the dispatch queue at `now` (ms). */
export async function markEnqueued(db: D1Database, ids: readonly string[], now: number): Promise<void> {
  await db.prepare(`UPDATE notifications SET enqueued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids), now).run();
}

/**
 * Recalls notification `id` at `now` (ms); recalling again keeps the first recall's time.
 * @returns its user and channels, or null if no such notification.
 */
export async function recallNotification(db: D1Database, id: string, now: number): Promise<{ userId: string; channels: string[] } | null> {
  // Right-hand sides see the row before the update: the first recall's time is kept.
  const row = await db
    .prepare(
      `UPDATE notifications SET recalled_at = COALESCE(recalled_at, ?2), updated_at = CASE WHEN recalled_at IS NULL THEN ?2 ELSE updated_at END
       WHERE id = ?1 RETURNING user_id AS userId, channels`,
    )
    .bind(id, now)
    .first<{ userId: string; channels: string }>();
  return row ? { userId: row.userId, channels: JSON.parse(row.channels) as string[] } : null;
}

/**
 * Recalls whose in-app delivery is still not `recalled`, made at or before `before` (ms), oldest
 * first. Along `notifications_unsettled_recalls`, which holds only those: settled recalls are not walked.
 */
export async function unsettledRecalls(db: D1Database, before: number, limit: number): Promise<{ id: string; userId: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT n.id, n.user_id AS userId FROM notifications n
       WHERE n.recalled_at IS NOT NULL AND n.recalled_at <= ?1 AND n.in_app_status <> 'recalled'
       ORDER BY n.recalled_at LIMIT ?2`,
    )
    .bind(before, limit)
    .all<{ id: string; userId: string }>();
  return results;
}

/** An edit as the inbox takes it: the content at `version`. */
export interface EditedContent {
  id: string;
  userId: string;
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  version: number;
}

interface EditedRecord {
  id: string;
  userId: string;
  title: string | null;
  body: string | null;
  data: string | null;
  version: number;
  channels: string;
}

const toEdited = (r: EditedRecord): EditedContent & { channels: string[] } => ({
  id: r.id,
  userId: r.userId,
  title: r.title,
  body: r.body,
  data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown> | null),
  version: r.version,
  channels: JSON.parse(r.channels) as string[],
});

/**
 * Edits notification `id` unless recalled: replaces the fields given (`data: null` clears it) and
 * bumps `version`. A notification without `in_app` has no inbox to tell, so its `inbox_version`
 * follows at once; otherwise it waits for {@link confirmInboxVersions}.
 * @param now ms. @returns the new content, or null when there is no such live notification.
 */
export async function editNotification(
  db: D1Database,
  id: string,
  patch: { title?: string; body?: string; data?: Record<string, unknown> | null },
  now: number,
): Promise<(EditedContent & { channels: string[] }) | null> {
  const row = await db
    .prepare(
      `UPDATE notifications SET
         title = CASE WHEN ?2 THEN ?3 ELSE title END,
         body = CASE WHEN ?4 THEN ?5 ELSE body END,
         data = CASE WHEN ?6 THEN ?7 ELSE data END,
         version = version + 1, updated_at = ?8,
         inbox_version = iif(in_app_status IS NOT NULL, inbox_version, version + 1)
       WHERE id = ?1 AND recalled_at IS NULL
       RETURNING id, user_id AS userId, channels, title, body, data, version`,
    )
    .bind(
      id,
      patch.title !== undefined ? 1 : 0,
      patch.title ?? null,
      patch.body !== undefined ? 1 : 0,
      patch.body ?? null,
      patch.data !== undefined ? 1 : 0,
      patch.data ? JSON.stringify(patch.data) : null,
      now,
    )
    .first<EditedRecord>();
  return row ? toEdited(row) : null;
}

/** Whether notification `id` exists. */
export async function notificationExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 FROM notifications WHERE id = ?1`).bind(id).first()) !== null;
}

/**
 * Records that the users' inboxes took the edits `[id, version]`: `inbox_version` only grows, so
 * an older confirmation arriving late changes nothing.
 */
export async function confirmInboxVersions(db: D1Database, confirmed: readonly [id: string, version: number][]): Promise<void> {
  if (confirmed.length === 0) return;
  await db
    .prepare(
      `UPDATE notifications SET inbox_version = c.version
       FROM (SELECT value->>0 AS id, MAX(value->>1) AS version FROM json_each(?1) GROUP BY value->>0) AS c
       WHERE notifications.id = c.id AND notifications.inbox_version < c.version`,
    )
    .bind(JSON.stringify(confirmed))
    .run();
}

/**
 * Edits not confirmed by the inbox (`version > inbox_version`) of live notifications, last
 * changed at or before `before` (ms), oldest first, with their current content. Uses the partial
 * index `notifications_unconfirmed_edits`.
 */
export async function unconfirmedEdits(db: D1Database, before: number, limit: number): Promise<EditedContent[]> {
  const { results } = await db
    .prepare(
      `SELECT id, user_id AS userId, channels, title, body, data, version FROM notifications
       WHERE version > inbox_version AND recalled_at IS NULL AND updated_at <= ?1
       ORDER BY updated_at LIMIT ?2`,
    )
    .bind(before, limit)
    .all<EditedRecord>();
  return results.map(toEdited);
}

/**
 * Retention (docs/data-model.md#retention): deletes at most `limit` notifications created before `before` (ms),
 * with their deliveries, in one transaction. Only finished ones go: never one still undispatched
 * (due work the sweeper will send, or scheduled), never one with a delivery still `queued`
 * (in-app, or an email, SMS or push not sent yet), never one a waiting dead letter names (its redrive must find
 * it), never one still holding its idempotency key at `now` (ms; the row is the key's record, so
 * a retention shorter than `IDEMPOTENCY_TTL_HOURS` must not free the key early). Ids are ULIDs, so
 * "created before" is a primary-key range; the deliveries are found by
 * their primary key (the unary `+` keeps it so, whatever index a status may get).
 * @returns notifications deleted.
 */
export async function purgeNotifications(db: D1Database, before: number, limit: number, now = Date.now()): Promise<number> {
  const finished = `SELECT id FROM notifications n WHERE n.id < ?1 AND n.created_at < ?2 AND n.dispatched_at IS NOT NULL AND n.in_app_status IS NOT 'queued'
    AND (n.key_expires_at IS NULL OR n.key_expires_at <= ?4)
    AND NOT EXISTS (SELECT 1 FROM deliveries q WHERE q.notification_id = n.id AND +q.status = 'queued')
    AND NOT EXISTS (SELECT 1 FROM dead_letters dl WHERE dl.source = 'channel' AND dl.source_id IN (n.id || ':email', n.id || ':sms', n.id || ':push'))
    ORDER BY n.id LIMIT ?3`;
  const idBound = encodeTime(before, 10);
  const [, notificationsDeleted] = await db.batch([
    db.prepare(`DELETE FROM deliveries WHERE notification_id IN (SELECT id FROM (${finished}))`).bind(idBound, before, limit, now),
    db.prepare(`DELETE FROM notifications WHERE id IN (SELECT id FROM (${finished}))`).bind(idBound, before, limit, now),
  ]);
  return notificationsDeleted!.meta.changes;
}
