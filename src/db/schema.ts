/**
 * Herald's D1 schema: the single source of truth. `npm run db:generate` (drizzle-kit) turns it
 * into SQL under migrations/, which wrangler applies locally, in production and in the tests.
 *
 * Times are integers in milliseconds since the epoch (UTC); the API renders them as ISO-8601.
 * Invariants live in unique indexes, not in check-then-insert code (seed problem: three writers
 * inserted the same behaviour row three times).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per (user, target, type), applied only by the behaviours queue consumer.
 * `active = 0` is a tombstone: a removed behaviour keeps its row so a late, older `add`
 * cannot resurrect it. Last writer wins on (`occurredAt`, `eventId`).
 */
export const behaviours = sqliteTable(
  "behaviours",
  {
    userId: text("user_id").notNull(),
    targetId: text("target_id").notNull(),
    type: text("type", { enum: ["like", "favorite", "follow", "share", "view", "comment"] }).notNull(),
    active: integer("active", { mode: "boolean" }).notNull(),
    occurredAt: integer("occurred_at").notNull(),
    eventId: text("event_id").notNull(),
    targetOwnerId: text("target_owner_id"),
    updatedAt: integer("updated_at").notNull(),
    /**
     * The notification that told the target's owner of this (actor, target, type), set once in
     * the transaction that creates it (docs/api.md#behaviours: once, ever — for as long as the row lives). It
     * stays after that notification is purged (90 days): it records that the owner was told.
     */
    ownerNotificationId: text("owner_notification_id"),
  },
  (t) => [
    uniqueIndex("behaviours_user_target_type").on(t.userId, t.targetId, t.type),
    index("behaviours_target_type_active").on(t.targetId, t.type, t.active),
    index("behaviours_user_active_occurred").on(t.userId, t.active, t.occurredAt),
    index("behaviours_event").on(t.eventId),
    index("behaviours_tombstones").on(t.updatedAt).where(sql`active = 0`),
  ],
);

