/**
 * The pages that problem documents' `type` URIs point at (docs/api.md#problem-types): `/problems`
 * lists every code, `/problems/{slug}` explains one. No authentication: a client that received a
 * problem must be able to read what it means. Not in the OpenAPI document: they are pages, like /docs.
 */
import { createRouter } from "../http/router";
import { codeOfSlug, problemIndexHtml, problemPageHtml } from "../http/problem-pages";
import { ApiError, ERROR_STATUS, problemType, type ErrorCode } from "../lib/errors";

export const problems = createRouter();

problems.get("/problems", (c) => c.html(problemIndexHtml()));

problems.get("/problems/:slug", (c) => {
  const slug = c.req.param("slug");
  const code = codeOfSlug(slug);
  if (code) return c.html(problemPageHtml(code));
  // The snake_case `code` a client sees next to `type`: send it to the page's one address.
  if (Object.hasOwn(ERROR_STATUS, slug)) return c.redirect(problemType(slug as ErrorCode), 301);
  throw new ApiError("not_found", `No problem type \`${slug}\`; /problems lists them all.`);
});
