import Mustache from "mustache";
import { ApiError } from "../lib/errors";

type Token = [string, string, number, number, Token[]?, number?];

/** Looks up a dotted Mustache name (`a.b.c`) in `data`; `.` is the current context. */
function lookup(data: unknown, name: string): unknown {
  if (name === ".") return data;
  let value: unknown = data;
  for (const part of name.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Variables Herald fills itself when it sends an email, SMS or push (docs/api.md#preferences): the
 * signed one-click unsubscribe link of the notification's category and the hosted preference
 * page's link. They are never "missing"; where nothing is sent — the in-app text rendered at
 * acceptance, a preview without them in `data` — they print empty.
 */
export const LINK_VARIABLES: ReadonlySet<string> = new Set(["unsubscribeUrl", "preferencesUrl"]);

/**
 * Names of variables a template prints at top level that `data` does not provide ({@link LINK_VARIABLES} aside). Variables
 * inside sections are resolved against the section's own context (loops, conditions), so only
 * the section name itself is checked there — a missing section is just false.
 */
export function missingVariables(source: string, data: Record<string, unknown>): string[] {
  const missing = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const [kind, name] of tokens) {
      if ((kind === "name" || kind === "&") && !LINK_VARIABLES.has(name) && lookup(data, name) === undefined) missing.add(name);
    }
  };
  walk(Mustache.parse(source) as Token[]);
  return [...missing];
}

/**
 * Checks Mustache syntax.
 * @throws ApiError `template_invalid` (422) naming the parser's complaint.
 */
export function assertTemplateSyntax(source: string, path: string): void {
  try {
    Mustache.parse(source);
  } catch (error) {
    throw new ApiError("template_invalid", `Template syntax error in ${path}.`, {
      errors: [{ path, message: error instanceof Error ? error.message : String(error) }],
    });
  }
}

/**
 * Renders `parts` with `data`. `escapeHtml` true for email HTML bodies; plain text otherwise.
 * @throws ApiError `template_invalid` (422) listing every variable missing from `data` — never a silent blank (docs/api.md#templates-and-the-outbox).
 */
export function renderParts<K extends string>(
  parts: Record<K, string | null>,
  data: Record<string, unknown>,
  escapeHtml = false,
): Record<K, string | null> {
  const errors = Object.entries(parts).flatMap(([, source]) =>
    source ? missingVariables(source as string, data).map((name) => ({ path: `data.${name}`, message: `Missing variable \`${name}\`.` })) : [],
  );
  if (errors.length > 0) {
    const unique = [...new Map(errors.map((e) => [e.path, e])).values()];
    throw new ApiError("template_invalid", `The template needs data it was not given: ${unique.map((e) => e.path.slice(5)).join(", ")}.`, {
      errors: unique,
    });
  }
  const escape = escapeHtml ? undefined : (text: string) => text;
  const out = {} as Record<K, string | null>;
  for (const [key, source] of Object.entries(parts) as [K, string | null][]) {
    try {
      out[key] = source === null ? null : Mustache.render(source, data, undefined, escape ? { escape } : undefined);
    } catch (error) {
      // Data that cannot become text, e.g. `{"toString": {}}` where a variable prints an object
      // (found by test/integration/fuzz-http.test.ts): the caller's data is at fault, not us.
      throw new ApiError("template_invalid", "The data cannot be rendered into the template.", {
        errors: [{ path: "data", message: error instanceof Error ? error.message : String(error) }],
      });
    }
  }
  return out;
}

/** The rendered form of a template for one channel (docs/api.md#templates-and-the-outbox). */
export interface RenderedMessage {
  subject: string | null;
  /** Plain text; for email, the HTML body with its tags removed. */
  body: string;
  /** Email only: the body rendered with every variable HTML-escaped. */
  html: string | null;
}

/** Crude but safe HTML → text for the plain part of an email (tags dropped, entities of the escaper undone). */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h\d|\/li)\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x2F;/g, "/")
    .replace(/&#x60;/g, "`")
    .replace(/&#x3D;/g, "=")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Renders a template for `channel`: email bodies are HTML, rendered with every variable
 * HTML-escaped (`html`) plus a plain-text part; other channels render plain text.
 * @throws ApiError `template_invalid` (422) naming every variable missing from `data`.
 */
export function renderForChannel(template: { subject: string | null; body: string }, data: Record<string, unknown>, channel: string): RenderedMessage {
  if (channel === "email") {
    const { subject, html } = renderParts({ subject: template.subject, html: template.body }, data, true);
    const { subject: plainSubject } = renderParts({ subject: template.subject }, data);
    return { subject: plainSubject ?? subject, body: htmlToText(html ?? ""), html };
  }
  const { subject, body } = renderParts({ subject: template.subject, body: template.body }, data);
  return { subject, body: body ?? "", html: null };
}
