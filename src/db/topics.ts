/** The `topics` table (docs/api.md#topics-messages-and-subscriptions): names messages are published to; the seed catalogue comes from the migrations. */
import type { topics } from "./schema";

export type Topic = typeof topics.$inferSelect;

interface Row {
  name: string;
  description: string | null;
  created_at: number;
}
const toTopic = (r: Row): Topic => ({ name: r.name, description: r.description, createdAt: r.created_at });

/** Whether the topic exists. */
export async function topicExists(db: D1Database, name: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 FROM topics WHERE name = ?1`).bind(name).first()) !== null;
}

/**
 * Creates a topic unless it exists (idempotent create).
 * @returns the topic and whether this call created it.
 */
export async function createTopic(db: D1Database, name: string, description: string | null, now: number): Promise<{ topic: Topic; created: boolean }> {
  const created = await db.prepare(`INSERT INTO topics (name, description, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING RETURNING *`).bind(name, description, now).first<Row>();
  if (created) return { topic: toTopic(created), created: true };
  const row = await db.prepare(`SELECT * FROM topics WHERE name = ?1`).bind(name).first<Row>();
  return { topic: toTopic(row!), created: false };
}

/** Topics named after `after`, in name order, at most `limit`. */
export async function listTopics(db: D1Database, after: string | undefined, limit: number): Promise<Topic[]> {
  const { results } = await db.prepare(`SELECT * FROM topics WHERE name > ?1 ORDER BY name LIMIT ?2`).bind(after ?? "", limit).all<Row>();
  return results.map(toTopic);
}

/** Deletes a topic; run with `deleteTopicSubscriptionsStatement` in one batch. */
export function deleteTopicStatement(db: D1Database, name: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM topics WHERE name = ?1`).bind(name);
}
