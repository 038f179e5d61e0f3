/**
 * The `topic_subscribers` table (docs/data-model.md#topic_subscribers): a topic's audience, one row per
 * (topic, user). Writes are set-based — one statement per chunk of at most 1,000 ids, passed as one
 * JSON parameter (D1 allows 100 bound parameters per statement, so never one parameter per id).
 */
import type { topicSubscribers } from "./schema";

/** A subscriber row (`$inferSelect`); `createdAt` in ms since the epoch. */
export type TopicSubscriber = typeof topicSubscribers.$inferSelect;

/**
 * Subscribes `userIds` to `topic`; ids already subscribed keep their row (and `createdAt`).
 * @returns how many were newly subscribed.
 */
export async function addSubscribers(db: D1Database, topic: string, userIds: string[], now: number): Promise<number> {
  const { meta } = await db
    .prepare(`INSERT INTO topic_subscribers (topic, user_id, created_at) SELECT ?1, value, ?3 FROM json_each(?2) WHERE true ON CONFLICT (topic, user_id) DO NOTHING`)
    .bind(topic, JSON.stringify(userIds), now)
    .run();
  return meta.changes;
}

/**
 * Unsubscribes `userIds` from `topic`; ids not subscribed are ignored.
 * @returns how many were removed.
 */
export async function removeSubscribers(db: D1Database, topic: string, userIds: string[]): Promise<number> {
  const { meta } = await db.prepare(`DELETE FROM topic_subscribers WHERE topic = ?1 AND user_id IN (SELECT value FROM json_each(?2))`).bind(topic, JSON.stringify(userIds)).run();
  return meta.changes;
}

/** A topic's subscribers with user ids after `after`, in user id order, at most `limit` (primary-key range scan). */
export async function listSubscribers(db: D1Database, topic: string, after: string | undefined, limit: number): Promise<TopicSubscriber[]> {
  const { results } = await db
    .prepare(`SELECT topic, user_id AS "userId", created_at AS "createdAt" FROM topic_subscribers WHERE topic = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3`)
    .bind(topic, after ?? "", limit)
    .all<TopicSubscriber>();
  return results;
}

/** The topics `userId` is subscribed to, named after `after`, in name order, at most `limit` (the user index). */
export async function listUserTopics(db: D1Database, userId: string, after: string | undefined, limit: number): Promise<TopicSubscriber[]> {
  const { results } = await db
    .prepare(`SELECT topic, user_id AS "userId", created_at AS "createdAt" FROM topic_subscribers WHERE user_id = ?1 AND topic > ?2 ORDER BY topic LIMIT ?3`)
    .bind(userId, after ?? "", limit)
    .all<TopicSubscriber>();
  return results;
}

/** One subscription of `userId` to `topic`, or null. */
export async function findSubscriber(db: D1Database, topic: string, userId: string): Promise<TopicSubscriber | null> {
  return db.prepare(`SELECT topic, user_id AS "userId", created_at AS "createdAt" FROM topic_subscribers WHERE topic = ?1 AND user_id = ?2`).bind(topic, userId).first<TopicSubscriber>();
}

/** Deletes a topic's subscribers (with the topic, in one batch). */
export function deleteTopicSubscribersStatement(db: D1Database, topic: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM topic_subscribers WHERE topic = ?1`).bind(topic);
}
