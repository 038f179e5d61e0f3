/**
 * The `topic_subscriptions` table (docs/api.md#topics-messages-and-subscriptions): `webhook` subscriptions (secret stored sealed) and
 * `notify` subscriptions (a template, channels and the payload pointer to the user id).
 */
import { z } from "zod";
import { topicSubscriptions } from "./schema";

export const SubscriptionKind = z.enum(topicSubscriptions.kind.enumValues);

type TopicSubscription = typeof topicSubscriptions.$inferSelect;

/** A subscription as listed: everything but the sealed secret. `channels` stays JSON text (a string array; callers parse it). */
export type SubscriptionRow = Pick<
  TopicSubscription,
  "id" | "topic" | "kind" | "url" | "template" | "channels" | "userIdPointer" | "enabled" | "disabledReason" | "createdAt"
>;

/** A row with `topic_subscriptions` columns as D1 returns it: SQLite has no boolean, so `enabled` is 0 or 1. */
export type StoredSubscription<T extends Pick<TopicSubscription, "enabled">> = Omit<T, "enabled"> & { enabled: number };

/**
 * The table's one mapper, for every read that includes `enabled` (here and in the join of
 * src/db/message-deliveries.ts): D1's 0/1 becomes the schema's boolean. Other columns arrive
 * under their camelCase names through SQL aliases.
 */
export function fromStoredSubscription<T extends Pick<TopicSubscription, "enabled">>(r: StoredSubscription<T>): T {
  return { ...r, enabled: r.enabled === 1 } as unknown as T;
}

const COLUMNS = `id, topic, kind, url, template, channels, user_id_pointer AS "userIdPointer", enabled, disabled_reason AS "disabledReason", created_at AS "createdAt"`;

/** Inserts a subscription (enabled). `secret` is already sealed; `channels` is JSON text. */
export async function insertSubscription(
  db: D1Database,
  s: Required<Pick<typeof topicSubscriptions.$inferInsert, "id" | "topic" | "kind" | "url" | "secret" | "template" | "channels" | "userIdPointer">>,
  now: number,
): Promise<SubscriptionRow> {
  const row = await db
    .prepare(
      `INSERT INTO topic_subscriptions (id, topic, kind, url, secret, template, channels, user_id_pointer, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9) RETURNING ${COLUMNS}`,
    )
    .bind(s.id, s.topic, s.kind, s.url, s.secret, s.template, s.channels, s.userIdPointer, now)
    .first<StoredSubscription<SubscriptionRow>>();
  return fromStoredSubscription<SubscriptionRow>(row!);
}

/** A topic's subscriptions with ids after `after`, in id order, at most `limit`. */
export async function listSubscriptions(db: D1Database, topic: string, after: string | undefined, limit: number): Promise<SubscriptionRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM topic_subscriptions WHERE topic = ?1 AND id > ?2 ORDER BY id LIMIT ?3`)
    .bind(topic, after ?? "", limit)
    .all<StoredSubscription<SubscriptionRow>>();
  return results.map((r) => fromStoredSubscription<SubscriptionRow>(r));
}

/** Deletes one subscription. @returns whether it existed. */
export async function deleteSubscription(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare(`DELETE FROM topic_subscriptions WHERE id = ?1`).bind(id).run()).meta.changes > 0;
}

/** Deletes a topic's subscriptions (with the topic, in one batch). */
export function deleteTopicSubscriptionsStatement(db: D1Database, topic: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM topic_subscriptions WHERE topic = ?1`).bind(topic);
}

/** Disables the subscriptions `ids` whose endpoint answered 410 Gone (docs/api.md#topics-messages-and-subscriptions). */
export function disableGoneSubscriptionsStatement(db: D1Database, ids: string[], now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE topic_subscriptions SET enabled = 0, disabled_reason = 'endpoint answered 410 Gone', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids), now);
}
