/**
 * The /console page in headless Chromium against a real Herald (README.md#pages): stats tiles, a dead
 * letter redriven to completion, discard, the dev outbox's sandboxed email, and template preview;
 * and (issue 19, the first hour) a Notifications tile whose parts add up, dead letters shown by
 * topic, target and recipient, preview data with sample values, "lagging" explained, the
 * "send a test notification" form and the section nav, used from the keyboard.
 *
 * Dead letters are made deterministically: a topic webhook to a real local receiver
 * (test/support/webhook-receiver.ts, verifying signatures) that answers 503, published with
 * `maxAttempts: 1`, so the first failure is final.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../support/webhook-receiver";
import { apiKey, base, expectApi, freshId, launchBrowser, screenshot, until, type Browser } from "./harness";

let browser: Browser;
let receiver: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  [browser, receiver] = await Promise.all([launchBrowser(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), receiver?.stop()]);
});

type Mode = "ok" | "fail";
async function controlReceiver(name: string, control: { secrets?: string[]; mode: Mode }) {
  const res = await fetch(`${receiver.url}/control/${name}`, { method: "POST", body: JSON.stringify(control), signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`receiver control: ${res.status}`);
}

interface DeadLetter {
  id: string;
  sourceId: string;
  lastError: string;
  subject: { topic: string | null; target: string | null; recipient: string | null; summary: string };
}

/** A topic message whose only webhook fails once and is dead-lettered; resolves when the letter exists. */
async function deadLetteredMessage() {
  const topic = `e2e.${freshId("t").replace("-", "_")}`;
  const endpoint = freshId("console");
  await expectApi(201, `/v1/topics/${topic}`, { method: "PUT", json: {} });
  const sub = await expectApi<{ id: string; secret: string }>(201, `/v1/topics/${topic}/subscriptions`, {
    method: "POST",
    json: { kind: "webhook", url: `${receiver.url}/hooks/${endpoint}` },
  });
  await controlReceiver(endpoint, { secrets: [sub.secret], mode: "fail" });
  const { messageId } = await expectApi<{ messageId: string }>(202, `/v1/topics/${topic}/messages`, { method: "POST", json: { payload: { orderId: 42 }, maxAttempts: 1 } });
  const letter = await until(
    "the dead letter",
    async () => (await expectApi<{ items: DeadLetter[] }>(200, "/v1/dead-letters?source=message&limit=200")).items.find((l) => l.sourceId === `mdl_${messageId}_${sub.id}`),
    20_000,
    200,
  );
  return { messageId, endpoint, letter, topic, url: `${receiver.url}/hooks/${endpoint}` };
}

async function openConsole() {
  const { page, errors } = await browser.page();
  await page.goto(`${base()}/console/`);
  await page.getByLabel("API key", { exact: true }).fill(apiKey());
  await page.getByRole("button", { name: "Open console" }).click();
  await page.locator('#poll-state[data-state="open"]').waitFor({ timeout: 15_000 });
  return { page, errors };
}

const letterRow = (page: Page, id: string) => page.locator(`#dl-rows > tr[data-id="${id}"]`);

