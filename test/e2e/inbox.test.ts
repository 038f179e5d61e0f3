/**
 * The /inbox page in headless Chromium against a real Herald (README.md#pages): live arrival, the
 * unread badge, mark read, edits and recalls in place, and surviving a dropped connection
 * without missing anything; the bell's popover feed (tabs by tag, All/Unread/Archived, archive,
 * snooze, action buttons, relative times, the empty state, keyboard access, a phone-width
 * layout), the Server-Sent Events fallback when WebSockets are blocked, and a second tab that
 * sees reads and archives live. Each test signs in as a fresh user through the dev-token form.
 */
import type { Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, base, devToken, expectApi, freshId, launchBrowser, screenshot, sendNotification, unreadCount, until, type Browser } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a page (optionally preparing it, e.g. routing its sockets, before it loads). */
async function openPage(prepare?: (page: Page) => Promise<void>) {
  const { page, errors } = await browser.page();
  await prepare?.(page);
  await page.goto(`${base()}/inbox/`);
  return { page, errors };
}

/** Signs in as `userId` with the page's own dev-token form and waits for the live connection. */
async function signIn(page: Page, userId: string) {
  await page.getByLabel("User id").fill(userId);
  await page.getByRole("button", { name: "Get a dev token" }).click();
  await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
}

const item = (page: Page, id: string) => page.locator(`#list > li[data-id="${id}"]`);
const badge = async (page: Page) => ({ text: await page.textContent("#badge"), label: await page.getAttribute("#badge", "aria-label") });
const listedIds = (page: Page) => page.locator("#list > li").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-id")));

async function waitForBadge(page: Page, count: number) {
  await until(`the badge to show ${count}`, async () => (await badge(page)).text === String(count), 5_000, 25);
  expect(await badge(page)).toEqual({ text: String(count), label: `${count} unread` });
}

