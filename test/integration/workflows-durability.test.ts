/**
 * Runs are durable state machines (docs/api.md#workflows): evicted between every pair of steps a
 * run still records each step once and sends each message once; a cancelled run sends nothing
 * more; a run that fails on missing template data is `failed` with a dead letter whose redrive
 * resumes it at the failed step.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import type { ChannelStepDef, WorkflowStep } from "../../src/workflows/definition";
import { runChannelStep } from "../../src/workflows/run";
import type { Run } from "../../src/workflows/storage";
import { runIdFor, workflowsOf } from "../../src/workflows/user-workflows";
import { api, waitFor } from "../helpers";
import { expectProblem } from "../security-helpers";
import { emailsTo, getRun, runsOf, template, trigger, userWithEmail, waitForOnlyRun, waitForRun, workflow, inboxItems } from "../workflow-helpers";

const bindings = env as unknown as Bindings;

async function evict(userId: string) {
  const stub = workflowsOf(bindings, userId);
  await runInDurableObject(stub, () => undefined);
  await evictDurableObject(stub);
}

describe("durable runs", () => {
  it("survives an eviction between each pair of steps, recording and sending each step once", { timeout: 60_000 }, async () => {
    const first = await template("in_app", "First for {{name}}");
    const second = await template("in_app", "Second for {{name}}");
    const mail = await template("email", "<p>Third for {{name}}</p>");
    const key = await workflow([
      { type: "in_app", template: first },
      { type: "delay", seconds: 1 },
      { type: "in_app", template: second },
      { type: "delay", seconds: 1 },
      { type: "email", template: mail },
    ]);
    const { userId, email } = await userWithEmail();
    expect((await trigger(key, { to: userId, data: { name: "Ada" } })).status).toBe(202);

    // Evict at every look, all through the run: an in-app step and the wait after it run in one
    // alarm, so the points between steps where a run rests are its waits — each must be seen, and
    // evicted in, at least once. (Eviction while a step is in progress is the crash test below.)
    const seen = new Set<string>();
    let evictions = 0;
    const run = await waitFor(
      async () => {
        const [current] = await runsOf(userId);
        if (!current) return undefined;
        seen.add(current.steps.map((s) => s.status).join(","));
        await evict(userId);
        evictions++;
        return current.status === "completed" ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 20, what: "the run to complete" },
    );
    expect(evictions).toBeGreaterThanOrEqual(4);
    expect(seen).toContain("completed,waiting,pending,pending,pending");
    expect(seen).toContain("completed,completed,completed,waiting,pending");
    expect(run.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed", "completed"]);
    const at = run.steps.map((s) => Date.parse(s.at!));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(1000);

    const items = await inboxItems(userId);
    expect(items.map((i) => i.body).sort()).toEqual(["First for Ada", "Second for Ada"]);
    expect(items.map((i) => i.id).sort()).toEqual([run.steps[0]!.notificationId, run.steps[2]!.notificationId].sort());
    await waitFor(async () => (await emailsTo(email)).length === 1, { what: "the email" });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await emailsTo(email)).toHaveLength(1);
    expect(await runsOf(userId)).toHaveLength(1);
  });

  it("sends nothing more once cancelled", { timeout: 30_000 }, async () => {
    const key = await workflow([
      { type: "in_app", template: await template("in_app", "Now") },
      { type: "delay", seconds: 3 },
      { type: "email", template: await template("email", "<p>Later</p>") },
    ]);
    const { userId, email } = await userWithEmail();
    await trigger(key, { to: userId });
    const started = await waitForOnlyRun(userId, (r) => r.steps[1]?.status === "waiting");
    const res = await api(`/v1/workflow-runs/${started.id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "cancelled", steps: [{ status: "completed" }, { status: "cancelled" }, { status: "cancelled" }] });
    // Past the end of the delay: an uncancelled run would have sent its email by now.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await getRun(started.id)).toMatchObject({ status: "cancelled" });
    expect(await emailsTo(email)).toEqual([]);
    expect((await expectProblem(await api(`/v1/workflow-runs/wr_01JD0000000000000000000000_${userId}/cancel`, { method: "POST" }))).code).toBe("not_found");
    expect((await expectProblem(await api(`/v1/workflow-runs/not-a-run`))).code).toBe("not_found");
  });

  it("fails a run on missing template data with a dead letter, and a redrive resumes it at the failed step", { timeout: 30_000 }, async () => {
    const hello = await template("in_app", "Hello");
    const needy = await template("in_app", "Your code is {{code}}");
    const key = await workflow([{ type: "in_app", template: hello }, { type: "in_app", template: needy }]);
    const { userId } = await userWithEmail();
    await trigger(key, { to: userId, data: { other: 1 } });
    const failed = await waitForOnlyRun(userId, (r) => r.status === "failed");
    expect(failed.steps.map((s) => s.status)).toEqual(["completed", "failed"]);
    expect(failed.error).toContain("code");

    const letters = (await (await api(`/v1/dead-letters?source=workflow_run&limit=200`)).json()) as { items: { id: string; sourceId: string; lastError: string }[] };
    const letter = letters.items.find((l) => l.sourceId === failed.id)!;
    expect(letter.lastError).toContain("code");

    // Fix the template, then redrive: the run goes on from step 1; step 0 is not sent again.
    await api(`/v1/templates/${needy}`, { method: "PUT", json: { channel: "in_app", subject: "Subject", body: "Your code is ready" } });
    expect((await api(`/v1/dead-letters/${letter.id}/redrive`, { method: "POST" })).status).toBe(202);
    const done = await waitForRun(failed.id, (r) => r.status === "completed");
    expect(done.steps.map((s) => s.status)).toEqual(["completed", "completed"]);
    expect(done.steps[0]!.notificationId).toBe(failed.steps[0]!.notificationId);
    const items = await inboxItems(userId);
    expect(items.map((i) => i.body).sort()).toEqual(["Hello", "Your code is ready"]);
    const after = (await (await api(`/v1/dead-letters?source=workflow_run&limit=200`)).json()) as { items: { id: string }[] };
    expect(after.items.map((l) => l.id)).not.toContain(letter.id);
  });

  it("creates a step's notification once when the step is retried after a crash (before its outcome was recorded)", { timeout: 30_000 }, async () => {
    const inApp = await template("in_app", "Hi {{name}}");
    const mail = await template("email", "<p>Hi {{name}}</p>");
    const { userId, email } = await userWithEmail();
    const steps: WorkflowStep[] = [
      { type: "in_app", template: inApp, if: "always" },
      { type: "email", template: mail, if: "always" },
    ];
    const created = Date.now();
    const run: Run = {
      id: runIdFor(userId),
      workflowKey: "crash",
      definition: { key: "crash", version: 1, name: null, category: null, critical: false, steps },
      status: "running",
      cursor: 0,
      waiting: false,
      data: { name: "Ada" },
      actor: null,
      digestKey: null,
      events: null,
      wakeAt: created,
      failures: 0,
      error: null,
      createdAt: created,
      updatedAt: created,
      finishedAt: null,
    };
    // The object ran each step, crashed before recording it, and ran it again after its restart.
    for (const idx of [0, 1]) {
      const first = await runChannelStep(bindings, userId, run, idx, steps[idx] as ChannelStepDef, null, Date.now());
      const again = await runChannelStep(bindings, userId, run, idx, steps[idx] as ChannelStepDef, null, Date.now() + 1000);
      expect(first.status).toBe("completed");
      expect(again).toEqual(first);
    }
    expect((await inboxItems(userId)).map((i) => i.body)).toEqual(["Hi Ada"]);
    const rows = await env.DB.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?1`).bind(userId).first<{ n: number }>();
    expect(rows!.n).toBe(2);
    await waitFor(async () => (await emailsTo(email)).length === 1, { what: "the email" });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await emailsTo(email)).toHaveLength(1);
  });
});
