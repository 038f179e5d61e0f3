/**
 * Writing notifications to D1, set-based: every statement takes a chunk of rows as one JSON
 * parameter and expands it with `json_each`, so a 1,000-item batch is a handful of statements,
 * never a query per item (D1: 100 bound parameters per statement, one writer).
 */
import { packJson } from "../lib/json-pack";
import { MAX_QUEUE_DELAY_SECONDS } from "../lib/queue";
import { ApiError } from "../lib/errors";
import { renderParts } from "../templates/render";
import { newId } from "../lib/ids";
import type { NotificationInput } from "./input";

/** A notification ready to insert. Times in ms since the epoch. */
export interface NotificationRow {
  id: string;
  userId: string;
  idempotencyKey: string | null;
  fingerprint: string | null;
  template: string | null;
  data: Record<string, unknown> | null;
  title: string | null;
  body: string | null;
  channels: string[];
  priority: "high" | "normal" | "low";
  createdAt: number;
  expiresAt: number | null;
  dispatchAfter: number;
}

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

interface TemplateRow {
  name: string;
  subject: string | null;
  body: string;
  active: number;
}

/** Loads the named templates in one query. */
export async function loadTemplates(db: D1Database, names: string[]): Promise<Map<string, TemplateRow>> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT name, subject, body, active FROM templates WHERE name IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(unique))
    .all<TemplateRow>();
  return new Map(results.map((t) => [t.name, t]));
}

/**
 * Turns validated input into a row: renders `template` with `data` (the in-app title is the
 * template's subject), fixes expiry and dispatch times.
 * @throws ApiError `validation_failed` for an unknown or inactive template, `template_invalid`
 *         (422) when `data` lacks a variable the template prints.
 */
export function prepareNotification(
  input: NotificationInput,
  templates: Map<string, TemplateRow>,
  meta: { idempotencyKey: string | null; fingerprint: string | null; now: number },
): NotificationRow {
  let title = input.title ?? null;
  let body = input.body ?? null;
  if (input.template !== undefined) {
    const template = templates.get(input.template);
    if (!template || !template.active) {
      throw new ApiError("validation_failed", `Unknown or inactive template \`${input.template}\`.`, {
        errors: [{ path: "template", message: "No active template has this name." }],
      });
    }
    ({ title, body } = renderParts({ title: template.subject, body: template.body }, input.data ?? {}));
  }
  const dispatchAfter = meta.now + (input.delaySeconds ?? 0) * 1000;
  return {
    id: newId(),
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
  };
}

/**
 * Statements inserting `rows` and one `queued` delivery per channel. Run them inside one
 * `db.batch()` (a transaction) with whatever else must commit with them. `enqueued_at` is set
 * now for rows the caller enqueues at once; rows delayed past the queue's 12 h maximum keep it
 * NULL and the sweeper enqueues them when they come within range.
 * @param claimedScope when given, a row is inserted only if the idempotency record
 *        (claimedScope, row.idempotencyKey) names this row's id as its `resource_id` — i.e. only
 *        the claim that won the record's primary key creates a notification.
 */