describe("/console", () => {
  it("redrives a dead letter, and the message completes once the receiver recovers", async () => {
    const { messageId, endpoint, letter } = await deadLetteredMessage();
    expect(letter.lastError).toContain("503");
    const failed = await expectApi<{ status: string }>(200, `/v1/messages/${messageId}`);
    expect(failed.status).toBe("failed");

    const { page, errors } = await openConsole();
    await letterRow(page, letter.id).waitFor();
    expect(await letterRow(page, letter.id).textContent()).toContain("503");
    // The stats tiles show numbers from /v1/stats, each with its sparkline.
    expect(await page.locator('[data-tile="dead-letters"] .value').textContent()).toMatch(/^\d[\d,.\s]*$/);
    expect(await page.locator('[data-tile="notifications"] svg[role="img"]').count()).toBe(1);

    await screenshot(page, "console-dead-letter");
    await controlReceiver(endpoint, { mode: "ok" });
    await page.getByRole("button", { name: `Redrive ${letter.sourceId}` }).click();
    await letterRow(page, letter.id).waitFor({ state: "detached" });
    expect(await page.textContent("#dl-notice")).toContain(`Redriven ${letter.sourceId}`);

    await until("the redriven message to complete", async () => (await expectApi<{ status: string }>(200, `/v1/messages/${messageId}`)).status === "completed", 20_000, 200);
    const remaining = await expectApi<{ items: DeadLetter[] }>(200, "/v1/dead-letters?source=message&limit=200");
    expect(remaining.items.map((l) => l.id)).not.toContain(letter.id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("discards a dead letter only after the inline confirmation", async () => {
    const { letter } = await deadLetteredMessage();
    const { page, errors } = await openConsole();
    await letterRow(page, letter.id).waitFor();

    await page.getByRole("button", { name: `Discard ${letter.sourceId}` }).click();
    await page.getByRole("button", { name: "Keep" }).click();
    await page.getByRole("button", { name: `Discard ${letter.sourceId}` }).click();
    await page.getByRole("button", { name: `Yes, discard ${letter.sourceId}` }).click();
    await letterRow(page, letter.id).waitFor({ state: "detached" });
    expect((await expectApi<{ items: DeadLetter[] }>(200, "/v1/dead-letters?limit=200")).items.map((l) => l.id)).not.toContain(letter.id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the outbox's rendered email in a sandboxed frame and previews templates with their 422 errors", async () => {
    // A sync target that is down, so the sync panel has a pending delivery to show.
    const syncEndpoint = freshId("sync");
    const target = await expectApi<{ id: string; secret: string }>(201, "/v1/sync/targets", { method: "POST", json: { name: "crm (down)", url: `${receiver.url}/hooks/${syncEndpoint}` } });
    await controlReceiver(syncEndpoint, { secrets: [target.secret], mode: "fail" });
    const userId = freshId("e2e-mail");
    await expectApi(201, `/v1/users/${userId}`, { method: "PUT", json: { email: `${userId}@example.com`, phone: "+15550100", name: "Ada" } });
    // Markup in data must arrive escaped in the HTML, and nothing in the frame may run.
    const sent = await expectApi<{ id: string }>(202, "/v1/notifications", {
      method: "POST",
      json: { userId, template: "welcome", data: { username: "Ada <script>parent.hacked = 1</script>", email: `${userId}@example.com` }, channels: ["email"] },
    });
    await expectApi(202, "/v1/notifications", { method: "POST", json: { userId, title: "Top-up received", body: "Your wallet was credited 20.00 EUR.", channels: ["sms"] } });
    const { letter } = await deadLetteredMessage();
    await until(
      "both outbox messages",
      async () => (await expectApi<{ items: { notificationId: string }[] }>(200, "/v1/outbox?limit=200")).items.filter((m) => m.notificationId === sent.id).length === 1,
      20_000,
      200,
    );

    const { page, errors } = await openConsole();
    await letterRow(page, letter.id).waitFor();
    const email = page.locator("#outbox-list button", { hasText: "Welcome" }).first();
    await email.waitFor({ timeout: 10_000 });
    await email.click();
    expect(await email.getAttribute("aria-pressed")).toBe("true");
    const frame = page.locator("#outbox-viewer iframe");
    expect(await frame.getAttribute("sandbox")).toBe("");
    const html = await frame.getAttribute("srcdoc");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
    await page.frameLocator("#outbox-viewer iframe").getByRole("heading").waitFor();
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();

    await page.getByRole("button", { name: "SMS", exact: true }).click();
    await page.locator("#outbox-list button", { hasText: "Top-up received" }).first().click();
    expect(await page.textContent("#outbox-viewer")).toContain("Your wallet was credited 20.00 EUR.");
    await page.getByRole("button", { name: "All", exact: true }).click();
    await email.click();

    await page.getByLabel("Template", { exact: true }).selectOption("welcome");
    // Sample values, not blanks: the first render already reads like a real email.
    expect(JSON.parse(await page.getByLabel("Data (JSON)").inputValue())).toEqual({ username: "Ada", email: "ada@example.com", referrer: "referrer" });
    await page.getByRole("button", { name: "Render" }).click();
    await page.frameLocator("#preview-result iframe").getByText("Welcome, Ada!").waitFor();
    await page.frameLocator("#preview-result iframe").getByText("Your account ada@example.com is ready.").waitFor();
    await page.getByLabel("Data (JSON)").fill("{}");
    await page.getByRole("button", { name: "Render" }).click();
    const alert = page.locator("#preview-result [role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("username");
    expect(await alert.textContent()).toContain("email");

    await page.getByLabel("Data (JSON)").fill(JSON.stringify({ username: "Grace", email: "grace@example.com" }));
    await page.getByRole("button", { name: "Render" }).click();
    await page.frameLocator("#preview-result iframe").getByText("Welcome, Grace!").waitFor();

    await page.getByLabel("Data (JSON)").fill("{ not json");
    await page.getByRole("button", { name: "Render" }).click();
    await page.locator("#preview-result [role=alert]", { hasText: "not valid JSON" }).waitFor();
    await page.getByLabel("Data (JSON)").fill(JSON.stringify({ username: "Grace", email: "grace@example.com" }));
    await page.getByRole("button", { name: "Render" }).click();
    await page.frameLocator("#preview-result iframe").getByText("Welcome, Grace!").waitFor();

    const targetRow = page.locator(`#sync-rows > tr[data-id="${target.id}"]`);
    await until(
      "the down target's pending delivery",
      async () => {
        await page.getByRole("button", { name: "Refresh sync targets" }).click();
        return Number((await targetRow.locator("td.num").textContent({ timeout: 2_000 }))?.replace("+", "")) >= 1;
      },
      15_000,
      500,
    );

    // Activity over a few polls (every 3 s), so the sparklines have changes to draw.
    for (const burst of [2, 5, 1, 4]) {
      await Promise.all(Array.from({ length: burst }, (_, i) => expectApi(202, "/v1/notifications", { method: "POST", json: { userId, title: `Burst ${i}` } })));
      await page.waitForTimeout(3_100);
    }
    expect(await page.locator('[data-tile="notifications"] path.spark-line').count()).toBe(1);
    await screenshot(page, "console");
    expect(errors).toEqual([]);
    await page.close();
  });
  it("adds up the Notifications tile: its status parts, sent included, sum to its total", async () => {
    const userId = freshId("e2e-tile");
    await Promise.all(["One", "Two"].map((title) => expectApi(202, "/v1/notifications", { method: "POST", json: { userId, title } })));
    // The inbox takes them at once (fast path): `sent` until a device acks.
    await until("sent notifications in the stats", async () => ((await expectApi<{ notifications: { byStatus: Record<string, number> } }>(200, "/v1/stats")).notifications.byStatus.sent ?? 0) >= 2, 20_000, 200);
    const { page, errors } = await openConsole();
    const tile = page.locator('[data-tile="notifications"]');
    await until("the tile's figures", async () => /\d/.test((await tile.locator(".value").textContent()) ?? ""), 10_000, 200);
    const total = Number((await tile.locator(".value").textContent())!.replace(/\D/g, ""));
    const sub = (await tile.locator(".sub").textContent())!;
    expect(sub).toMatch(/\bsent [\d,]+/);
    const parts = [...sub.matchAll(/([a-z_]+) ([\d,]+)/g)].map(([, , n]) => Number(n!.replace(/,/g, "")));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a dead letter by its topic, target and recipient, with the raw ids folded away", async () => {
    const { letter, topic, url } = await deadLetteredMessage();
    expect(letter.subject).toMatchObject({ topic, target: url, recipient: null, summary: `${topic} → ${url}` });
    const { page, errors } = await openConsole();
    const row = letterRow(page, letter.id);
    await row.waitFor();
    expect(await row.locator(".subject").textContent()).toBe(`${topic} → ${url}`);
    expect(await row.locator('[data-fact="topic"] code').textContent()).toBe(topic);
    expect(await row.locator('[data-fact="target"] code').textContent()).toBe(url);
    // The ids are there for whoever needs them, behind a disclosure.
    const ids = row.getByText(letter.sourceId, { exact: true });
    expect(await ids.isVisible()).toBe(false);
    await row.getByText("Ids and payload").click();
    expect(await ids.isVisible()).toBe(true);

    // The recipient of a notify subscription's letter: wallet.recharged without `balance`.
    const userId = freshId("e2e-dl");
    const { messageId } = await expectApi<{ messageId: string }>(202, "/v1/topics/wallet.recharged/messages", { method: "POST", json: { payload: { userId, amount: 5, currency: "EUR" } } });
    const notify = await until(
      "the wallet dead letter",
      async () => (await expectApi<{ items: DeadLetter[] }>(200, "/v1/dead-letters?source=message&limit=200")).items.find((l) => l.sourceId.startsWith(`mdl_${messageId}_`)),
      20_000,
      200,
    );
    await page.getByRole("button", { name: "Refresh dead letters" }).click();
    const notifyRow = letterRow(page, notify.id);
    await notifyRow.waitFor();
    expect(await notifyRow.locator(".subject").textContent()).toBe(`wallet.recharged → notify ${userId} (template wallet_recharged)`);
    expect(await notifyRow.locator('[data-fact="recipient"] code').textContent()).toBe(userId);
    await screenshot(page, "console-dead-letter-subjects");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sends a test notification from the form and shows it reach the user's inbox", async () => {
    const { page, errors } = await openConsole();
    const userId = freshId("e2e-send");
    const form = page.locator("#test-send-form");
    await form.getByLabel("User id").fill(userId);
    await form.getByLabel("Title").fill("");
    await form.getByRole("button", { name: "Send" }).click();
    await page.locator("#test-send-result [role=alert]", { hasText: "Give a user id and a title." }).waitFor();

    await form.getByLabel("Title").fill("Console test");
    await form.getByLabel("Body").fill("Sent from the console form.");
    await form.getByRole("button", { name: "Send" }).click();
    await page.locator("#test-send-result", { hasText: "Accepted" }).waitFor();
    const id = (await page.locator("#test-send-result p code").textContent())!;
    // The inbox took it: the status the page shows is the server's.
    await page.locator('#test-send-status [data-status="sent"]').waitFor({ timeout: 15_000 });
    const view = await expectApi<{ userId: string; title: string; body: string; deliveries: { channel: string; status: string }[] }>(200, `/v1/notifications/${id}`);
    expect(view).toMatchObject({ userId, title: "Console test", body: "Sent from the console form." });
    expect(view.deliveries).toEqual([expect.objectContaining({ channel: "in_app", status: "sent" })]);

    // A refusal shows the problem's field errors.
    await form.getByLabel("User id").fill("not a user id");
    await form.getByRole("button", { name: "Send" }).click();
    await page.locator("#test-send-result [role=alert]", { hasText: "userId" }).waitFor();
    await screenshot(page, "console-test-send");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("explains 'lagging', and its nav reaches every section from the keyboard", async () => {
    const { page, errors } = await openConsole();
    const lagging = page.locator("#sync-lagging");
    await lagging.waitFor();
    expect(await lagging.getAttribute("title")).toContain("has not acknowledged");
    const help = page.locator(`#${(await lagging.getAttribute("aria-describedby"))!}`);
    expect(await help.isVisible()).toBe(true);
    expect(await help.textContent()).toMatch(/Lagging counts pairs of an enabled target and a user whose latest version that target has not acknowledged/);

    const nav = page.getByRole("navigation", { name: "Console sections" });
    const names = await nav.getByRole("link").allTextContents();
    expect(names).toEqual(["At a glance", "Dead letters", "Dev outbox", "Template preview", "Send a test", "Sync targets"]);
    for (const link of await nav.getByRole("link").all()) {
      const target = (await link.getAttribute("href"))!;
      expect(await page.locator(target).count()).toBe(1);
    }
    // Keyboard: Tab from the top reaches the nav, Enter follows a link, focus lands on the section
    // and the next Tab continues inside it.
    await page.locator("#sign-out").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | undefined>("document.activeElement?.textContent")).toBe("At a glance");
    await nav.getByRole("link", { name: "Send a test" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction("document.activeElement?.id === 'test-send'");
    expect(await page.evaluate<string>("location.hash")).toBe("#test-send");
    expect(await nav.getByRole("link", { name: "Send a test" }).getAttribute("aria-current")).toBe("true");
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | undefined>("document.activeElement?.closest('section')?.id")).toBe("test-send");
    await nav.getByRole("link", { name: "Sync targets" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction("document.activeElement?.id === 'sync'");
    expect(await nav.getByRole("link", { name: "Send a test" }).getAttribute("aria-current")).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});
