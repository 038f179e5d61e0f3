/** The `topics` table (docs/api.md#topics-messages-and-subscriptions): names messages are published to; the seed catalogue comes from the migrations. */
import type { topics } from "./schema";

/** A topic as stored (`$inferSelect`), read through camelCase column aliases; `createdAt` in ms. */
export type Topic = typeof topics.$inferSelect;

const COLUMNS = `name, description, created_at AS "createdAt"`;

/** Whether the topic exists. */
export async function topicExists(db: D1Database, name: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 FROM topics WHERE name = ?1`).bind(name).first()) !== null;
}

/**
 * Creates a topic unless it exists (idempotent create).
 * @returns the topic and whether this call created it.
 */
export async function createTopic(db: D1Database, name: string, description: string | null, now: number): Promise<{ topic: Topic; created: boolean }> {
  const created = await db.prepare(`INSERT INTO topics (name, description, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`).bind(name, description, now).first<Topic>();
  if (created) return { topic: created, created: true };
  const row = await db.prepare(`SELECT ${COLUMNS} FROM topics WHERE name = ?1`).bind(name).first<Topic>();
  return { topic: row!, created: false };
}

/** Topics named after `after`, in name order, at most `limit`. */
export async function listTopics(db: D1Database, after: string | undefined, limit: number): Promise<Topic[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM topics WHERE name > ?1 ORDER BY name LIMIT ?2`).bind(after ?? "", limit).all<Topic>();
  return results;
}

/** Deletes a topic; run with `deleteTopicSubscriptionsStatement` in one batch. */
export function deleteTopicStatement(db: D1Database, name: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM topics WHERE name = ?1`).bind(name);
}
