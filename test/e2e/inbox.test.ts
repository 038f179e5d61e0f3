/**
 * The /inbox page in headless Chromium against a real Herald (README.md#pages): live arrival, the
 * unread badge, mark read, edits and recalls in place, and surviving a dropped connection
 * without missing anything. Each test signs in as a fresh user through the dev-token form.
 */
import type { Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base, devToken, expectApi, freshId, launchBrowser, screenshot, sendNotification, unreadCount, until, type Browser } from "./harness";

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
});