/**
 * A notification as accepted. `idempotencyKey` records the key that created it (history
 * lookup); uniqueness of live keys is enforced by `idempotency_records`' primary key.
 * `dispatchAfter` is when it may go out (creation or `delaySeconds` later); `enqueuedAt` is
 * when it was last put on the dispatch queue, or handed to the HTTP fast path, which sends an
 * in-app-only row no message (src/notifications/dispatch.ts): either way the sweeper gives it a
 * minute from then; `dispatchedAt` is set once the inbox took it (the dispatch consumer, or the
 * receipts consumer from the inbox's `sent` report).
 * `version` grows with every edit (`PATCH`), so an inbox keeps the newest content whatever
 * order edits and dispatches reach it in; `recalledAt` is set once by `DELETE` (docs/api.md#recall-and-edit).
 * WITHOUT ROWID (migration 0012, which drizzle-kit cannot declare: docs/cost.md#indexes).
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    idempotencyKey: text("idempotency_key"),
    fingerprint: text("fingerprint"),
    template: text("template"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
    title: text("title"),
    body: text("body"),
    channels: text("channels", { mode: "json" }).$type<string[]>().notNull(),
    priority: text("priority", { enum: ["high", "normal", "low"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    expiresAt: integer("expires_at"),
    dispatchAfter: integer("dispatch_after").notNull(),
    enqueuedAt: integer("enqueued_at"),
    dispatchedAt: integer("dispatched_at"),
    version: integer("version").notNull().default(0),
    /** The highest `version` the user's inbox confirmed taking; below `version`, the sweeper repeats the edit. */
    inboxVersion: integer("inbox_version").notNull().default(0),
    recalledAt: integer("recalled_at"),
    /** Preference category (docs/api.md#preferences): the request's, else its template's, else `general`. */
    category: text("category").notNull().default("general"),
    /** Security alerts, one-time codes: bypasses preferences and quiet hours (docs/api.md#preferences). */
    critical: integer("critical", { mode: "boolean" }).notNull().default(false),
    /** Feed tags (docs/api.md#feed), carried to the inbox; null when none were given. */
    tags: text("tags", { mode: "json" }).$type<string[]>(),
    /** Feed action buttons `{label, url}` (docs/api.md#feed), carried to the inbox; null when none were given. */
    actions: text("actions", { mode: "json" }).$type<{ label: string; url: string }[]>(),
    /**
     * The in-app delivery's status, mirrored from the user's inbox; null when `channels` lacks
     * `in_app`. Its state lives on the notification's own row, not in `deliveries`, so it costs
     * no row of its own to insert, update or purge (migration 0014, docs/cost.md).
     */
    inAppStatus: text("in_app_status", { enum: ["queued", "sent", "delivered", "read", "failed", "expired", "recalled", "skipped"] }),
    /** Why the in-app delivery was `skipped` (docs/api.md#preferences). */
    inAppReason: text("in_app_reason", { enum: ["preference", "unsubscribed"] }),
    /** When the inbox took the item (ms); its one attempt. */
    inAppSentAt: integer("in_app_sent_at"),
    /** When a device of the user first acknowledged it (ms). */
    inAppDeliveredAt: integer("in_app_delivered_at"),
    /** When the user first read it (ms). */
    inAppReadAt: integer("in_app_read_at"),
    /**
     * The idempotency scope in which this row *is* the record of its `idempotency_key`
     * (`notifications`: a client's `Idempotency-Key`, docs/api.md#idempotency); null for rows
     * whose key another scope's `idempotency_records` row holds, and once a later request took the
     * expired key over (migration 0017, docs/cost.md).
     */
    keyScope: text("key_scope"),
    /** When the key this row holds may create anew (ms): its acceptance plus `IDEMPOTENCY_TTL_HOURS`. */
    keyExpiresAt: integer("key_expires_at"),
  },
  (t) => [
    // Only keyed notifications: a request without `Idempotency-Key` writes no index row for it;
    // the lookup (`idempotency_key = ?`) implies `IS NOT NULL`, so SQLite uses the partial index.
    // Unique with `key_scope`: one row holds a key in a scope; rows that hold none (NULL) never conflict.
    uniqueIndex("notifications_idempotency_key").on(t.idempotencyKey, t.keyScope).where(sql`idempotency_key IS NOT NULL`),
    index("notifications_user_id").on(t.userId, t.id),
    index("notifications_undispatched").on(t.dispatchAfter).where(sql`dispatched_at IS NULL`),
    // Recalls the inbox has not confirmed yet (the recall sweeper's); a row leaves it once its in-app state is `recalled`.
    index("notifications_unsettled_recalls").on(t.recalledAt).where(sql`recalled_at IS NOT NULL AND in_app_status <> 'recalled'`),
    index("notifications_unconfirmed_edits").on(t.updatedAt).where(sql`version > inbox_version AND recalled_at IS NULL`),
  ],
);

/**
 * Email, SMS and push delivery state of a notification, one row per channel (the in-app state is
 * columns of `notifications` since migration 0014).
 * WITHOUT ROWID (migration 0012, which drizzle-kit cannot declare: docs/cost.md#indexes).
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    notificationId: text("notification_id").notNull(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    status: text("status", {
      enum: ["queued", "sent", "delivered", "read", "failed", "expired", "recalled", "skipped"],
    }).notNull(),
    /** Why a `skipped` delivery was not sent (docs/api.md#preferences): the user's preferences or an unsubscribe. */
    reason: text("reason", { enum: ["preference", "unsubscribed"] }),
    /** Email/SMS/push held by quiet hours: not sent before this time (ms). */
    deliverAt: integer("deliver_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    deliveredAt: integer("delivered_at"),
    readAt: integer("read_at"),
    updatedAt: integer("updated_at").notNull(),
    /** Email/SMS/push: a sender holds the delivery until then (ms), so two senders never both send it. */
    lockedUntil: integer("locked_until"),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.channel] }),
    // Only leased sends: the sweeper's lookup of expired leases (`expiredSendLeases`). An in-app
    // delivery never enters it, so its status changes write no index row (docs/cost.md).
    index("deliveries_leased").on(t.lockedUntil).where(sql`status = 'queued' AND locked_until IS NOT NULL`),
  ],
);

