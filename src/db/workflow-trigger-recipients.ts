/**
 * The `workflow_trigger_recipients` table (docs/data-model.md#workflow_trigger_recipients): each
 * trigger's recipients, fixed at acceptance — the `to` list, or the topic's subscribers then.
 */

/** Copies `userIds` (deduplicated by the primary key) into the trigger's snapshot; run it after `insertTriggerStatement` in the same batch. */
export function snapshotUsersStatement(db: D1Database, triggerId: string, userIds: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO workflow_trigger_recipients (trigger_id, user_id)
       SELECT ?1, value FROM json_each(?2) WHERE EXISTS (SELECT 1 FROM workflow_triggers WHERE id = ?1)
       ON CONFLICT DO NOTHING`,
    )
    .bind(triggerId, JSON.stringify(userIds));
}

/** Copies the topic's subscribers into the trigger's snapshot, one statement (as broadcasts do, src/db/broadcast-recipients.ts). */
export function snapshotTopicStatement(db: D1Database, triggerId: string, topic: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO workflow_trigger_recipients (trigger_id, user_id)
       SELECT ?1, user_id FROM topic_subscribers WHERE topic = ?2 AND EXISTS (SELECT 1 FROM workflow_triggers WHERE id = ?1)
       ON CONFLICT DO NOTHING`,
    )
    .bind(triggerId, topic);
}

/** Every recipient of the trigger, in user id order (one primary-key range read). */
export async function recipientsOf(db: D1Database, triggerId: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT user_id AS "userId" FROM workflow_trigger_recipients WHERE trigger_id = ?1 ORDER BY user_id`).bind(triggerId).all<{ userId: string }>();
  return results.map((r) => r.userId);
}

/**
 * Retention (docs/data-model.md#workflow_trigger_recipients): deletes at most `limit` snapshot rows
 * of triggers accepted before `before` (ms) whose fan-out was enqueued; unplanned triggers keep
 * theirs. @returns rows deleted.
 */
export async function purgeWorkflowTriggerRecipients(db: D1Database, before: number, limit: number): Promise<number> {
  const { meta } = await db
    .prepare(
      `DELETE FROM workflow_trigger_recipients WHERE rowid IN (
         SELECT r.rowid FROM workflow_triggers t JOIN workflow_trigger_recipients r ON r.trigger_id = t.id
         WHERE t.planned_at IS NOT NULL AND t.created_at < ?1 LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return meta.changes;
}
