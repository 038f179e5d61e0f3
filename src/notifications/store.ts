/**
 * Writing notifications to D1, set-based: every statement takes a chunk of rows as one JSON
 * parameter and expands it with `json_each`, so a 1,000-item batch is a handful of statements,
 * never a query per item (D1: 100 bound parameters per statement, one writer).
 */
import { packJson, type JsonPack } from "../lib/json-pack";
import { ApiError } from "../lib/errors";
import { renderParts } from "../templates/render";
import { newId } from "../lib/ids";
import { countInAppQueuedStatement, countQueuedDeliveriesStatement } from "../db/counters";
import { countedBatch } from "../db/counter-buffer";
import { insertQueuedDeliveriesStatement } from "../db/deliveries";
import { completedClaimStatements } from "../db/idempotency-records";
import { existingNotificationIds, insertNotificationsStatement } from "../db/notifications";
import type { Template } from "../db/templates";

import type { notifications } from "../db/schema";
import { DEFAULT_CATEGORY, type NotificationInput } from "./input";

/** Re-exported for src/messaging/engine.ts (not this branch's file): it may import it from ../db/templates instead. */
export { loadTemplates } from "../db/templates";

/** A notification ready to insert: the columns written at creation, as `notifications` rows read (`$inferSelect`). Times in ms since the epoch. */
export type NotificationRow = Pick<
  typeof notifications.$inferSelect,
  "id" | "userId" | "idempotencyKey" | "fingerprint" | "template" | "data" | "title" | "body" | "channels" | "priority" | "createdAt" | "expiresAt" | "dispatchAfter" | "category" | "critical"
> &
  Partial<Pick<typeof notifications.$inferSelect, "tags" | "actions">>;

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * Renders a request's content: `template` with `data` (the in-app title is the template's
 * subject), or the literal `title`/`body`; the category is the input's, else the template's,
 * else `general`. Shared by notifications and broadcasts (rendered once for every recipient).
 * @throws ApiError `validation_failed` for an unknown or inactive template, `template_invalid`
 *         (422) when `data` lacks a variable the template prints.
 */
export function renderContent(
  input: Pick<NotificationInput, "template" | "data" | "title" | "body" | "category">,
  templates: Map<string, Pick<Template, "subject" | "body" | "active" | "category">>,
): { title: string | null; body: string | null; category: string } {
  let title = input.title ?? null;
  let body = input.body ?? null;
  let category = input.category ?? null;
  if (input.template !== undefined) {
    const template = templates.get(input.template);
    if (!template || !template.active) {
      throw new ApiError("validation_failed", `Unknown or inactive template \`${input.template}\`.`, {
        errors: [{ path: "template", message: "No active template has this name." }],
      });
    }
    ({ title, body } = renderParts({ title: template.subject, body: template.body }, input.data ?? {}));
    category ??= template.category;
  }
  return { title, body, category: category ?? DEFAULT_CATEGORY };
}

/**
 * Turns validated input into a row: renders the content ({@link renderContent}), fixes expiry
 * and dispatch times.
 * @throws ApiError as {@link renderContent}.
 */
export function prepareNotification(
  input: NotificationInput,
  templates: Map<string, Pick<Template, "subject" | "body" | "active" | "category">>,
  meta: { idempotencyKey: string | null; fingerprint: string | null; now: number; id?: string },
): NotificationRow {
  const { title, body, category } = renderContent(input, templates);
  const dispatchAfter = meta.now + (input.delaySeconds ?? 0) * 1000;
  return {
    id: meta.id ?? newId(),
    userId: input.userId,
    idempotencyKey: meta.idempotencyKey,
    fingerprint: meta.fingerprint,
    template: input.template ?? null,
    data: input.data ?? null,
    title,
    body,
    channels: input.channels,
    priority: input.priority,
    createdAt: meta.now,
    expiresAt: input.ttlSeconds !== undefined ? dispatchAfter + input.ttlSeconds * 1000 : null,
    dispatchAfter,
    category,
    critical: input.critical ?? false,
    tags: input.tags ?? null,
    actions: input.actions ?? null,
  };
}

