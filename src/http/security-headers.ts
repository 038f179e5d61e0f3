/**
 * Security headers on every response the Worker answers (issue 14). Static pages and assets
 * (/, /inbox/, /console/, /assets/*) never reach the Worker — the platform serves them from
 * `public/` before it runs — so they get the same policies from `public/_headers`;
 * test/integration/security/headers.test.ts holds both to the constants below.
 *
 * The HTML pages the Worker renders are /docs and the unsubscribe confirmation
 * (`GET /v1/unsubscribe`, {@link PAGE_CSP}: no script at all, a plain form); every other response
 * is data (JSON, problem documents, metrics text), for which nothing may load, run or frame at all.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/** For API responses (JSON, problem+json, text): they are never documents, so nothing loads. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * For the /inbox page and the landing page: scripts, styles, images and fonts only from this
 * origin, no inline script or style, fetches and the WebSocket only to this origin (CSP Level 3
 * `'self'` matches ws: and wss: on the page's own host), never framed (clickjacking).
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * For /console: as {@link PAGE_CSP}, but a rendered email is shown in a sandboxed `srcdoc`
 * iframe, which inherits the page's policy — so inline styles and https images are allowed for
 * the email to look as it will in a mail client. Scripts stay `'self'` only (the iframe's
 * sandbox runs none at all).
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; " +
  "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * For /docs, the API reference (src/routes/system.ts): its script is ours (a pinned copy under
 * /vendor/), but it injects its styles inline and draws icons from data: URLs.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Headers every response carries, whatever it is. */
export const COMMON_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // For browsers that predate CSP's frame-ancestors.
  "x-frame-options": "DENY",
} as const;

/**
 * Sets {@link COMMON_SECURITY_HEADERS} and a Content-Security-Policy on every response the
 * Worker answers, errors included (`onError` and `notFound` responses pass back through here):
 * {@link DOCS_CSP} for /docs, {@link PAGE_CSP} for the other HTML, {@link API_CSP} for everything else. WebSocket
 * upgrades (101) are left alone: their headers reach no document.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  // A copy: a response passed through from a Durable Object or a fetch has immutable headers.
  c.res = new Response(c.res.body, c.res);
  const headers = c.res.headers;
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) headers.set(name, value);
  const html = /^text\/html\b/i.test(headers.get("content-type") ?? "");
  headers.set("content-security-policy", !html ? API_CSP : c.req.path === "/docs" ? DOCS_CSP : PAGE_CSP);
};
