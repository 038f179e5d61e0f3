/**
 * Routes opened from an email's signed links (docs/api.md#preferences; src/preferences/links.ts), with
 * no other credential: one-click unsubscribe (RFC 8058: `POST` unsubscribes; `GET` only shows a
 * confirmation page, because link scanners and prefetchers follow every URL in a mail) and the
 * API of the hosted preference page (`/preferences?token=`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { escapeHtml, htmlPage } from "../http/html-page";
import { createRouter } from "../http/router";
import { commonErrors, problemResponse } from "../http/schemas";
import { EffectivePreferencesView, PreferencePatchBody } from "../preferences/document";
import { verifyLinkToken } from "../preferences/links";
import { patchPreferences, preferencesOf } from "../preferences/store";

export const preferenceLinks = createRouter();

const TokenQuery = z.object({ token: z.string().min(1).max(2048).openapi({ description: "The signed link token from the email." }) });

const HtmlPage = z.string().describe("A small HTML page for people.").openapi({ example: "<!doctype html><title>Unsubscribed</title><p>You will no longer get <strong>newsletter</strong> notifications by email.</p>" });

const wantsHtml = (c: Context<AppEnv>) => /\btext\/html\b/.test(c.req.header("accept") ?? "");

preferenceLinks.openapi(
  createRoute({
    method: "get",
    path: "/v1/unsubscribe",
    operationId: "showUnsubscribePage",
    tags: ["preferences"],
    summary: "Unsubscribe confirmation page",
    description: "Shows what the link would unsubscribe from, with a button that `POST`s it. Changes nothing: link scanners open every URL.",
    security: [],
    request: { query: TokenQuery },
    responses: { 200: { description: "The confirmation page", content: { "text/html": { schema: HtmlPage } } }, 400: problemResponse("Invalid, forged or tampered token") },
  }),
  async (c) => {
    const { token } = c.req.valid("query");
    const link = await verifyLinkToken(c.env, token, "unsubscribe");
    const action = `/v1/unsubscribe?token=${encodeURIComponent(token)}`;
    return c.html(
      htmlPage(
        "Unsubscribe",
        `<p>Stop <strong>${escapeHtml(link.cat)}</strong> notifications by ${escapeHtml(link.ch.replace("_", "-"))}?</p>` +
          `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ),
    );
  },
);

preferenceLinks.openapi(
  createRoute({
    method: "post",
    path: "/v1/unsubscribe",
    operationId: "unsubscribeOneClick",
    tags: ["preferences"],
    summary: "One-click unsubscribe (RFC 8058)",
    description: [
      "Turns the token's category off on its channel (email) for its user: `unsubscribed.<category>.<channel> = true` in the",
      "preference document, which skips those deliveries with `reason: \"unsubscribed\"`. No other credential; the body",
      "(`List-Unsubscribe=One-Click`) is ignored. Repeating it changes nothing more. A forged or tampered token → 400, nothing changed.",
    ].join(" "),
    security: [],
    request: { query: TokenQuery },
    responses: {
      200: {
        description: "Unsubscribed (an HTML page for browsers that ask for one)",
        content: {
          "application/json": {
            schema: z
              .object({
                unsubscribed: z.literal(true).describe("Always true: the category is off on that channel now."),
                category: z.string().describe("The category unsubscribed from."),
                channel: z.string().describe("The channel unsubscribed from."),
              })
              .openapi({ example: { unsubscribed: true, category: "newsletter", channel: "email" } }),
          },
          "text/html": { schema: HtmlPage },
        },
      },
      400: problemResponse("Invalid, forged or tampered token"),
    },
  }),
  async (c) => {
    const link = await verifyLinkToken(c.env, c.req.valid("query").token, "unsubscribe");
    await patchPreferences(c.env.DB, link.sub, { unsubscribed: { [link.cat]: { [link.ch]: true } } }, null);
    if (wantsHtml(c)) return c.html(htmlPage("Unsubscribed", `<p>You will no longer get <strong>${escapeHtml(link.cat)}</strong> notifications by ${escapeHtml(link.ch.replace("_", "-"))}.</p>`));
    return c.json({ unsubscribed: true as const, category: link.cat, channel: link.ch }, 200);
  },
);

const linkResponses = { 200: { description: "The effective document", content: { "application/json": { schema: EffectivePreferencesView } } }, ...commonErrors, 412: problemResponse("`If-Match` is stale") };

preferenceLinks.openapi(
  createRoute({
    method: "get",
    path: "/v1/preferences/by-link",
    operationId: "getPreferencesByLink",
    tags: ["preferences"],
    summary: "Read preferences with a preference-page link",
    description: "For the hosted page `/preferences?token=`: the token (from `{{preferencesUrl}}` or `POST /v1/me/preferences/link`) is the only credential.",
    security: [],
    request: { query: TokenQuery },
    responses: linkResponses,
  }),
  async (c) => {
    const link = await verifyLinkToken(c.env, c.req.valid("query").token, "preferences");
    return c.json(await preferencesOf(c.env.DB, link.sub), 200);
  },
);

preferenceLinks.openapi(
  createRoute({
    method: "patch",
    path: "/v1/preferences/by-link",
    operationId: "updatePreferencesByLink",
    tags: ["preferences"],
    summary: "Change preferences with a preference-page link",
    description: "The same RFC 7396 merge patch as `PATCH /v1/me/preferences`, for the token's user.",
    security: [],
    request: {
      query: TokenQuery,
      headers: z.object({
        "if-match": z
          .string()
          .regex(/^(W\/)?"?\d{1,15}"?$/)
          .optional()
          .describe("Apply only if the document is still at this version; else 412 `precondition_failed`."),
      }),
      body: { required: true, content: { "application/merge-patch+json": { schema: PreferencePatchBody }, "application/json": { schema: PreferencePatchBody } } },
    },
    responses: linkResponses,
  }),
  async (c) => {
    const link = await verifyLinkToken(c.env, c.req.valid("query").token, "preferences");
    const ifMatch = c.req.valid("header")["if-match"];
    return c.json(await patchPreferences(c.env.DB, link.sub, await c.req.json(), ifMatch === undefined ? null : Number(ifMatch.replace(/\D/g, ""))), 200);
  },
);