/**
 * Statements inserting `rows`, each with its in-app state `queued` when `in_app` is among its
 * channels and one `queued` delivery per other channel. Run them inside one `db.batch()` (a
 * transaction) with whatever else must commit with them. Per ~90 KB of rows: the notifications'
 * insert, with the count of the in-app states it creates into `notifications.in_app.queued`
 * around it (src/db/counters.ts) when a row has `in_app`; then, when a row has email, SMS or push,
 * the count of their new deliveries into `notifications.<channel>.queued` and the deliveries'
 * insert. The rows' JSON goes to the insert alone; the others take ids and read the rows it wrote.
 * @param claimedScope when given, a row is inserted only if the idempotency record
 *        (claimedScope, row.idempotencyKey) names this row's id as its `resource_id` — i.e. only
 *        the claim that won the record's primary key creates a notification.
 * @param onlyIf a further SQL condition over the row (see `insertNotificationsStatement`).
 */
export function insertNotificationStatements(db: D1Database, rows: NotificationRow[], claimedScope?: string, onlyIf?: string): D1PreparedStatement[] {
  return packNotificationRows(rows).flatMap((pack) => insertPackStatements(db, pack, claimedScope, onlyIf));
}

/** `rows` in packs of at most ~90 KB of JSON, each serialised once: one insert statement per pack. */
export const packNotificationRows = (rows: readonly NotificationRow[]): JsonPack<NotificationRow>[] => packJson(rows, STATEMENT_JSON_BYTES);

/** {@link insertNotificationStatements} for one pack of {@link packNotificationRows}, whose JSON is used as it is. */
export function insertPackStatements(db: D1Database, pack: JsonPack<NotificationRow>, claimedScope?: string, onlyIf?: string): D1PreparedStatement[] {
  const inApp = pack.items.filter((r) => r.channels.includes("in_app")).map((r) => r.id);
  const sends = pack.items.filter((r) => r.channels.some((c) => c !== "in_app")).map((r) => r.id);
  const insert = insertNotificationsStatement(db, pack.json, { claimedScope, onlyIf });
  const statements = inApp.length > 0 ? [countInAppQueuedStatement(db, JSON.stringify(inApp), -1), insert, countInAppQueuedStatement(db, JSON.stringify(inApp), 1)] : [insert];
  if (sends.length > 0) {
    const ids = JSON.stringify(sends);
    statements.push(countQueuedDeliveriesStatement(db, ids), insertQueuedDeliveriesStatement(db, ids));
  }
  return statements;
}

/**
 * Statements claiming one idempotency key per row, set-based (see `completedClaimStatements`):
 * each claim names its row's id as `resource_id` and stores the 202 body a single-item replay
 * returns. A record past `expires_at`, or an in-flight claim whose holder died, is taken over
 * (docs/api.md#notifications: after expiry a key creates anew). Follow them with {@link insertNotificationStatements}(…, scope)
 * in the same transaction, so only rows whose claim won are inserted and concurrent callers cannot both create.
 * Each statement's `meta.changes` counts the claims it won.
 */
export function claimStatements(db: D1Database, scope: string, rows: NotificationRow[], ttlMs: number, now: number): D1PreparedStatement[] {
  const claims = rows.map((r) => ({ key: r.idempotencyKey, fingerprint: r.fingerprint ?? "", id: r.id, response: JSON.stringify(acceptedBody(r)) }));
  return completedClaimStatements(db, scope, claims, ttlMs, now);
}

/**
 * Creates each notification at most once per idempotency (scope, key), set-based and race-free
 * ({@link claimStatements} then the conditional insert, in one transaction). Used where a key
 * must hold for `ttlMs`.
 * @param extra.before statements to run first in the same transaction; @param extra.onlyIf a
 *        further condition of the insert (both: see src/behaviours/notify.ts).
 * @returns the rows actually created (the caller dispatches them).
 */
export async function createNotificationsOnce(
  db: D1Database,
  scope: string,
  rows: NotificationRow[],
  ttlMs: number,
  now = Date.now(),
  extra: { before?: D1PreparedStatement[]; onlyIf?: string } = {},
): Promise<NotificationRow[]> {
  const keyed = rows.filter((r) => r.idempotencyKey !== null);
  if (keyed.length === 0) return [];
  await countedBatch(db, [...(extra.before ?? []), ...claimStatements(db, scope, keyed, ttlMs, now), ...insertNotificationStatements(db, keyed, scope, extra.onlyIf)]);
  const created = await existingNotificationIds(db, keyed.map((r) => r.id));
  return keyed.filter((r) => created.has(r.id));
}

/** The public shape of a notification (docs/api.md#notifications), times as ISO strings. */
export function acceptedBody(row: NotificationRow) {
  return {
    id: row.id,
    status: "accepted" as const,
    userId: row.userId,
    channels: row.channels,
    priority: row.priority,
    createdAt: new Date(row.createdAt).toISOString(),
    deliverAt: new Date(row.dispatchAfter).toISOString(),
    expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
  };
}
