/**
 * The hosted preference page, /preferences?token= (docs/api.md#preferences), in headless Chromium at
 * phone width against a real Herald: a toggled category survives a reload, and /inbox links there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, base, devToken, expectApi, freshId, launchBrowser, screenshot, type Browser } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page's own path and query for a signed link (the link names the deployment's public URL). */
const pagePath = (url: string) => `/preferences/${new URL(url).search}`;

describe("/preferences", () => {
  it("toggles a category at phone width, and the change is still there after a reload", async () => {
    const userId = freshId("e2e-prefs");
    await expectApi(200, `/v1/users/${userId}/preferences`, { method: "PATCH", json: { categories: { news: { enabled: true }, billing: { channels: { sms: false } } } } });
    const token = await devToken(userId);
    const { url } = await expectApi<{ url: string }>(201, "/v1/me/preferences/link", { method: "POST", auth: token });

    const { page, errors } = await browser.page();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${base()}${pagePath(url)}`);
    const news = page.getByRole("switch", { name: "news", exact: true });
    await news.waitFor();
    expect(await news.isChecked()).toBe(true);
    expect(await page.getByRole("group", { name: "billing channels" }).getByRole("switch", { name: "SMS" }).isChecked()).toBe(false);
    // Nothing wider than the phone's screen: no sideways scrolling.
    expect(await page.locator("html").evaluate((node) => node.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, "preferences-phone");

    await news.click();
    await page.locator('#status[data-state="open"]', { hasText: "Saved" }).waitFor();
    await page.reload();
    await page.getByRole("switch", { name: "news", exact: true }).waitFor();
    expect(await page.getByRole("switch", { name: "news", exact: true }).isChecked()).toBe(false);
    const stored = await api<{ categories: Record<string, { enabled?: boolean }>; version: number }>(`/v1/users/${userId}/preferences`);
    expect(stored.body.categories.news).toEqual({ enabled: false });
    expect(stored.body.version).toBe(2);
    expect(errors).toEqual([]);
  });

  it("refuses a tampered link on the page and from /inbox links to the page", async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${base()}/preferences/?token=forged.token`);
    await page.getByRole("alert").filter({ hasText: "invalid or has expired" }).waitFor();

    await page.goto(`${base()}/inbox/`);
    await page.getByLabel("User id").fill(freshId("e2e-prefs-inbox"));
    await page.getByRole("button", { name: "Get a dev token" }).click();
    const link = page.getByRole("link", { name: "Preferences" });
    await link.waitFor();
    await link.click();
    await page.getByRole("switch", { name: "Email" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/preferences/");
    expect(errors).toEqual([]);
  });
});
