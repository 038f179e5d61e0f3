/**
 * The /console page in headless Chromium against a real Herald (README.md#pages): stats tiles, a dead
 * letter redriven to completion, discard, the dev outbox's sandboxed email, and template preview.
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
  return { messageId, endpoint, letter };
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
    expect(await page.getByLabel("Data (JSON)").inputValue()).toContain('"username": ""');
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
});
