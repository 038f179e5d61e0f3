/**
 * The console's Workflows panel in headless Chromium against a real Herald (docs/api.md#workflows):
 * the saved definitions, and one user's runs with their step timelines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey, base, expectApi, freshId, launchBrowser, screenshot, until, type Browser } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Run {
  id: string;
  status: string;
}

describe("/console workflows", () => {
  it("lists definitions and shows a user's run with its step timeline", async () => {
    const templateName = freshId("wft").replace("-", "_");
    await expectApi(201, `/v1/templates/${templateName}`, { method: "PUT", json: { channel: "in_app", subject: "Hi", body: "Hello {{name}}" } });
    const key = freshId("wf-console");
    await expectApi(201, `/v1/workflows/${key}`, {
      method: "PUT",
      json: { name: "Console demo", steps: [{ type: "in_app", template: templateName }, { type: "delay", seconds: 3600 }] },
    });
    const userId = freshId("wfu");
    await expectApi(202, `/v1/workflows/${key}/trigger`, { method: "POST", json: { to: userId, data: { name: "Ada" } } });
    const run = await until(
      "the run waiting in its delay",
      async () => (await expectApi<{ items: Run[] }>(200, `/v1/users/${userId}/workflow-runs`)).items[0],
      15_000,
      200,
    );

    const { page, errors } = await browser.page();
    await page.goto(`${base()}/console/`);
    await page.getByLabel("API key", { exact: true }).fill(apiKey());
    await page.getByRole("button", { name: "Open console" }).click();
    const definition = page.locator(`#wf-definitions > li[data-key="${key}"]`);
    await definition.waitFor({ timeout: 20_000 });
    expect(await definition.textContent()).toContain(`in_app (${templateName}) → delay 3600s`);

    await page.getByLabel("Runs of user").fill(userId);
    await page.getByRole("button", { name: "Show runs" }).click();
    const item = page.locator(`#wf-runs > li[data-run="${run.id}"]`);
    await item.waitFor({ timeout: 10_000 });
    await page.locator(`#wf-runs > li[data-run="${run.id}"] li[data-status="waiting"]`).waitFor({ timeout: 10_000 });
    const steps = await item.locator("ol.timeline > li").allTextContents();
    expect(steps[0]).toContain("in_app: completed");
    expect(steps[1]).toContain("delay: waiting");
    expect(await item.textContent()).toContain("running");
    await screenshot(page, "console-workflows");
    expect(errors).toEqual([]);
    await page.close();
  });
});
