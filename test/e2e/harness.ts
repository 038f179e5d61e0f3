/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (never a browser
 * Playwright downloads), calls to the Herald that global-setup.ts started, and screenshots kept
 * as artefacts under test/e2e/screenshots/ (git-ignored).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";
import { until } from "../../scripts/local-server";

export { until };

export const CHROMIUM = "/usr/bin/chromium";
/** Chromium flags for a quiet, sandbox-less headless run in a container; no background traffic. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];
/** Default for every Playwright wait and action: a step of a test never hangs. */
const ACTION_TIMEOUT_MS = 10_000;
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

export const base = () => inject("heraldBase");
export const apiKey = () => inject("heraldApiKey");

/** A fresh id per test, so tests never share a user, topic or inbox. */
export const freshId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A browser with its own fresh profile (`--user-data-dir`), removed again by `close()`. */
export interface Browser {
  context: BrowserContext;
  /** A new page that fails the test on any uncaught page error (collected in `errors`). */
  page(): Promise<{ page: Page; errors: Error[] }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "herald-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return {
    context,
    async page() {
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on("pageerror", (error) => errors.push(error));
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test/e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, timeout: ACTION_TIMEOUT_MS });
}

/**
 * Calls Herald with the API key (or `auth`, or none with `auth: null`).
 * @returns status and parsed JSON body (null when empty).
 */
export async function api<T = unknown>(path: string, init: { method?: string; json?: unknown; auth?: string | null } = {}): Promise<{ status: number; body: T }> {
  const { method = "GET", json, auth = apiKey() } = init;
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  if (json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base()}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Like {@link api} but expects `status`, with the body in the error otherwise. */
export async function expectApi<T = unknown>(status: number, path: string, init: { method?: string; json?: unknown; auth?: string | null } = {}): Promise<T> {
  const res = await api<T>(path, init);
  if (res.status !== status) throw new Error(`${init.method ?? "GET"} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sends a literal in-app notification; resolves to its id. */
export async function sendNotification(userId: string, fields: { title: string; body?: string; priority?: string }): Promise<string> {
  return (await expectApi<{ id: string }>(202, "/v1/notifications", { method: "POST", json: { userId, ...fields } })).id;
}

/** A user token through the dev route, as the /inbox page gets one. */
export async function devToken(userId: string): Promise<string> {
  return (await expectApi<{ token: string }>(201, "/dev/token", { method: "POST", json: { userId }, auth: null })).token;
}

/** The user's exact unread count from the REST inbox. */
export async function unreadCount(token: string): Promise<number> {
  return (await expectApi<{ unreadCount: number }>(200, "/v1/me/notifications/unread-count", { auth: token })).unreadCount;
}
