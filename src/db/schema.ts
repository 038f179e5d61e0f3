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
  },
  (t) => [
    uniqueIndex("behaviours_user_target_type").on(t.userId, t.targetId, t.type),
    index("behaviours_target_type_active").on(t.targetId, t.type, t.active),
    index("behaviours_user_active_occurred").on(t.userId, t.active, t.occurredAt),
    index("behaviours_event").on(t.eventId),
  ],
);

/**
 * A notification as accepted. `idempotencyKey` records the key that created it (history
 * lookup); uniqueness of live keys is enforced by `idempotency_records`' primary key.
 * `dispatchAfter` is when it may go out (creation or `delaySeconds` later); `enqueuedAt` is
 * when it was last put on the dispatch queue; `dispatchedAt` is set once the inbox took it.
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
  },
  (t) => [
    index("notifications_idempotency_key").on(t.idempotencyKey),
    index("notifications_user_id").on(t.userId, t.id),
    index("notifications_undispatched").on(t.dispatchAfter).where(sql`dispatched_at IS NULL`),
  ],
);

/** Per-channel delivery state of a notification; in_app is mirrored from the user's inbox. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    notificationId: text("notification_id").notNull(),
    channel: text("channel", { enum: ["in_app", "email", "sms", "push"] }).notNull(),
    status: text("status", {
      enum: ["queued", "sent", "delivered", "read", "failed", "expired", "recalled"],
    }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    deliveredAt: integer("delivered_at"),
    readAt: integer("read_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.channel] }), index("deliveries_status").on(t.status)],
);

/**
 * Idempotency records (Stripe-style), one per (scope, key): the primary key is what makes two
 * concurrent requests with one key unable to both win (seed problem: batch idempotency).
 * `state = 'in_flight'` holds the key while the first request runs (→ 409); `completed` stores
 * the response to replay and the id of what it created (`resourceId`). A record whose holder
 * died is reclaimed after `lockedUntil`; records are purged after `expiresAt` by the cron.
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
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Topics for published messages (SPEC §7); the seed catalogue is inserted by the first migrations. */
export const topics = sqliteTable("topics", {
  name: text("name").primaryKey(),
  description: text("description"),
  createdAt: integer("created_at").notNull(),
});

/**
 * Work that exhausted its retries. `payload` is the original queue body so a redrive can put
 * it back on `queue` unchanged.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    queue: text("queue").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("dead_letters_source_created").on(t.source, t.createdAt)],
);
