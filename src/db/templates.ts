/**
 * The one module that owns the SQL of D1 `templates` (docs/api.md#topics-messages-and-subscriptions). Templates are configuration,
 * written only through `/v1/templates`; they need no retention.
 */
import { templates } from "./schema";

/** A template as stored (`$inferSelect`): times in ms. */
export type Template = typeof templates.$inferSelect;

type TemplateRecord = Omit<Template, "active"> & { active: number };

const COLUMNS = `name, channel, subject, body, description, active, category, created_at AS createdAt, updated_at AS updatedAt`;
const toTemplate = (r: TemplateRecord): Template => ({ ...r, active: r.active === 1 });

/** Loads the named templates in one query, keyed by name (missing names are absent). */
export async function loadTemplates(db: D1Database, names: string[]): Promise<Map<string, Template>> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM templates WHERE name IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(unique))
    .all<TemplateRecord>();
  return new Map(results.map((t) => [t.name, toTemplate(t)]));
}

/** One template by name, or null. */
export async function findTemplate(db: D1Database, name: string): Promise<Template | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM templates WHERE name = ?1`).bind(name).first<TemplateRecord>();
  return row ? toTemplate(row) : null;
}

/**
 * Creates or replaces template `name`; `createdAt` is kept on a replace.
 * @param now ms. @returns the stored template and whether it was created.
 */
export async function upsertTemplate(
  db: D1Database,
  name: string,
  input: Pick<Template, "channel" | "subject" | "body" | "description" | "active" | "category">,
  now: number,
): Promise<{ template: Template; created: boolean }> {
  const row = await db
    .prepare(
      `INSERT INTO templates (name, channel, subject, body, description, active, created_at, updated_at, category)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
       ON CONFLICT (name) DO UPDATE SET channel = excluded.channel, subject = excluded.subject, body = excluded.body,
         description = excluded.description, active = excluded.active, updated_at = excluded.updated_at, category = excluded.category
       RETURNING ${COLUMNS}`,
    )
    .bind(name, input.channel, input.subject, input.body, input.description, input.active ? 1 : 0, now, input.category)
    .first<TemplateRecord>();
  return { template: toTemplate(row!), created: row!.createdAt === now };
}

/** Templates by name after `after`, at most `limit`. */
export async function listTemplates(db: D1Database, after: string, limit: number): Promise<Template[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM templates WHERE name > ?1 ORDER BY name LIMIT ?2`).bind(after, limit).all<TemplateRecord>();
  return results.map(toTemplate);
}

/** Deletes template `name`. @returns whether it existed. */
export async function deleteTemplate(db: D1Database, name: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM templates WHERE name = ?1`).bind(name).run();
  return result.meta.changes > 0;
}
