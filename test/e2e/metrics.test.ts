/**
 * `GET /metrics` against a real local Herald passes `promtool check metrics` (Debian's
 * `prometheus` package, installed by .ci/run), and the README's alert rules and scrape config
 * pass `promtool check rules` / `check config` (docs/api.md#stats-and-metrics, issue 19). promtool missing is a failure, not a skip: CI
 * must not go green without the check.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { api, apiKey, base, expectApi, freshId, sendNotification } from "./harness";

const ALERTS = "docs/prometheus/alerts.yml";
const SCRAPE_CONFIG = "docs/prometheus/prometheus.yml";

/** Runs promtool with `args` (and `input` on stdin); throws when it cannot be started. */
function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { input, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw new Error(`promtool could not run (install Debian's prometheus package): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe("/metrics for Prometheus", () => {
  it("passes promtool check metrics after traffic", async () => {
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
});
