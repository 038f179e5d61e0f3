/**
 * Templates (docs/api.md#templates-and-the-outbox; seed problem: templates rendered by string replacement). Mustache syntax
 * (`{{var}}`, sections for conditions and loops), checked at save; rendering refuses data that
 * lacks a variable the template prints, naming every missing one — never a silent blank.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { Category, Channel } from "../notifications/input";
import { assertTemplateSyntax, renderForChannel } from "../templates/render";
import { deleteTemplate, findTemplate, listTemplates, upsertTemplate, type Template } from "../db/templates";

export const templates = createRouter();

/** Template names: the topic-name pattern (docs/api.md#templates-and-the-outbox), e.g. `welcome`, `behaviour.like`. */
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
    category: Category.nullable().optional().openapi({ description: "Default preference category of notifications from this template (else `general`)." }),
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
    category: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Template");

const toView = (t: Template): z.infer<typeof TemplateView> => ({
  name: t.name,
  channel: t.channel,
  subject: t.subject,
  body: t.body,
  description: t.description,
  active: t.active,
  category: t.category,
  createdAt: new Date(t.createdAt).toISOString(),
  updatedAt: new Date(t.updatedAt).toISOString(),
});

const params = z.object({ name: TemplateName });

async function templateOr404(db: D1Database, name: string): Promise<Template> {
  const template = await findTemplate(db, name);
  if (!template) throw new ApiError("not_found", "No template has this name.");
  return template;
}

templates.openapi(
  createRoute({
    method: "put",
    path: "/v1/templates/{name}",
    operationId: "upsertTemplate",
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
    const { template, created } = await upsertTemplate(
      c.env.DB,
      name,
      { channel: input.channel, subject: input.subject ?? null, body: input.body, description: input.description ?? null, active: input.active, category: input.category ?? null },
      Date.now(),
    );
    return created ? c.json(toView(template), 201) : c.json(toView(template), 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/v1/templates",
    operationId: "listTemplates",
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
    const page = await listTemplates(c.env.DB, after ?? "", limit + 1);
    return c.json(pageOf(page, limit, (t) => t.name, toView), 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/v1/templates/{name}",
    operationId: "getTemplate",
    tags: ["templates"],
    summary: "Get a template",
    request: { params },
    responses: { 200: { description: "The template", content: { "application/json": { schema: TemplateView } } }, ...commonErrors, 404: problemResponse("No such template") },
  }),
  async (c) => c.json(toView(await templateOr404(c.env.DB, c.req.valid("param").name)), 200),
);

templates.openapi(
  createRoute({
    method: "delete",
    path: "/v1/templates/{name}",
    operationId: "deleteTemplate",
    tags: ["templates"],
    summary: "Delete a template",
    description: "Notifications already accepted keep what they rendered; new ones naming it are refused.",
    request: { params },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such template") },
  }),
  async (c) => {
    if (!(await deleteTemplate(c.env.DB, c.req.valid("param").name))) throw new ApiError("not_found", "No template has this name.");
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
    operationId: "previewTemplate",
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
    const template = await templateOr404(c.env.DB, c.req.valid("param").name);
    return c.json({ channel: template.channel, ...renderForChannel(template, c.req.valid("json").data, template.channel) }, 200);
  },
);
