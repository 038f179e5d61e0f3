/**
 * The `outbox` table: what the `outbox` provider stored instead of sending (docs/api.md#topics-messages-and-subscriptions), one row per
 * (notification, channel). Kept 7 days (docs/data-model.md#retention).
 */
import { z } from "zod";
import { outbox } from "./schema";

export const OutboxChannel = z.enum(outbox.channel.enumValues);
/** An outbox row as stored (`$inferSelect`), read through camelCase column aliases; `createdAt` in ms. */
export type OutboxItem = typeof outbox.$inferSelect;

const COLUMNS = `id, notification_id AS "notificationId", channel, recipient, subject, body, html, headers, created_at AS "createdAt"`;

/** Stores a rendered message once per (notification, channel); a repeat changes nothing. */
export async function insertOutboxItem(db: D1Database, item: OutboxItem): Promise<void> {
  await db
    .prepare(
      `INSERT INTO outbox (id, notification_id, channel, recipient, subject, body, html, created_at, headers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (notification_id, channel) DO NOTHING`,
    )
    .bind(item.id, item.notificationId, item.channel, item.recipient, item.subject, item.body, item.html, item.createdAt, item.headers === null ? null : JSON.stringify(item.headers))
    .run();
}

/** A page of the outbox, newest first: ids below `before`, at most `limit`. */
export async function listOutbox(db: D1Database, opts: { channel?: z.infer<typeof OutboxChannel>; before?: string; limit: number }): Promise<OutboxItem[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM outbox WHERE (?1 IS NULL OR channel = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3`)
    .bind(opts.channel ?? null, opts.before ?? "\u{10FFFF}", opts.limit)
    .all<Omit<OutboxItem, "headers"> & { headers: string | null }>();
  return results.map((r) => ({ ...r, headers: r.headers === null ? null : (JSON.parse(r.headers) as Record<string, string>) }));
}

/**
 * Retention (docs/data-model.md#retention: the outbox 7 days): deletes at most `limit` outbox rows created before
 * `before` (ms). Every outbox row is finished (it is what a send produced). Index `outbox_created`.
 * @returns rows deleted.
 */
export async function purgeOutbox(db: D1Database, before: number, limit: number): Promise<number> {
  const result = await db.prepare(`DELETE FROM outbox WHERE rowid IN (SELECT rowid FROM outbox WHERE created_at < ?1 LIMIT ?2)`).bind(before, limit).run();
  return result.meta.changes;
}
