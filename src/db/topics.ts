/** The `topics` table (docs/api.md#topics-messages-and-subscriptions): names messages are published to; the seed catalogue comes from the migrations. */
import type { topics } from "./schema";

/** A topic as stored (`$inferSelect`), read through camelCase column aliases; `createdAt` in ms. */
export type Topic = typeof topics.$inferSelect;

/** A row as D1 returns it: SQLite has no boolean, so `selfService` is 0 or 1. */
type StoredTopic = Omit<Topic, "selfService"> & { selfService: number };

/** The table's one mapper: D1's 0/1 becomes the schema's boolean. */
const fromStored = (r: StoredTopic): Topic => ({ ...r, selfService: r.selfService === 1 });

const COLUMNS = `name, description, self_service AS "selfService", created_at AS "createdAt"`;

/** Whether the topic exists. */
export async function topicExists(db: D1Database, name: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 FROM topics WHERE name = ?1`).bind(name).first()) !== null;
}

/** A topic by name, or null. */
export async function findTopic(db: D1Database, name: string): Promise<Topic | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM topics WHERE name = ?1`).bind(name).first<StoredTopic>();
  return row === null ? null : fromStored(row);
}

/**
 * Creates a topic unless it exists (idempotent create). On an existing topic, a given
 * `selfService` is applied (the flag is the one setting `PUT` changes); `undefined` keeps it.
 * @returns the topic and whether this call created it.
 */
export async function createTopic(db: D1Database, name: string, description: string | null, selfService: boolean | undefined, now: number): Promise<{ topic: Topic; created: boolean }> {
  const created = await db
    .prepare(`INSERT INTO topics (name, description, self_service, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`)
    .bind(name, description, selfService === true ? 1 : 0, now)
    .first<StoredTopic>();
  if (created) return { topic: fromStored(created), created: true };
  const row =
    selfService === undefined
      ? await db.prepare(`SELECT ${COLUMNS} FROM topics WHERE name = ?1`).bind(name).first<StoredTopic>()
      : await db.prepare(`UPDATE topics SET self_service = ?2 WHERE name = ?1 RETURNING ${COLUMNS}`).bind(name, selfService ? 1 : 0).first<StoredTopic>();
  return { topic: fromStored(row!), created: false };
}

/** Topics named after `after`, in name order, at most `limit`. */
export async function listTopics(db: D1Database, after: string | undefined, limit: number): Promise<Topic[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM topics WHERE name > ?1 ORDER BY name LIMIT ?2`).bind(after ?? "", limit).all<StoredTopic>();
  return results.map(fromStored);
}

/** Deletes a topic; run with `deleteTopicSubscriptionsStatement` in one batch. */
export function deleteTopicStatement(db: D1Database, name: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM topics WHERE name = ?1`).bind(name);
}
