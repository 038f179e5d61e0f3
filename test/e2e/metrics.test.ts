/**
 * `GET /metrics` against a real local Herald passes `promtool check metrics` (Debian's
 * `prometheus` package, installed by .ci/run), and the README's alert rules and scrape config
 * pass `promtool check rules` / `check config` (docs/api.md#stats-and-metrics, issue 19). promtool missing is a failure, not a skip: CI
 * must not go green without the check.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, apiKey, base, expectApi, freshId, launchBrowser, sendNotification, until, type Browser } from "./harness";

const ALERTS = "docs/prometheus/alerts.yml";
const SCRAPE_CONFIG = "docs/prometheus/prometheus.yml";

const MINUTE_MS = 60_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type History = { samples: { at: string; counters: { accepted: number } }[] };

/** Runs the cron once (wrangler's `/__scheduled`), waits until it has sampled the current minute, and returns the newest sample's minute (ms). */
async function sampleNow(): Promise<number> {
  const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const res = await fetch(`${base()}/__scheduled?cron=${encodeURIComponent("* * * * *")}`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return until(
    "the cron's sample",
    async () => {
      const newest = Math.max(...(await expectApi<History>(200, "/v1/stats/history?minutes=2")).samples.map((s) => Date.parse(s.at)));
      return newest >= minute ? newest : undefined;
    },
    20_000,
    200,
  );
}

/** Runs promtool with `args` (and `input` on stdin); throws when it cannot be started. */
function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { input, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw new Error(`promtool could not run (install Debian's prometheus package): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe("/metrics for Prometheus", () => {
  it("passes promtool check metrics after traffic", async () => {
    // A cron run first, so the scrape has the sampled gauges too.
    await sampleNow();
    const userId = freshId("metrics");
    await sendNotification(userId, { title: "counted" });
    await expectApi(200, "/v1/notifications/batch", { method: "POST", json: { items: [{ idempotencyKey: freshId("k"), userId, title: "batched" }] } });
    const topic = freshId("topic").replace(/-/g, "_");
    await expectApi(201, `/v1/topics/${topic}`, { method: "PUT" });
    await expectApi(202, `/v1/topics/${topic}/messages`, { method: "POST", json: { payload: { n: 1 } } });

    const res = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${apiKey()}` }, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^herald_notifications_total\{channel="in_app",status="queued"\} [1-9]\d*$/m);
    expect(text).toContain('herald_inapp_delivery_seconds_bucket{le="+Inf"}');
    expect(text).toMatch(/^herald_sync_lagging_pairs \d+$/m);

    const check = promtool(["check", "metrics"], text);
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
    expect((await api("/metrics", { auth: null })).status).toBe(401);
  });

  it("ships alert rules that pass promtool check rules, and a scrape config that parses", () => {
    const rules = promtool(["check", "rules", ALERTS]);
    expect(rules.output).toContain("SUCCESS: 3 rules found");
    expect(rules.status).toBe(0);
    // Syntax only: the key file it names exists on the Prometheus host, not here.
    const config = promtool(["check", "config", "--syntax-only", SCRAPE_CONFIG]);
    expect(config.output).toContain("SUCCESS");
    expect(config.status).toBe(0);
  });

  it("the console draws the last minutes from the server's history on load", { timeout: 120_000 }, async () => {
    const first = await sampleNow();
    const userId = freshId("history");
    for (let i = 0; i < 3; i++) await sendNotification(userId, { title: `history ${i}` });
    // The next minute's sample closes this minute: its change is what the chart shows.
    await new Promise((r) => setTimeout(r, first + MINUTE_MS - Date.now() + 500));
    expect(await sampleNow()).toBe(first + MINUTE_MS);

    const { page, errors } = await browser.page();
    await page.goto(`${base()}/console/`);
    await page.getByLabel("API key", { exact: true }).fill(apiKey());
    await page.getByRole("button", { name: "Open console" }).click();
    await page.locator('#poll-state[data-state="open"]').waitFor({ timeout: 15_000 });
    // After one poll the live minutes have no change yet: what the chart holds came from the server.
    const label = await page.locator('[data-tile="notifications"] svg[role="img"]').getAttribute("aria-label");
    const peak = Number(/peak (\d+)/.exec(label ?? "")?.[1]);
    expect(label).toMatch(/new notifications per minute over the last \d+ minutes/);
    expect(peak).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-tile="notifications"] path.spark-line').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