describe("/inbox", () => {
  it("shows a notification sent through the API within a second, with an exact unread badge", async () => {
    const userId = freshId("e2e-live");
    const { page, errors } = await openPage();
    await screenshot(page, "inbox-sign-in");
    await signIn(page, userId);
    expect(await page.getByRole("status").first().textContent()).toBe("Live");
    await waitForBadge(page, 0);

    const started = Date.now();
    const id = await sendNotification(userId, { title: "Order shipped", body: "Your order #1042 is on its way.", priority: "high" });
    await item(page, id).waitFor({ state: "visible", timeout: 1_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(item(page, id).getByRole("heading").textContent()).resolves.toBe("Order shipped");

    const more = [await sendNotification(userId, { title: "New follower" }), await sendNotification(userId, { title: "Weekly digest" })];
    await item(page, more[1]!).waitFor();
    await waitForBadge(page, 3);
    expect(await unreadCount(await devToken(userId))).toBe(3);
    // Newest first, as `items` orders them.
    expect(await listedIds(page)).toEqual([more[1], more[0], id]);
    expect(await page.getByRole("list").getByRole("listitem").count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("signs in with a pasted token, refuses a bad one, and signs out", async () => {
    const userId = freshId("e2e-paste");
    const { page, errors } = await openPage();
    await page.getByLabel("User token").fill("not.a.token");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("alert").getByText("This token was refused").waitFor();

    await page.getByLabel("User token").fill(await devToken(userId));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.locator('#connection[data-state="open"]').waitFor();
    expect(await page.textContent("#who")).toBe(`Signed in as ${userId}`);

    // A reload keeps the session (sessionStorage); signing out ends it.
    await page.reload();
    await page.locator('#connection[data-state="open"]').waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("User token").waitFor();
    expect(await page.textContent("#connection")).toBe("Signed out");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("marks one read and then all read: the badge drops and the API agrees, arrivals after stay unread", async () => {
    const userId = freshId("e2e-read");
    const token = await devToken(userId);
    const ids = [];
    for (const title of ["First", "Second", "Third"]) ids.push(await sendNotification(userId, { title }));
    const { page, errors } = await openPage();
    await signIn(page, userId);
    await item(page, ids[2]!).waitFor();
    await waitForBadge(page, 3);

    await page.getByRole("button", { name: "Mark “Second” read" }).click();
    await waitForBadge(page, 2);
    expect(await item(page, ids[1]!).getAttribute("data-state")).toBe("read");
    expect(await unreadCount(token)).toBe(2);

    // By keyboard: focus the button and press Enter.
    await page.getByRole("button", { name: "Mark all read" }).focus();
    await page.keyboard.press("Enter");
    await waitForBadge(page, 0);
    expect(await unreadCount(token)).toBe(0);
    expect(await page.locator('#list > li[data-state="unread"]').count()).toBe(0);
    expect(await page.getByRole("button", { name: "Mark all read" }).isDisabled()).toBe(true);

    const later = await sendNotification(userId, { title: "Fourth" });
    await item(page, later).waitFor();
    await waitForBadge(page, 1);
    expect(await item(page, later).getAttribute("data-state")).toBe("unread");
    expect(await unreadCount(token)).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("updates an edited item and a recalled item in place", async () => {
    const userId = freshId("e2e-change");
    const token = await devToken(userId);
    const { page, errors } = await openPage();
    await signIn(page, userId);
    const a = await sendNotification(userId, { title: "Order shipped", body: "Your order #1042 is on its way.", priority: "high" });
    const b = await sendNotification(userId, { title: "Weekly digest", body: "5 new posts in topics you follow." });
    const c = await sendNotification(userId, { title: "Flash sale", body: "Everything 50% off for one hour." });
    const d = await sendNotification(userId, { title: "New follower", body: "Ada Lovelace followed you." });
    await item(page, d).waitFor();
    await waitForBadge(page, 4);
    const order = await listedIds(page);
    expect(order).toEqual([d, c, b, a]);

    await expectApi(200, `/v1/notifications/${b}`, { method: "PATCH", json: { body: "7 new posts in topics you follow." } });
    await item(page, b).getByText("7 new posts in topics you follow.").waitFor();
    await item(page, b).getByText("Edited").waitFor();
    expect(await listedIds(page)).toEqual(order);

    await expectApi(200, `/v1/notifications/${c}`, { method: "DELETE" });
    await page.locator(`#list > li[data-id="${c}"][data-state="recalled"]`).waitFor();
    expect(await item(page, c).textContent()).toContain("“Flash sale” was withdrawn by the sender.");
    expect(await listedIds(page)).toEqual(order);
    await waitForBadge(page, 3);
    expect(await unreadCount(token)).toBe(3);

    await page.getByRole("button", { name: "Mark “Order shipped” read" }).click();
    await waitForBadge(page, 2);
    await screenshot(page, "inbox");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("survives the connection dropping: shows it reconnecting, then resumes and shows what was sent meanwhile", async () => {
    const userId = freshId("e2e-drop");
    // The page's sockets pass through Playwright, which can cut one (the page sees it closed,
    // as when a server or network drops it) and hold reconnects until the test lets them through.
    const dialled: string[] = [];
    const connections: WebSocketRoute[] = [];
    let letThrough: () => void = () => undefined;
    let gate = Promise.resolve();
    const { page, errors } = await openPage((p) =>
      p.routeWebSocket(/\/v1\/me\/connect/, async (ws) => {
        dialled.push(ws.url());
        await gate;
        connections.push(ws.connectToServer());
      }),
    );
    await signIn(page, userId);
    const first = await sendNotification(userId, { title: "Before the drop" });
    await item(page, first).waitFor();
    const seqBefore = Number(await item(page, first).getAttribute("data-seq"));

    gate = new Promise((resolve) => (letThrough = resolve));
    await connections.at(-1)!.close();
    await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    expect(await page.textContent("#connection")).toBe("Reconnecting…");

    const missed = [await sendNotification(userId, { title: "Sent while offline 1" }), await sendNotification(userId, { title: "Sent while offline 2" })];
    // The reconnect is being held: nothing can reach the page yet.
    await until("the held reconnect attempt", () => dialled.length >= 2, 5_000, 25);
    expect(await page.locator("#list > li").count()).toBe(1);

    letThrough();
    await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
    for (const id of missed) await item(page, id).waitFor({ timeout: 5_000 });
    expect(new URL(dialled.at(-1)!).searchParams.get("since")).toBe(String(seqBefore));
    expect(await listedIds(page)).toEqual([missed[1], missed[0], first]);
    await waitForBadge(page, 3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("is a bell with a popover feed: tabs by tag, unread/all/archived, archive, snooze, actions, relative times, an empty state, keyboard access", async () => {
    const userId = freshId("e2e-feed");
    const token = await devToken(userId);
    const { page, errors } = await openPage();
    await signIn(page, userId);
    expect(await page.getByText("Nothing here yet").isVisible()).toBe(true);

    const invoice = await sendFeedItem(userId, { title: "Invoice #88 is due", body: "€120.00 due on 1 December.", tags: ["billing"], actions: [{ label: "Pay now", url: "/pay/88" }] });
    const follower = await sendFeedItem(userId, { title: "Ada Lovelace followed you", tags: ["social"] });
    const digest = await sendFeedItem(userId, { title: "Weekly digest", body: "5 new posts in topics you follow.", tags: ["social", "digest"] });
    const plain = await sendNotification(userId, { title: "Welcome to Herald" });
    await item(page, plain).waitFor();
    await waitForBadge(page, 4);
    expect(await listedIds(page)).toEqual([plain, digest, follower, invoice]);
    expect(await item(page, invoice).locator("time").textContent()).toMatch(/just now|seconds? ago|now/);
    expect(await item(page, invoice).getByRole("link", { name: "Pay now" }).getAttribute("href")).toBe("/pay/88");

    // Tabs by tag, with each tag's unread count; arrow keys move between them.
    const tabs = page.getByRole("tablist", { name: "Tags" }).getByRole("tab");
    await until("the tag tabs", async () => (await tabs.count()) === 4, 5_000, 25);
    expect(await tabs.allTextContents()).toEqual(["All", "billing1", "digest1", "social2"]);
    await page.getByRole("tab", { name: /^social/ }).click();
    expect(await listedIds(page)).toEqual([digest, follower]);
    await page.getByRole("tab", { name: /^social/ }).press("ArrowLeft");
    expect(await listedIds(page)).toEqual([digest]);
    expect(await page.getByRole("tab", { name: /^digest/ }).getAttribute("aria-selected")).toBe("true");
    await page.getByRole("tab", { name: "All" }).click();

    // Archive: gone from the feed and the badge, listed under Archived, back with Unarchive.
    await page.getByRole("button", { name: "Archive “Ada Lovelace followed you”" }).click();
    await until("the archived item to leave", async () => !(await listedIds(page)).includes(follower), 5_000, 25);
    await waitForBadge(page, 3);
    await page.getByRole("radio", { name: "Archived" }).click();
    expect(await listedIds(page)).toEqual([follower]);
    await page.getByRole("button", { name: "Unarchive “Ada Lovelace followed you”" }).click();
    await page.getByText("Nothing archived.").waitFor();
    await page.getByRole("radio", { name: "All" }).click();
    await item(page, follower).waitFor();
    await waitForBadge(page, 4);

    // Snooze: hidden from the feed and the counts now; the server brings it back at its time.
    await page.getByRole("button", { name: "Snooze “Weekly digest” for an hour" }).click();
    await until("the snoozed item to leave", async () => !(await listedIds(page)).includes(digest), 5_000, 25);
    await waitForBadge(page, 3);
    const counts = await expectApi<{ unread: number; total: number }>(200, "/v1/me/notifications/counts", { auth: token });
    expect(counts).toMatchObject({ unread: 3, total: 3 });

    // Unread filter, and read/unread from the keyboard.
    await page.getByRole("button", { name: "Mark “Invoice #88 is due” read" }).focus();
    await page.keyboard.press("Enter");
    await waitForBadge(page, 2);
    await page.getByRole("radio", { name: "All" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("radio", { name: "Unread" }).getAttribute("aria-checked")).toBe("true");
    expect(await listedIds(page)).toEqual([plain, follower]);
    await page.keyboard.press("ArrowLeft");
    expect(await listedIds(page)).toEqual([plain, follower, invoice]);

    // ↓ moves between items; Escape closes the popover and gives focus back to the bell.
    // The tabs' unread counts follow: billing's only item is read now.
    await until("billing's count to clear", async () => (await page.getByRole("tab", { name: /^billing/ }).textContent()) === "billing", 5_000, 25);
    await item(page, plain).focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator(":focus").getAttribute("data-id")).toBe(follower);
    await screenshot(page, "inbox-feed-desktop");
    await page.keyboard.press("Escape");
    expect(await page.locator("#inbox").isHidden()).toBe(true);
    expect(await page.getByRole("button", { name: /^Notifications/ }).getAttribute("aria-expanded")).toBe("false");
    expect(await page.locator(":focus").getAttribute("id")).toBe("bell");
    // Opening it again by the user marks what it shows seen.
    await page.keyboard.press("Enter");
    await page.locator("#inbox").waitFor();
    await until("seen", async () => (await expectApi<{ unseen: number }>(200, "/v1/me/notifications/counts", { auth: token })).unseen === 0, 5_000, 50);
    await screenshot(page, "inbox-bell-desktop");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("fits a phone-width screen", async () => {
    const userId = freshId("e2e-phone");
    const { page, errors } = await openPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, userId);
    const ids = [
      await sendFeedItem(userId, { title: "Your ride is arriving", body: "Grey Toyota Prius, plate KX-204, 2 minutes away.", tags: ["rides"], actions: [{ label: "Track", url: "/rides/204" }] }),
      await sendFeedItem(userId, { title: "Payment received", body: "€18.40 for your ride on Friday.", tags: ["billing"] }),
    ];
    await item(page, ids[1]!).waitFor();
    await waitForBadge(page, 2);
    // Nothing sideways: the page is no wider than the screen, and every control is on it.
    expect(await page.locator("html").evaluate((root) => root.scrollWidth)).toBeLessThanOrEqual(390);
    for (const name of ["Mark “Your ride is arriving” read", "Archive “Your ride is arriving”", "Snooze “Your ride is arriving” for an hour"]) {
      const box = await page.getByRole("button", { name }).boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      expect(box!.height).toBeGreaterThanOrEqual(36);
    }
    await screenshot(page, "inbox-feed-phone");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("falls back to Server-Sent Events when WebSockets are blocked, and still works both ways", async () => {
    const userId = freshId("e2e-sse");
    const token = await devToken(userId);
    // A proxy that refuses WebSockets: every socket the page opens is closed before the inbox says hello.
    const refused: string[] = [];
    const { page, errors } = await openPage((p) =>
      p.routeWebSocket(/\/v1\/me\/connect/, (ws) => {
        refused.push(ws.url());
        void ws.close({ code: 1011, reason: "blocked by proxy" });
      }),
    );
    const first = await sendNotification(userId, { title: "Waiting before sign-in" });
    await page.getByLabel("User id").fill(userId);
    await page.getByRole("button", { name: "Get a dev token" }).click();
    await page.locator('#connection[data-state="open"][data-transport="sse"]').waitFor({ timeout: 20_000 });
    expect(await page.textContent("#connection")).toBe("Live · SSE fallback");
    expect(refused.length).toBeGreaterThanOrEqual(3);
    await item(page, first).waitFor();

    const live = await sendNotification(userId, { title: "Arrived over SSE" });
    await item(page, live).waitFor({ timeout: 5_000 });
    await waitForBadge(page, 2);
    await page.getByRole("button", { name: "Mark “Arrived over SSE” read" }).click();
    await waitForBadge(page, 1);
    expect(await unreadCount(token)).toBe(1);
    // The stream acks over REST: what the page received is delivered (the one still unread shows it; the other is `read` now).
    await until(
      "delivered",
      async () => (await api<{ deliveries: { channel: string; status: string }[] }>(`/v1/notifications/${first}`)).body.deliveries.find((d) => d.channel === "in_app")?.status === "delivered",
      5_000,
      50,
    );
    await screenshot(page, "inbox-sse-fallback");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a second tab sees reads and archives made in the first, live", async () => {
    const userId = freshId("e2e-tabs");
    const ids = [await sendNotification(userId, { title: "One" }), await sendNotification(userId, { title: "Two" }), await sendNotification(userId, { title: "Three" })];
    const a = await openPage();
    const b = await openPage();
    await signIn(a.page, userId);
    await signIn(b.page, userId);
    for (const { page } of [a, b]) {
      await item(page, ids[2]!).waitFor();
      await waitForBadge(page, 3);
    }
    await a.page.getByRole("button", { name: "Mark “Two” read" }).click();
    await b.page.locator(`#list > li[data-id="${ids[1]}"][data-state="read"]`).waitFor({ timeout: 3_000 });
    await waitForBadge(b.page, 2);

    await a.page.getByRole("button", { name: "Archive “Three”" }).click();
    await until("the archive in the other tab", async () => !(await listedIds(b.page)).includes(ids[2]!), 3_000, 25);
    await waitForBadge(b.page, 1);
    expect(await listedIds(b.page)).toEqual([ids[1], ids[0]]);

    await b.page.getByRole("button", { name: "Mark “Two” unread" }).click();
    await a.page.locator(`#list > li[data-id="${ids[1]}"][data-state="unread"]`).waitFor({ timeout: 3_000 });
    await waitForBadge(a.page, 2);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  });
});

/** Sends an in-app notification with feed fields (tags, actions); resolves to its id. */
async function sendFeedItem(userId: string, fields: { title: string; body?: string; tags?: string[]; actions?: { label: string; url: string }[] }): Promise<string> {
  return (await expectApi<{ id: string }>(202, "/v1/notifications", { method: "POST", json: { userId, ...fields } })).id;
}