/**
 * Idempotency records (Stripe-style), one per (scope, key): the primary key is what makes two
 * concurrent requests with one key unable to both win (seed problem: batch idempotency).
 * `state = 'in_flight'` holds the key while the first request runs (→ 409); `completed` stores
 * the response to replay and the id of what it created (`resourceId`). A record whose holder
 * died is reclaimed after `lockedUntil`; records are purged after `expiresAt` by the cron.
 * WITHOUT ROWID (migration 0012, which drizzle-kit cannot declare: docs/cost.md#indexes).
 */
export const idempotencyRecords = sqliteTable(
  "idempotency_records",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    state: text("state", { enum: ["in_flight", "completed"] }).notNull(),
    lockedUntil: integer("locked_until").notNull(),
    resourceId: text("resource_id"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_records_expires").on(t.expiresAt)],
);

/** Message templates (Mustache). `subject` is the title for in_app/push and the subject for email. */
export const templates = sqliteTable("templates", {
  name: text("name").primaryKey(),
  channel: text("channel", { enum: ["in_app", "email", "sms", "push"] }).notNull(),
  subject: text("subject"),
  body: text("body").notNull(),
  description: text("description"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** The preference category a notification from this template gets when the request names none; null means `general`. */
  category: text("category"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Topics for published messages (docs/data-model.md#topics); the seed catalogue is inserted by the first migrations. */
export const topics = sqliteTable("topics", {
  name: text("name").primaryKey(),
  description: text("description"),
  /** Whether a user token may subscribe and unsubscribe itself (`/v1/me/topics/{name}`, docs/api.md#audiences). */
  selfService: integer("self_service", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
});

/**
 * A topic's audience (docs/data-model.md#topic_subscribers): the users a broadcast to the topic
 * reaches. The primary key makes subscribe and unsubscribe idempotent; the (user_id, topic)
 * index answers "which topics does this user follow".
 */
export const topicSubscribers = sqliteTable(
  "topic_subscribers",
  {
    topic: text("topic").notNull(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.userId] }), index("topic_subscribers_user").on(t.userId, t.topic)],
);

/**
 * Broadcasts (docs/data-model.md#broadcasts): one in-app notification sent to every subscriber a
 * topic had at acceptance. The content is rendered once; `recipients` is the size of the snapshot
 * in `broadcast_recipients`, `fanned_out` how many of them have been handed to their inbox (or
 * skipped by their preferences), `failed` how many are in chunks that exhausted their retries and
 * wait in dead letters (docs/api.md#audiences). `status`: `accepted` until the fan-out is planned,
 * `fanning_out`, `failed` while `failed > 0` (a redrive resumes it), then `completed` once
 * `fanned_out = recipients`. Times in ms.
 */
export const broadcasts = sqliteTable(
  "broadcasts",
  {
    id: text("id").primaryKey(),
    topic: text("topic").notNull(),
    idempotencyKey: text("idempotency_key"),
    title: text("title"),
    body: text("body"),
    /** JSON text of the notification's `data`. */
    data: text("data"),
    priority: text("priority", { enum: ["high", "normal", "low"] }).notNull(),
    category: text("category").notNull(),
    critical: integer("critical", { mode: "boolean" }).notNull(),
    expiresAt: integer("expires_at"),
    /** Feed tags and actions (docs/api.md#feed) every recipient's item carries; null when none were given. */
    tags: text("tags", { mode: "json" }).$type<string[]>(),
    actions: text("actions", { mode: "json" }).$type<{ label: string; url: string }[]>(),
    recipients: integer("recipients").notNull(),
    fannedOut: integer("fanned_out").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    status: text("status", { enum: ["accepted", "fanning_out", "failed", "completed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("broadcasts_status").on(t.status, t.createdAt), index("broadcasts_completed").on(t.completedAt)],
);

/**
 * A broadcast's recipient snapshot, copied from `topic_subscribers` in the transaction that
 * accepts it: later subscribers are not in it, and unsubscribing does not remove anyone from it.
 * `fanned_out_at` (ms) is set once the recipient's inbox holds the item, so each recipient is
 * counted once however often its chunk is redelivered; `failed_at` (ms) while its chunk waits in
 * the dead letters, cleared by the redrive.
 */
export const broadcastRecipients = sqliteTable(
  "broadcast_recipients",
  {
    broadcastId: text("broadcast_id").notNull(),
    userId: text("user_id").notNull(),
    fannedOutAt: integer("fanned_out_at"),
    failedAt: integer("failed_at"),
  },
  (t) => [primaryKey({ columns: [t.broadcastId, t.userId] })],
);

/**
 * Work that exhausted its retries. `payload` is the original queue body so a redrive can put
 * it back on `queue` unchanged.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** What kind of work it was: a topic message delivery, a channel send, a sync delivery, a behaviour batch, a failed workflow run. */
    source: text("source", { enum: ["message", "channel", "sync", "behaviour", "workflow_run"] }).notNull(),
    sourceId: text("source_id"),
    queue: text("queue").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("dead_letters_source_created").on(t.source, t.createdAt),
    // Retention keeps the rows a waiting letter would reopen (src/db/*: purges check it).
    index("dead_letters_source_id").on(t.source, t.sourceId),
  ],
);

/**
 * Users as Herald knows them (docs/data-model.md#users; seed problem: users out of sync between services).
 * `version` grows by one on every real change, including the soft delete; receivers use it to
 * drop stale events. Written only by `PUT`/`DELETE /v1/users/{userId}`.
 */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email"),
  phone: text("phone"),
  name: text("name"),
  locale: text("locale"),
  timezone: text("timezone"),
  attributes: text("attributes", { mode: "json" }).$type<Record<string, unknown>>(),
  status: text("status", { enum: ["active", "disabled"] }).notNull(),
  version: integer("version").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  deletedAt: integer("deleted_at"),
});

/**
 * Services that receive user events as Standard Webhooks. Secrets are stored encrypted
 * (AES-GCM); after a rotation the previous secret also signs until `previousSecretExpiresAt`.
 * `events` null means every user event type.
 */
export const syncTargets = sqliteTable("sync_targets", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  events: text("events", { mode: "json" }).$type<string[]>(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  disabledReason: text("disabled_reason"),
  secret: text("secret").notNull(),
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: integer("previous_secret_expires_at"),
  reconcileCursor: text("reconcile_cursor"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * One webhook message to one target. `id` is the `webhook-id` header: stable across retries.
 * Unique (target, user, version, type) so a redelivered event never fans out twice.
 */
export const syncDeliveries = sqliteTable(
  "sync_deliveries",
  {
    id: text("id").primaryKey(),
    targetId: text("target_id").notNull(),
    userId: text("user_id").notNull(),
    eventType: text("event_type").notNull(),
    version: integer("version").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "superseded", "dead"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    latencyMs: integer("latency_ms"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    uniqueIndex("sync_deliveries_event").on(t.targetId, t.userId, t.version, t.eventType),
    index("sync_deliveries_target_status").on(t.targetId, t.status, t.id),
    index("sync_deliveries_status").on(t.status, t.id),
    // The overdue-retry sweeper (markStalledSyncDeliveries): pending deliveries by their next attempt.
    index("sync_deliveries_pending_due").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // Retention (purgeSyncDeliveries): finished deliveries by their last change.
    index("sync_deliveries_finished").on(t.updatedAt).where(sql`status <> 'pending'`),
  ],
);

/** Per (target, user), the highest version the target acknowledged with a 2xx. Only grows. */
export const syncAcks = sqliteTable(
  "sync_acks",
  {
    targetId: text("target_id").notNull(),
    userId: text("user_id").notNull(),
    version: integer("version").notNull(),
    ackedAt: integer("acked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.userId] })],
);

/**
 * Who is online, mirrored from the UserInbox objects through the receipts queue (docs/data-model.md#presence
 * presence). One row per user that ever connected. Queues reorder and repeat messages, so a
 * report applies only when its `version` (a counter kept by the user's inbox) is newer.
 * `expiresAt` is a lease the inbox renews while it holds sockets: if an inbox vanished without
 * reporting (a crash, a reset dropping its sockets), the row stops counting as online.
 */
export const presence = sqliteTable(
  "presence",
  {
    userId: text("user_id").primaryKey(),
    connections: integer("connections").notNull(),
    version: integer("version").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("presence_online").on(t.userId).where(sql`connections > 0`), index("presence_last_seen").on(t.lastSeenAt)],
);

/**
 * Web Push subscriptions (docs/data-model.md#push_subscriptions), one per browser endpoint: the endpoint URL is unique, so a
 * browser that re-subscribes (or changes hands to another user) updates its row instead of
 * adding one. `p256dh` and `auth` are the base64url keys the push channel encrypts with
 * (RFC 8291); `expirationTime` is the browser's, in ms, when it gave one.
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    endpoint: text("endpoint").primaryKey(),
    userId: text("user_id").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    expirationTime: integer("expiration_time"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("push_subscriptions_user").on(t.userId, t.endpoint)],
);

/**
 * Messages published to topics (docs/data-model.md#messages; seed problem: delays faked with a sleep, no retries,
 * no dead letters). `deliverAt` may lie beyond the queue's 12 h delay cap: such messages wait
 * with `enqueuedAt` NULL until the sweeper enqueues them within range. Status goes
 * pending → processing → completed | failed.
 */
export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    topic: text("topic").notNull(),
    payload: text("payload").notNull(),
    metadata: text("metadata"),
    idempotencyKey: text("idempotency_key"),
    status: text("status", { enum: ["pending", "processing", "completed", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    lastError: text("last_error"),
    deliverAt: integer("deliver_at").notNull(),
    enqueuedAt: integer("enqueued_at"),
    processedAt: integer("processed_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("messages_topic").on(t.topic, t.id),
    index("messages_unscheduled").on(t.deliverAt).where(sql`enqueued_at IS NULL`),
    // Retention (purgeMessages): finished messages by when they finished.
    index("messages_finished").on(t.processedAt).where(sql`status IN ('completed', 'failed')`),
  ],
);

/**
 * Topic subscriptions: `webhook` (Standard Webhooks POST, secret stored encrypted) or `notify`
 * (each message becomes a notification for the user at `userIdPointer`, an RFC 6901 pointer
 * into the payload). A 410 from a webhook disables it.
 */
export const topicSubscriptions = sqliteTable(
  "topic_subscriptions",
  {
    id: text("id").primaryKey(),
    topic: text("topic").notNull(),
    kind: text("kind", { enum: ["webhook", "notify"] }).notNull(),
    url: text("url"),
    secret: text("secret"),
    template: text("template"),
    channels: text("channels"),
    userIdPointer: text("user_id_pointer"),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    disabledReason: text("disabled_reason"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("topic_subscriptions_topic").on(t.topic)],
);

/** One message's delivery to one subscription; unique per pair so a redelivered message fans out once. */
export const messageDeliveries = sqliteTable(
  "message_deliveries",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "dead"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    latencyMs: integer("latency_ms"),
    notificationId: text("notification_id"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("message_deliveries_pair").on(t.messageId, t.subscriptionId), index("message_deliveries_status").on(t.status, t.nextAttemptAt)],
);

/**
 * The `outbox` provider (docs/data-model.md#outbox): rendered email, SMS and push messages stored instead of sent,
 * so the whole flow runs locally with no provider account. One row per (notification, channel).
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    notificationId: text("notification_id").notNull(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    recipient: text("recipient"),
    subject: text("subject"),
    body: text("body").notNull(),
    html: text("html"),
    /** The headers the email was sent with (`List-Unsubscribe`, …) as a JSON object; null for SMS and push. */
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("outbox_notification_channel").on(t.notificationId, t.channel),
    index("outbox_channel").on(t.channel, t.id),
    // Retention (purgeOutbox).
    index("outbox_created").on(t.createdAt),
  ],
);

/**
 * Maintained counters for `GET /v1/stats` (docs/data-model.md#counters): incremented in the same statements as the
 * work they count, so reading the figures never scans a whole table.
 */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

/**
 * Per-minute samples of the main counters and gauges (src/db/stats-history.ts), taken by the cron
 * for the console's charts (`GET /v1/stats/history`, docs/api.md#stats-and-metrics) and the gauges
 * `/metrics` must not compute at scrape time. `minute`: the sample's minute (ms since epoch, a
 * multiple of 60,000); `sample`: JSON (see `StatsSample`). Kept 7 days (purgeStatsHistory).
 */
export const statsHistory = sqliteTable("stats_history", {
  minute: integer("minute").primaryKey(),
  sample: text("sample").notNull(),
});

/**
 * Row counts of every table, refreshed by the cron at most every 10 minutes (src/db/table-sizes.ts),
 * so `/v1/stats` and `/metrics` report table sizes without counting at scrape time. One row per
 * table: bounded by the schema.
 */
export const tableSizes = sqliteTable("table_sizes", {
  tableName: text("table_name").primaryKey(),
  rows: integer("rows").notNull(),
  countedAt: integer("counted_at").notNull(),
});

/**
 * One preference document per user (docs/api.md#preferences): `document` holds only what the user
 * set (an RFC 7396 merge target; missing members fall back to the workspace defaults, then to
 * "everything on"). `version` grows by one with every change (1 at creation) and is the
 * `If-Match` value; a user with no row is at version 0.
 */
export const userPreferences = sqliteTable("user_preferences", {
  userId: text("user_id").primaryKey(),
  document: text("document", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  version: integer("version").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The workspace's default preference document (one row, `id = 'workspace'`), below every user's own. */
export const preferenceDefaults = sqliteTable("preference_defaults", {
  id: text("id").primaryKey(),
  document: text("document", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  version: integer("version").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Workflow definitions (docs/api.md#workflows): configuration, written only by `PUT`/`DELETE
 * /v1/workflows/{key}`. `version` grows by one on every save; runs keep the definition they
 * started with (a snapshot travels with each trigger), so an edit never changes a running run.
 */
export const workflows = sqliteTable("workflows", {
  key: text("key").primaryKey(),
  version: integer("version").notNull(),
  name: text("name"),
  category: text("category"),
  critical: integer("critical", { mode: "boolean" }).notNull(),
  /** JSON array of steps, validated at save (src/workflows/definition.ts). */
  steps: text("steps", { mode: "json" }).$type<unknown[]>().notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Accepted workflow triggers (docs/data-model.md#workflow_triggers): the definition snapshot, the
 * data and the recipient count, written in the acceptance transaction. `planned_at` is set once
 * the fan-out to the recipients' `UserWorkflows` objects was enqueued; the sweeper re-plans
 * triggers left unplanned.
 */
export const workflowTriggers = sqliteTable(
  "workflow_triggers",
  {
    id: text("id").primaryKey(),
    workflowKey: text("workflow_key").notNull(),
    /** JSON of the definition as it was at acceptance (key, version, name, category, critical, steps). */
    definition: text("definition", { mode: "json" }).notNull(),
    /** JSON text of the trigger's `data`, or null. */
    data: text("data"),
    actor: text("actor"),
    idempotencyKey: text("idempotency_key"),
    recipients: integer("recipients").notNull(),
    createdAt: integer("created_at").notNull(),
    plannedAt: integer("planned_at"),
  },
  (t) => [index("workflow_triggers_planned").on(t.plannedAt, t.createdAt)],
);

/** Each trigger's recipients, fixed at acceptance (a `to` list, or a topic's subscribers then). */
export const workflowTriggerRecipients = sqliteTable(
  "workflow_trigger_recipients",
  {
    triggerId: text("trigger_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.triggerId, t.userId] })],
);
