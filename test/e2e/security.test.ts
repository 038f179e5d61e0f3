/**
 * The pages' side of issue 14, in Chromium:
 * - `/docs` works with no internet: with every request to another origin blocked, the API
 *   reference renders from our own assets (the pinned copy under /vendor/), under the page's
 *   Content-Security-Policy, and the page asks for nothing from another origin — not a script,
 *   a font or a telemetry beacon;
 * - the other pages are held to their policies too: no CSP violation on /, /inbox/ or /console/;
 * - the /inbox page opens its socket with a connect ticket: the token is in no URL.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base, freshId, launchBrowser, type Browser } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Blocks and records every request to another origin; collects CSP violations from the console. */
async function offlinePage(): Promise<{ page: Page; errors: Error[]; foreign: string[]; violations: string[] }> {
  const { page, errors } = await browser.page();
  const origin = new URL(base()).origin;
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort("internetdisconnected");
  });
  // A page's `fetch`/WebSocket to elsewhere would show here too (page.route sees no WebSockets).
  page.on("websocket", (ws) => {
    if (new URL(ws.url()).host !== new URL(origin).host) foreign.push(ws.url());
  });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, errors, foreign, violations };
}

describe("/docs offline", () => {
  it("renders the reference from local assets, with no request to another origin and no CSP violation", async () => {
    const { page, errors, foreign, violations } = await offlinePage();
    const response = await page.goto(`${base()}/docs`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    // The document's title and an operation's summary, drawn by the reference's script.
    await page.getByText("Liveness and dependency checks").first().waitFor({ timeout: 20_000 });
    await page.getByRole("heading", { name: "Herald API" }).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the pages under their CSP", () => {
  it("/, /inbox/ and /console/ load with no CSP violation and no request to another origin", async () => {
    for (const path of ["/", "/inbox/", "/console/"]) {
      const { page, errors, foreign, violations } = await offlinePage();
      const response = await page.goto(`${base()}${path}`);
      expect(response?.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
      await page.waitForLoadState("networkidle");
      expect(foreign, path).toEqual([]);
      expect(violations, path).toEqual([]);
      expect(errors, path).toEqual([]);
      await page.close();
    }
  });
});

describe("the /inbox page's socket", () => {
  it("connects with a single-use ticket, never with the token in the URL, under the page's CSP", async () => {
    const { page, errors, foreign, violations } = await offlinePage();
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(`${base()}/inbox/`);
    await page.getByLabel("User id").fill(freshId("e2e-ticket"));
    await page.getByRole("button", { name: "Get a dev token" }).click();
    await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
    expect(sockets).toHaveLength(1);
    const url = new URL(sockets[0]!);
    expect(url.pathname).toBe("/v1/me/connect");
    expect(url.searchParams.get("ticket")).toBeTruthy();
    expect(url.searchParams.has("token")).toBe(false);
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