export function insertNotificationStatements(db: D1Database, rows: NotificationRow[], claimedScope?: string): D1PreparedStatement[] {
  const claimed = claimedScope
    ? `AND EXISTS (SELECT 1 FROM idempotency_records r WHERE r.scope = ?3 AND r.key = v->>'idempotencyKey' AND r.resource_id = v->>'id')`
    : "AND ?3 IS NULL";
  return packJson(rows, STATEMENT_JSON_BYTES).flatMap(({ json }) => {
    return [
      db
        .prepare(
          `INSERT INTO notifications (id, user_id, idempotency_key, fingerprint, template, data, title, body, channels,
             priority, created_at, updated_at, expires_at, dispatch_after, enqueued_at)
           SELECT v->>'id', v->>'userId', v->>'idempotencyKey', v->>'fingerprint', v->>'template', v->'data',
             v->>'title', v->>'body', v->'channels', v->>'priority', v->>'createdAt', v->>'createdAt',
             v->>'expiresAt', v->>'dispatchAfter',
             CASE WHEN (v->>'dispatchAfter') - (v->>'createdAt') > ?2 THEN NULL ELSE v->>'createdAt' END
           FROM (SELECT value AS v FROM json_each(?1)) WHERE true ${claimed}
           ON CONFLICT (id) DO NOTHING`,
        )
        .bind(json, MAX_QUEUE_DELAY_SECONDS * 1000, claimedScope ?? null),
      db
        .prepare(
          `INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at)
           SELECT n.value->>'id', c.value, 'queued', 0, n.value->>'createdAt'
           FROM json_each(?1) AS n, json_each(n.value->'channels') AS c
           WHERE EXISTS (SELECT 1 FROM notifications x WHERE x.id = n.value->>'id')
           ON CONFLICT (notification_id, channel) DO NOTHING`,
        )
        .bind(json),
    ];
  });
}

/**
 * Statements claiming one idempotency key per row, set-based: `INSERT … ON CONFLICT DO NOTHING`
 * on the records' primary key (scope, key), each claim naming its row's id as `resource_id` and
 * storing the 202 body a single-item replay returns. A record past `expires_at`, or an
 * in-flight claim whose holder died, is taken over (SPEC §5: after expiry a key creates anew).
 * Follow them with {@link insertNotificationStatements}(…, scope) in the same transaction, so
 * only rows whose claim won are inserted and concurrent callers cannot both create.
 * @param options.returning each statement returns `{key}` for every claim it won.
 */
export function claimStatements(db: D1Database, scope: string, rows: NotificationRow[], ttlMs: number, now: number, options: { returning?: boolean } = {}): D1PreparedStatement[] {
  const claims = rows.map((r) => ({ key: r.idempotencyKey, fingerprint: r.fingerprint ?? "", id: r.id, response: JSON.stringify(acceptedBody(r)) }));
  return packJson(claims, STATEMENT_JSON_BYTES).map(({ json }) =>
    db
      .prepare(
        `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, resource_id, response_status, response_body, created_at, expires_at)
         SELECT ?1, v->>'key', v->>'fingerprint', 'completed', ?3, v->>'id', 202, v->>'response', ?3, ?4
         FROM (SELECT value AS v FROM json_each(?2)) WHERE true
         ON CONFLICT (scope, key) DO UPDATE SET
           fingerprint = excluded.fingerprint, state = 'completed', locked_until = excluded.locked_until,
           resource_id = excluded.resource_id, response_status = 202, response_body = excluded.response_body,
           created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE idempotency_records.expires_at <= ?3
            OR (idempotency_records.state = 'in_flight' AND idempotency_records.locked_until <= ?3)
         ${options.returning ? "RETURNING key" : ""}`,
      )
      .bind(scope, json, now, now + ttlMs),
  );
}

/**
 * Creates each notification at most once per idempotency (scope, key), set-based and race-free
 * ({@link claimStatements} then the conditional insert, in one transaction). Used where a key
 * must hold for `ttlMs` (e.g. one owner notification per behaviour, held for a century).
 * @returns the rows actually created (the caller dispatches them).
 */
export async function createNotificationsOnce(db: D1Database, scope: string, rows: NotificationRow[], ttlMs: number, now = Date.now()): Promise<NotificationRow[]> {
  const keyed = rows.filter((r) => r.idempotencyKey !== null);
  if (keyed.length === 0) return [];
  await db.batch([...claimStatements(db, scope, keyed, ttlMs, now), ...insertNotificationStatements(db, keyed, scope)]);
  const { results } = await db
    .prepare(`SELECT id FROM notifications WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(keyed.map((r) => r.id)))
    .all<{ id: string }>();
  const created = new Set(results.map((r) => r.id));
  return keyed.filter((r) => created.has(r.id));
}

/** The public shape of a notification (SPEC §5), times as ISO strings. */
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
