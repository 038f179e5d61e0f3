/**
 * Security headers on every page and API response (issue 14): a Content-Security-Policy
 * (`frame-ancestors 'none'` in each), `X-Content-Type-Options: nosniff` and
 * `Referrer-Policy: no-referrer`. The Worker's own responses get them from middleware
 * (src/http/security-headers.ts); static pages and assets are served by the platform before the
 * Worker runs, with `public/_headers` — here read through the ASSETS binding, which applies it.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API_CSP, CONSOLE_CSP, DOCS_CSP, PAGE_CSP } from "../../../src/http/security-headers";
import { REFERENCE_SCRIPT } from "../../../src/routes/system";
import { API_KEY, BASE, freshId, userToken } from "../../helpers";

function expectSecurityHeaders(res: Response, csp: string, what: string): void {
  expect(res.headers.get("content-security-policy"), what).toBe(csp);
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
}

const worker = (path: string, init: RequestInit = {}) => exports.default.fetch(new Request(`${BASE}${path}`, init));
const asset = (path: string) => (env as unknown as { ASSETS: Fetcher }).ASSETS.fetch(new Request(`${BASE}${path}`));

describe("the Worker's responses", () => {
  it("API JSON, problem documents (from routes and from middleware), /openapi.json, /health and /metrics carry the API policy", async () => {
    const token = await userToken(freshId());
    const cases: [string, RequestInit, number, string][] = [
      ["/v1/topics", { headers: { authorization: `Bearer ${API_KEY}` } }, 200, "application/json"],
      ["/v1/me/notifications", { headers: { authorization: `Bearer ${token}` } }, 200, "application/json"],
      ["/v1/topics", {}, 401, "application/problem+json"],
      ["/v1/no-such-route", { headers: { authorization: `Bearer ${API_KEY}` } }, 404, "application/problem+json"],
      ["/v1/notifications", { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: "{" }, 400, "application/problem+json"],
      ["/openapi.json", {}, 200, "application/json"],
      ["/health", {}, 200, "application/json"],
      ["/metrics", { headers: { authorization: `Bearer ${API_KEY}` } }, 200, "text/plain"],
    ];
    for (const [path, init, status, type] of cases) {
      const res = await worker(path, init);
      const what = `${init.method ?? "GET"} ${path}`;
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toContain(type);
      expectSecurityHeaders(res, API_CSP, what);
    }
  });

  it("/docs carries the page policy, and loads only our own pinned scripts, none inline", async () => {
    const res = await worker("/docs");
    expect(res.status).toBe(200);
    expectSecurityHeaders(res, DOCS_CSP, "/docs");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs]) => attrs!.match(/src="([^"]+)"/)?.[1])).toEqual([REFERENCE_SCRIPT.src, "/assets/docs.js"]);
    // No inline script: DOCS_CSP has no 'unsafe-inline' for scripts, and none is needed.
    expect(scripts.every(([, , body]) => body!.trim() === "")).toBe(true);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`integrity="${REFERENCE_SCRIPT.integrity}"`);
  });

  it("still upgrades WebSockets", async () => {
    const res = await worker(`/v1/me/connect?token=${await userToken(freshId())}`, { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000, "done");
  });
});

describe("static pages and assets (public/_headers)", () => {
  it("pages carry their policy; scripts, styles and the vendored reference carry the API policy", async () => {
    const cases: [string, string][] = [
      ["/", PAGE_CSP],
      ["/inbox/", PAGE_CSP],
      ["/console/", CONSOLE_CSP],
      ["/inbox/inbox.js", PAGE_CSP],
      ["/console/console.js", CONSOLE_CSP],
      ["/assets/herald.css", API_CSP],
      ["/assets/landing.css", API_CSP],
      ["/assets/docs.js", API_CSP],
      [REFERENCE_SCRIPT.src, API_CSP],
    ];
    for (const [path, csp] of cases) {
      const res = await asset(path);
      expect(res.status, path).toBe(200);
      expectSecurityHeaders(res, csp, path);
      await res.body?.cancel();
    }
  });

  it("the pages have no inline script or style (their policy would block it)", async () => {
    for (const path of ["/", "/inbox/", "/console/"]) {
      const html = await (await asset(path)).text();
      expect(html, path).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
      for (const [, attrs] of html.matchAll(/<script\b([^>]*)>/g)) expect(attrs, path).toMatch(/\ssrc="\//);
    }
  });

  it("the vendored API reference is the pinned file: its bytes match the page's integrity hash", async () => {
    const bytes = await (await asset(REFERENCE_SCRIPT.src)).arrayBuffer();
    const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-384", bytes))));
    expect(`sha384-${digest}`).toBe(REFERENCE_SCRIPT.integrity);
  });
});
