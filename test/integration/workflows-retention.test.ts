/**
 * Retention of workflow state (docs/data-model.md#retention): each UserWorkflows object removes
 * runs finished more than 30 days ago on its alarm; the D1 trigger tables' purges remove planned
 * triggers past the age and leave younger or unplanned ones.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { purgeWorkflowTriggerRecipients } from "../../src/db/workflow-trigger-recipients";
import { purgeWorkflowTriggers } from "../../src/db/workflow-triggers";
import type { Bindings } from "../../src/env";
import { RUN_RETENTION_MS, workflowsOf, type UserWorkflows } from "../../src/workflows/user-workflows";
import { freshId } from "../helpers";
import { runsOf, template, trigger, waitForOnlyRun, workflow } from "../workflow-helpers";

const bindings = env as unknown as Bindings;
const DAY = 86_400_000;

describe("workflow retention", () => {
  it("removes runs finished over 30 days ago on the object's alarm, keeping younger and running ones", { timeout: 30_000 }, async () => {
    const quick = await workflow([{ type: "in_app", template: await template("in_app", "Hi") }]);
    const slow = await workflow([{ type: "delay", seconds: 3600 }]);
    const userId = freshId("wfr");
    await trigger(quick, { to: userId });
    const old = await waitForOnlyRun(userId, (r) => r.status === "completed");
    await trigger(quick, { to: userId });
    await trigger(slow, { to: userId });
    await waitForRunCount(userId, 3);

    const stub = workflowsOf(bindings, userId);
    await runInDurableObject(stub, (_instance: UserWorkflows, state) => {
      // The first run finished 31 days ago; the second a day ago.
      state.storage.sql.exec(`UPDATE runs SET finished_at = ?2 WHERE id = ?1`, old.id, Date.now() - 31 * DAY);
      state.storage.sql.exec(`UPDATE runs SET finished_at = ?2 WHERE id <> ?1 AND finished_at IS NOT NULL`, old.id, Date.now() - DAY);
      state.storage.sql.exec(`UPDATE runs SET wake_at = NULL WHERE id = ?1`, old.id);
    });
    // Scheduled far out, so only `runDurableObjectAlarm` runs it (one due now could fire first).
    await runInDurableObject(stub, (_instance, state) => state.storage.setAlarm(Date.now() + 3_600_000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const left = await runsOf(userId);
    expect(left.map((r) => r.id)).not.toContain(old.id);
    expect(left).toHaveLength(2);
    expect(left.map((r) => r.status).sort()).toEqual(["completed", "running"]);
    const next = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(next).not.toBeNull();
    expect(RUN_RETENTION_MS).toBe(30 * DAY);
  });

  it("purges planned triggers and their recipients past the age, never unplanned or younger ones", async () => {
    const now = Date.now();
    const ids = { oldPlanned: freshId("t"), oldUnplanned: freshId("t"), young: freshId("t") };
    const insert = (id: string, createdAt: number, plannedAt: number | null) => [
      env.DB.prepare(`INSERT INTO workflow_triggers (id, workflow_key, definition, recipients, created_at, planned_at) VALUES (?1, 'k', '{}', 2, ?2, ?3)`).bind(id, createdAt, plannedAt),
      env.DB.prepare(`INSERT INTO workflow_trigger_recipients (trigger_id, user_id) VALUES (?1, 'a'), (?1, 'b')`).bind(id),
    ];
    await env.DB.batch([...insert(ids.oldPlanned, now - 40 * DAY, now - 40 * DAY), ...insert(ids.oldUnplanned, now - 40 * DAY, null), ...insert(ids.young, now - DAY, now - DAY)]);

    // Triggers wait for their recipients to go first.
    expect(await purgeWorkflowTriggers(env.DB, now - 30 * DAY, 100)).toBe(0);
    expect(await purgeWorkflowTriggerRecipients(env.DB, now - 30 * DAY, 1)).toBe(1);
    expect(await purgeWorkflowTriggerRecipients(env.DB, now - 30 * DAY, 100)).toBe(1);
    expect(await purgeWorkflowTriggers(env.DB, now - 30 * DAY, 100)).toBe(1);

    const triggers = await env.DB.prepare(`SELECT id FROM workflow_triggers WHERE id IN (?1, ?2, ?3)`).bind(ids.oldPlanned, ids.oldUnplanned, ids.young).all<{ id: string }>();
    expect(triggers.results.map((r) => r.id).sort()).toEqual([ids.oldUnplanned, ids.young].sort());
    const recipients = await env.DB.prepare(`SELECT trigger_id AS id FROM workflow_trigger_recipients WHERE trigger_id IN (?1, ?2, ?3)`).bind(ids.oldPlanned, ids.oldUnplanned, ids.young).all<{ id: string }>();
    expect(recipients.results).toHaveLength(4);
  });
});

async function waitForRunCount(userId: string, n: number) {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const runs = await runsOf(userId);
    if (runs.length === n && runs.filter((r) => r.status === "completed").length === n - 1) return runs;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${n} runs`);
}
