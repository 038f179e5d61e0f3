/**
 * Templates (SPEC §7; seed problem: templates rendered by string replacement). Mustache syntax
 * (`{{var}}`, sections for conditions and loops), checked at save; rendering refuses data that
 * lacks a variable the template prints, naming every missing one — never a silent blank.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { Channel } from "../notifications/input";
import { assertTemplateSyntax, renderForChannel } from "../templates/render";

export const templates = createRouter();

/** Template names: the topic-name pattern (SPEC §7), e.g. `welcome`, `behaviour.like`. */
export const TemplateName = z
  .string()
  .max(128)
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "Lowercase words of a-z, 0-9 and _, joined by dots.")
  .openapi({ example: "wallet_recharged" });

const TemplateInput = z
  .object({
    channel: Channel.openapi({ description: "The channel the template is written for; email bodies are HTML and rendered HTML-escaped." }),
    subject: z.string().min(1).max(998).nullable().optional().openapi({ description: "Email subject, or the title for in-app and push." }),
    body: z.string().min(1).max(64 * 1024),
    description: z.string().max(500).nullable().optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .openapi("TemplateInput");

const TemplateView = z
  .object({
    name: z.string(),
    channel: Channel,
    subject: z.string().nullable(),
    body: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Template");

interface TemplateRow {
  name: string;
  channel: z.infer<typeof Channel>;
  subject: string | null;
  body: string;
  description: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

const toView = (r: TemplateRow): z.infer<typeof TemplateView> => ({
  name: r.name,
  channel: r.channel,
  subject: r.subject,
  body: r.body,
  description: r.description,
  active: r.active === 1,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const params = z.object({ name: TemplateName });

async function findTemplate(db: D1Database, name: string): Promise<TemplateRow> {
  const row = await db.prepare(`SELECT * FROM templates WHERE name = ?1`).bind(name).first<TemplateRow>();
  if (!row) throw new ApiError("not_found", "No template has this name.");
  return row;
}

templates.openapi(
  createRoute({
    method: "put",
    path: "/v1/templates/{name}",
    tags: ["templates"],
    summary: "Create or replace a template",
    description: "A Mustache syntax error in `subject` or `body` → 422 `template_invalid` and nothing saved.",
    request: { params, ...jsonRequest(TemplateInput) },
    responses: {
      200: { description: "Replaced", content: { "application/json": { schema: TemplateView } } },
      201: { description: "Created", content: { "application/json": { schema: TemplateView } } },
      ...commonErrors,
      422: problemResponse("Template syntax error"),
    },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const input = c.req.valid("json");
    if (input.subject) assertTemplateSyntax(input.subject, "subject");
    assertTemplateSyntax(input.body, "body");
    const now = Date.now();
    const row = await c.env.DB.prepare(
      `INSERT INTO templates (name, channel, subject, body, description, active, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
       ON CONFLICT (name) DO UPDATE SET channel = excluded.channel, subject = excluded.subject, body = excluded.body,
         description = excluded.description, active = excluded.active, updated_at = excluded.updated_at
       RETURNING *`,
    )
      .bind(name, input.channel, input.subject ?? null, input.body, input.description ?? null, input.active ? 1 : 0, now)
      .first<TemplateRow>();
    return row!.created_at === now ? c.json(toView(row!), 201) : c.json(toView(row!), 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/v1/templates",
    tags: ["templates"],
    summary: "List templates",
    request: { query: PageQuery },
    responses: {
      200: { description: "A page, by name", content: { "application/json": { schema: z.object({ items: z.array(TemplateView), nextCursor: z.string().nullable() }) } } },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = stringCursor(cursor);
    const { results } = await c.env.DB.prepare(`SELECT * FROM templates WHERE name > ?1 ORDER BY name LIMIT ?2`)
      .bind(after ?? "", limit + 1)
      .all<TemplateRow>();
    return c.json(pageOf(results, limit, (r) => r.name, toView), 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/v1/templates/{name}",
    tags: ["templates"],
    summary: "Get a template",
    request: { params },
    responses: { 200: { description: "The template", content: { "application/json": { schema: TemplateView } } }, ...commonErrors, 404: problemResponse("No such template") },
  }),
  async (c) => c.json(toView(await findTemplate(c.env.DB, c.req.valid("param").name)), 200),
);

templates.openapi(
  createRoute({
    method: "delete",
    path: "/v1/templates/{name}",
    tags: ["templates"],
    summary: "Delete a template",
    description: "Notifications already accepted keep what they rendered; new ones naming it are refused.",
    request: { params },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such template") },
  }),
  async (c) => {
    const result = await c.env.DB.prepare(`DELETE FROM templates WHERE name = ?1`).bind(c.req.valid("param").name).run();
    if (result.meta.changes === 0) throw new ApiError("not_found", "No template has this name.");
    return c.body(null, 204);
  },
);

const Rendered = z
  .object({
    channel: Channel,
    subject: z.string().nullable(),
    body: z.string().openapi({ description: "Plain text (for email, the HTML with tags removed)." }),
    html: z.string().nullable().openapi({ description: "Email only: the body rendered with every variable HTML-escaped." }),
  })
  .openapi("RenderedTemplate");

templates.openapi(
  createRoute({
    method: "post",
    path: "/v1/templates/{name}/preview",
    tags: ["templates"],
    summary: "Render a template with data",
    description: "Renders exactly as a notification would. Variables missing from `data` → 422 `template_invalid` naming every one.",
    request: { params, ...jsonRequest(z.object({ data: z.record(z.string(), z.unknown()).default({}) }).strict()) },
    responses: {
      200: { description: "Rendered", content: { "application/json": { schema: Rendered } } },
      ...commonErrors,
      404: problemResponse("No such template"),
      422: problemResponse("Missing variables"),
    },
  }),
  async (c) => {
    const template = await findTemplate(c.env.DB, c.req.valid("param").name);
    return c.json({ channel: template.channel, ...renderForChannel(template, c.req.valid("json").data, template.channel) }, 200);
  },
);
