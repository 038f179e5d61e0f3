/** The small HTML pages the Worker renders itself (unsubscribe confirmation, /problems), under PAGE_CSP. */

/** Escapes text for HTML element content and double-quoted attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A minimal page: the shared stylesheet, no script (PAGE_CSP allows none inline, src/http/security-headers.ts).
 * `title` is escaped here; `body` is HTML the caller built with {@link escapeHtml}.
 */
export const htmlPage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/assets/herald.css"></head>` +
  `<body><main id="main" class="link-page"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
