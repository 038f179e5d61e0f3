/**
 * How the console shows a rendered message (outbox items, template previews): an email's HTML
 * in a sandboxed iframe (`sandbox=""`: no scripts, forms, popups or same-origin access) through
 * `srcdoc`, behind a CSP that stops it loading anything but inline styles and images, with its
 * plain-text part below; SMS, push and in-app text as preformatted text.
 */
import { el } from "/assets/ui.js";

/** Put in front of the HTML: the parser places a leading meta element in the document head. */
const EMAIL_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; font-src data: https:">`;

/**
 * @param {{body: string, html?: string | null}} message
 * @param {string} title accessible name of the iframe
 * @returns {HTMLElement[]}
 */
export function renderedBody(message, title) {
  if (!message.html) return [el("pre", { class: "message-body", text: message.body })];
  return [
    el("iframe", { sandbox: "", referrerpolicy: "no-referrer", title, srcdoc: EMAIL_CSP + message.html }),
    el("details", {}, el("summary", { text: "Plain-text part" }), el("pre", { text: message.body })),
  ];
}
