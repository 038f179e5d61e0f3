/**
 * Trigger fan-out (docs/api.md#workflows): a list of 600 users goes out in several queue chunks and
 * gives each user exactly one run; a trigger whose plan was never sent is re-planned by the sweeper.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { CHUNK_RECIPIENTS } from "../../src/notifications/broadcast";
import { sweepWorkflowTriggers } from "../../src/workflows/trigger";
import { workflowsOf } from "../../src/workflows/user-workflows";
import { api, freshId, waitFor } from "../helpers";
import { freshUsers } from "../audience-helpers";
import { template, trigger, workflow } from "../workflow-helpers";

const bindings = env as unknown as Bindings;

/** How many runs each user's object holds (read in the objects, one call per user). */
async function runCounts(users: readonly string[]): Promise<number[]> {
  return Promise.all(users.map(async (u) => (await workflowsOf(bindings, u).runs({ limit: 10 })).items.length));
}

describe("trigger fan-out", () => {
  it("starts exactly one run for each of 600 users, across several chunks", { timeout: 120_000 }, async () => {
    const key = await workflow([{ type: "delay", seconds: 3600 }]);
    const users = freshUsers(600, "wff");
    const res = await trigger(key, { to: [...users, users[0]!] });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ recipients: 600 });
    expect(600 / CHUNK_RECIPIENTS).toBeGreaterThan(2);
    await waitFor(async () => (await runCounts(users)).every((n) => n === 1), { timeoutMs: 90_000, intervalMs: 1000, what: "one run per user" });
  });

  it("re-plans a trigger whose plan was lost", { timeout: 30_000 }, async () => {
    const key = await workflow([{ type: "in_app", template: await template("in_app", "Hi") }]);
    const definition = await (await api(`/v1/workflows/${key}`)).json();
    const userId = freshId("wfs");
    const triggerId = freshId("lost");
    // A trigger accepted (committed) whose plan message never left: as after a failed enqueue.
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO workflow_triggers (id, workflow_key, definition, recipients, created_at) VALUES (?1, ?2, ?3, 1, ?4)`).bind(triggerId, key, JSON.stringify(definition), Date.now() - 120_000),
      env.DB.prepare(`INSERT INTO workflow_trigger_recipients (trigger_id, user_id) VALUES (?1, ?2)`).bind(triggerId, userId),
    ]);
    expect(await sweepWorkflowTriggers(bindings, Date.now() - 60_000)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await runCounts([userId]))[0] === 1, { timeoutMs: 20_000, what: "the re-planned run" });
    await waitFor(async () => (await env.DB.prepare(`SELECT planned_at FROM workflow_triggers WHERE id = ?1`).bind(triggerId).first<{ planned_at: number | null }>())?.planned_at != null, { what: "planned" });
    expect(await sweepWorkflowTriggers(bindings, Date.now() - 60_000)).toBe(0);
  });
});

