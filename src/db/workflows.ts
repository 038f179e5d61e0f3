/**
 * The one module that owns the SQL of D1 `workflows` (docs/api.md#workflows): definitions are
 * configuration, written only through `/v1/workflows/{key}`; they need no retention.
 */
import type { WorkflowDefinition, WorkflowStep } from "../workflows/definition";
import type { workflows } from "./schema";

/** A stored definition (`$inferSelect`), times in ms. */
export type Workflow = Omit<typeof workflows.$inferSelect, "steps"> & { steps: WorkflowStep[] };

interface Row {
  key: string;
  version: number;
  name: string | null;
  category: string | null;
  critical: number;
  steps: string;
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = `key, version, name, category, critical, steps, created_at AS createdAt, updated_at AS updatedAt`;
const toWorkflow = (r: Row): Workflow => ({ ...r, critical: r.critical === 1, steps: JSON.parse(r.steps) as WorkflowStep[] });

/** The definition a run keeps: the stored one without its timestamps. */
export function definitionOf(w: Workflow): WorkflowDefinition {
  return { key: w.key, version: w.version, name: w.name, category: w.category, critical: w.critical, steps: w.steps };
}

/**
 * Creates or replaces `key`: a replace increments `version` and keeps `createdAt`.
 * @param now ms. @returns the stored definition and whether it was created.
 */
export async function upsertWorkflow(
  db: D1Database,
  key: string,
  input: Pick<Workflow, "name" | "category" | "critical" | "steps">,
  now: number,
): Promise<{ workflow: Workflow; created: boolean }> {
  const row = await db
    .prepare(
      `INSERT INTO workflows (key, version, name, category, critical, steps, created_at, updated_at)
       VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (key) DO UPDATE SET version = workflows.version + 1, name = excluded.name, category = excluded.category,
         critical = excluded.critical, steps = excluded.steps, updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    )
    .bind(key, input.name, input.category, input.critical ? 1 : 0, JSON.stringify(input.steps), now)
    .first<Row>();
  return { workflow: toWorkflow(row!), created: row!.version === 1 };
}

/** One definition by key, or null. */
export async function findWorkflow(db: D1Database, key: string): Promise<Workflow | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM workflows WHERE key = ?1`).bind(key).first<Row>();
  return row ? toWorkflow(row) : null;
}

/** Definitions by key after `after`, at most `limit`. */
export async function listWorkflows(db: D1Database, after: string, limit: number): Promise<Workflow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM workflows WHERE key > ?1 ORDER BY key LIMIT ?2`).bind(after, limit).all<Row>();
  return results.map(toWorkflow);
}

/** Deletes `key` (runs already started keep their snapshot). @returns whether it existed. */
export async function deleteWorkflow(db: D1Database, key: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM workflows WHERE key = ?1`).bind(key).run();
  return result.meta.changes > 0;
}
