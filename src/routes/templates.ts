/**
 * Templates (docs/api.md#templates-and-the-outbox; seed problem: templates rendered by string replacement). Mustache syntax
 * (`{{var}}`, sections for conditions and loops), checked at save; rendering refuses data that
 * lacks a variable the template prints, naming every missing one — never a silent blank.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, pageSchema, problemResponse } from "../http/schemas";
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
  .describe("Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots.")
  .openapi({ example: "wallet_recharged" });

const TemplateInput = z
  .object({
    channel: Channel.openapi({ description: "The channel the template is written for; email bodies are HTML and rendered HTML-escaped." }),
    subject: z.string().min(1).max(998).nullable().optional().openapi({ description: "Email subject, or the title for in-app and push." }),
    body: z.string().min(1).max(64 * 1024).describe("Mustache body, up to 64 KiB: `{{var}}` prints a variable, sections test and loop."),
    description: z.string().max(500).nullable().optional().describe("What the template is for, for people; up to 500 characters."),
    active: z.boolean().default(true).describe("An inactive template refuses new notifications that name it."),
    category: Category.nullable().optional().openapi({ description: "Default preference category of notifications from this template (else `general`)." }),
  })
  .strict()
  .openapi("TemplateInput", {
    example: {
      channel: "email",
      subject: "Your wallet was topped up",
      body: "<p>Hi {{name}}, {{amount}} {{currency}} were added to your wallet.</p>",
      description: "Sent after a successful top-up.",
      active: true,
      category: "billing",
    },
  });

const TEMPLATE_EXAMPLE = {
  name: "wallet_recharged",
  channel: "email" as const,
  subject: "Your wallet was topped up",
  body: "<p>Hi {{name}}, {{amount}} {{currency}} were added to your wallet.</p>",
  description: "Sent after a successful top-up.",
  active: true,
  category: "billing",
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-01T09:00:00.000Z",
};

const TemplateView = z
  .object({
    name: z.string().describe("The template name."),
    channel: Channel,
    subject: z.string().nullable().describe("Email subject, or the title for in-app and push."),
    body: z.string().describe("The Mustache body."),
    description: z.string().nullable().describe("What the template is for."),
    active: z.boolean().describe("Whether new notifications may name it."),
    category: z.string().nullable().describe("Default preference category of its notifications."),
    createdAt: z.string().describe("When it was first saved (ISO 8601)."),
    updatedAt: z.string().describe("When it was last saved (ISO 8601)."),
  })
  .openapi("Template", { example: TEMPLATE_EXAMPLE });

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
    description: "Every template, by name, paginated.",
    request: { query: PageQuery },
    responses: {
      200: { description: "A page, by name", content: { "application/json": { schema: pageSchema(TemplateView, TEMPLATE_EXAMPLE) } } },
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
    description: "The template as last saved.",
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
    subject: z.string().nullable().describe("The rendered subject or title."),
    body: z.string().openapi({ description: "Plain text (for email, the HTML with tags removed)." }),
    html: z.string().nullable().openapi({ description: "Email only: the body rendered with every variable HTML-escaped." }),
  })
  .openapi("RenderedTemplate", {
    example: {
      channel: "email",
      subject: "Your wallet was topped up",
      body: "Hi Ada, 50 EUR were added to your wallet.",
      html: "<p>Hi Ada, 50 EUR were added to your wallet.</p>",
    },
  });

const PreviewInput = z
  .object({ data: z.record(z.string(), z.unknown()).default({}).describe("The variables to render with, as a notification's `data`.") })
  .strict()
  .openapi("TemplatePreviewInput", { example: { data: { name: "Ada", amount: 50, currency: "EUR" } } });

templates.openapi(
  createRoute({
    method: "post",
    path: "/v1/templates/{name}/preview",
    operationId: "previewTemplate",
    tags: ["templates"],
    summary: "Render a template with data",
    description: "Renders exactly as a notification would. Variables missing from `data` → 422 `template_invalid` naming every one.",
    request: { params, ...jsonRequest(PreviewInput) },
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
