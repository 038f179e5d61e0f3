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
import { completedClaimStatements, deleteClaimableRecordsStatement } from "../db/idempotency-records";
import { existingNotificationIds, insertNotificationsStatement, readKeyHolder, releaseExpiredKeysStatement } from "../db/notifications";
import { existingOutcome } from "../lib/idempotency";
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

/** What a notification insert is conditional on (see `insertNotificationsStatement` in src/db/notifications.ts). */
export interface InsertGuard {
  /** Insert a row only if the idempotency record (scope, row.idempotencyKey) names its id: the claim won. */
  claimedScope?: string;
  /** The row is the record of its own key in `scope` for `ttlMs` (docs/api.md#idempotency); its insert decides races. */
  held?: { scope: string; ttlMs: number };
  /** A further SQL condition over the row `v`. */
  onlyIf?: string;
}

/**
 * Statements inserting `rows`, each with its in-app state `queued` when `in_app` is among its
 * channels and one `queued` delivery per other channel. Run them inside one `db.batch()` (a
 * transaction) with whatever else must commit with them. Per ~90 KB of rows: the notifications'
 * insert, with the count of the in-app states it creates into `notifications.in_app.queued`
 * around it (src/db/counters.ts) when a row has `in_app`; then, when a row has email, SMS or push,
 * the count of their new deliveries into `notifications.<channel>.queued` and the deliveries'
 * insert. The rows' JSON goes to the insert alone; the others take ids and read the rows it wrote,
 * so a row the guard or a conflict kept out gets no delivery and no count.
 */
export function insertNotificationStatements(db: D1Database, rows: NotificationRow[], guard: InsertGuard = {}): D1PreparedStatement[] {
  return packNotificationRows(rows).flatMap((pack) => insertPackStatements(db, pack, guard).statements);
}

/** `rows` in packs of at most ~90 KB of JSON, each serialised once: one insert statement per pack. */
export const packNotificationRows = (rows: readonly NotificationRow[]): JsonPack<NotificationRow>[] => packJson(rows, STATEMENT_JSON_BYTES);

/**
 * {@link insertNotificationStatements} for one pack of {@link packNotificationRows}, whose JSON is
 * used as it is. @returns the statements and the index of the insert among them, whose
 * `meta.changes` counts the rows created.
 */
export function insertPackStatements(db: D1Database, pack: JsonPack<NotificationRow>, guard: InsertGuard = {}): { statements: D1PreparedStatement[]; insert: number } {
  const inApp = pack.items.filter((r) => r.channels.includes("in_app")).map((r) => r.id);
  const sends = pack.items.filter((r) => r.channels.some((c) => c !== "in_app")).map((r) => r.id);
  const insert = insertNotificationsStatement(db, pack.json, guard);
  const statements = inApp.length > 0 ? [countInAppQueuedStatement(db, JSON.stringify(inApp), -1), insert, countInAppQueuedStatement(db, JSON.stringify(inApp), 1)] : [insert];
  if (sends.length > 0) {
    const ids = JSON.stringify(sends);
    statements.push(countQueuedDeliveriesStatement(db, ids), insertQueuedDeliveriesStatement(db, ids));
  }
  return { statements, insert: statements.indexOf(insert) };
}

/**
 * Statements with which a request takes over `keys` in `scope` where their holder expired at or
 * before `now` (ms), for the notifications it then inserts in the same transaction as holders of
 * their own keys ({@link InsertGuard}`.held`): an expired notification stops holding its key, and
 * a claimable `idempotency_records` row (a broadcast's) goes. Two statements per ~90 KB of keys;
 * run them only for keys found taken, since a new key needs neither.
 */
export function takeoverStatements(db: D1Database, scope: string, keys: readonly string[], now: number): D1PreparedStatement[] {
  return packJson(keys, STATEMENT_JSON_BYTES).flatMap(({ json }) => [releaseExpiredKeysStatement(db, scope, json, now), deleteClaimableRecordsStatement(db, scope, json, now)]);
}

/**
 * What a request with `key` and fingerprint `fp` gets when the key is taken in `scope`: a replay
 * of the notification holding it (its {@link acceptedBody}), else what an `idempotency_records`
 * row says (`existingOutcome`), else null — no live holder: the key may be taken over.
 * @throws ApiError `idempotency_key_reused` (422) for another fingerprint; `idempotency_key_in_use`
 *         (409, `Retry-After`) while a broadcast with the key is in flight.
 */
export async function heldKeyOutcome(db: D1Database, scope: string, key: string, fp: string, now: number): Promise<{ body: unknown } | null> {
  const holder = await readKeyHolder(db, scope, key);
  if (holder !== null && holder.keyExpiresAt > now) {
    if (holder.fingerprint !== fp) throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body.");
    return { body: acceptedBody(holder) };
  }
  const outcome = await existingOutcome(db, scope, key, fp, now);
  return outcome === null ? null : { body: outcome.body };
}

/**
 * Statements claiming one idempotency key per row, set-based (see `completedClaimStatements`):
 * each claim names its row's id as `resource_id` and stores the 202 body a single-item replay
 * returns. A record past `expires_at`, or an in-flight claim whose holder died, is taken over
 * (docs/api.md#notifications: after expiry a key creates anew). Follow them with
 * {@link insertNotificationStatements}(…, `{ claimedScope: scope }`) in the same transaction, so only rows whose claim won are inserted and concurrent callers cannot both create.
 * Each statement's `meta.changes` counts the claims it won.
 */
function claimStatements(db: D1Database, scope: string, rows: NotificationRow[], ttlMs: number, now: number): D1PreparedStatement[] {
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
  await countedBatch(db, [...(extra.before ?? []), ...claimStatements(db, scope, keyed, ttlMs, now), ...insertNotificationStatements(db, keyed, { claimedScope: scope, onlyIf: extra.onlyIf })]);
  const created = await existingNotificationIds(db, keyed.map((r) => r.id));
  return keyed.filter((r) => created.has(r.id));
}

/** The public shape of a notification (docs/api.md#notifications), times as ISO strings: the 202 of its acceptance and of every replay. */
export function acceptedBody(row: Pick<NotificationRow, "id" | "userId" | "channels" | "priority" | "createdAt" | "dispatchAfter" | "expiresAt">) {
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
