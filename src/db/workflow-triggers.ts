/**
 * The one module that owns the SQL of D1 `workflow_triggers` (docs/data-model.md#workflow_triggers):
 * each accepted trigger with the definition snapshot its runs keep, its data and recipient count.
 */
import type { WorkflowDefinition } from "../workflows/definition";
import type { workflowTriggers } from "./schema";

/** A trigger as accepted (`$inferInsert` with the definition typed); times in ms. */
export type NewWorkflowTrigger = Omit<typeof workflowTriggers.$inferInsert, "definition" | "recipients" | "plannedAt"> & { definition: WorkflowDefinition };

/** A stored trigger with its definition and data parsed. */
export interface WorkflowTrigger {
  id: string;
  workflowKey: string;
  definition: WorkflowDefinition;
  data: Record<string, unknown>;
  actor: string | null;
  recipients: number;
  createdAt: number;
  plannedAt: number | null;
}

interface Row {
  id: string;
  workflowKey: string;
  definition: string;
  data: string | null;
  actor: string | null;
  recipients: number;
  createdAt: number;
  plannedAt: number | null;
}

const COLUMNS = `id, workflow_key AS workflowKey, definition, data, actor, recipients, created_at AS createdAt, planned_at AS plannedAt`;
const toTrigger = (r: Row): WorkflowTrigger => ({
  ...r,
  definition: JSON.parse(r.definition) as WorkflowDefinition,
  data: r.data === null ? {} : (JSON.parse(r.data) as Record<string, unknown>),
});

/**
 * Inserts the trigger (recipients 0 until {@link countRecipientsStatement}); run it first in the
 * acceptance batch. With `claimedScope`, only while the idempotency record (scope, key) names
 * this trigger's id — the request that won the key creates it, a stalled one that lost it does not.
 */
export function insertTriggerStatement(db: D1Database, t: NewWorkflowTrigger, claimedScope: string | null): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO workflow_triggers (id, workflow_key, definition, data, actor, idempotency_key, recipients, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, 0, ?7
       WHERE ?8 IS NULL OR EXISTS (SELECT 1 FROM idempotency_records WHERE scope = ?8 AND key = ?6 AND resource_id = ?1)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(t.id, t.workflowKey, JSON.stringify(t.definition), t.data ?? null, t.actor ?? null, t.idempotencyKey ?? null, t.createdAt, claimedScope);
}

/**
 * Sets the trigger's recipient count from its snapshot; run it after the snapshot in the same
 * batch. Returns `{recipients}` when the trigger exists (i.e. was inserted by this batch).
 */
export function countRecipientsStatement(db: D1Database, triggerId: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE workflow_triggers SET recipients = (SELECT COUNT(*) FROM workflow_trigger_recipients WHERE trigger_id = ?1) WHERE id = ?1 RETURNING recipients`)
    .bind(triggerId);
}

/** The triggers named, keyed by id (one query). */
export async function loadTriggers(db: D1Database, ids: readonly string[]): Promise<Map<string, WorkflowTrigger>> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM workflow_triggers WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids)).all<Row>();
  return new Map(results.map((r) => [r.id, toTrigger(r)]));
}

/** Marks the trigger's fan-out enqueued at `now` (ms). */
export async function markPlanned(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare(`UPDATE workflow_triggers SET planned_at = ?2 WHERE id = ?1 AND planned_at IS NULL`).bind(id, now).run();
}

/** Triggers accepted before `before` (ms) whose fan-out was never enqueued, at most `limit` (for the sweeper). */
export async function strandedTriggers(db: D1Database, before: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT id FROM workflow_triggers WHERE planned_at IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2`)
    .bind(before, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Retention (docs/data-model.md#workflow_triggers): deletes at most `limit` triggers accepted
 * before `before` (ms) whose fan-out was enqueued and whose recipient snapshot is gone already
 * (`purgeWorkflowTriggerRecipients` first); unplanned ones are live work and stay. Uses
 * `workflow_triggers_planned`. @returns rows deleted.
 */
export async function purgeWorkflowTriggers(db: D1Database, before: number, limit: number): Promise<number> {
  const { meta } = await db
    .prepare(
      `DELETE FROM workflow_triggers WHERE rowid IN (
         SELECT t.rowid FROM workflow_triggers t WHERE t.planned_at IS NOT NULL AND t.created_at < ?1
           AND NOT EXISTS (SELECT 1 FROM workflow_trigger_recipients r WHERE r.trigger_id = t.id) LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return meta.changes;
}
