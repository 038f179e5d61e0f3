/**
 * Workflow definitions and triggers (docs/api.md#workflows): save-time checks answer 422 naming
 * the step, unknown workflows 404, `to` over 1,000 users 413, and an idempotent trigger makes one run.
 */
import { describe, expect, it } from "vitest";
import { api, freshId } from "../helpers";
import { expectProblem } from "../security-helpers";
import { runsOf, template, trigger, waitForOnlyRun, workflow } from "../workflow-helpers";
import { audienceTopic, freshUsers, subscribe } from "../audience-helpers";

describe("workflow definitions", () => {
  it("saves, versions, lists and deletes a definition", async () => {
    const inApp = await template("in_app", "Hi {{name}}");
    const key = `wf-${crypto.randomUUID().slice(0, 8)}`;
    const steps = [{ type: "in_app", template: inApp }, { type: "delay", seconds: 60 }];
    const created = await api(`/v1/workflows/${key}`, { method: "PUT", json: { name: "Welcome", steps } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ key, version: 1, name: "Welcome", critical: false, steps: [{ type: "in_app", template: inApp, if: "always" }, { type: "delay", seconds: 60 }] });
    const replaced = await api(`/v1/workflows/${key}`, { method: "PUT", json: { steps } });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ version: 2, name: null });
    expect(await (await api(`/v1/workflows/${key}`)).json()).toMatchObject({ key, version: 2 });
    const listed = (await (await api(`/v1/workflows?limit=200`)).json()) as { items: { key: string }[] };
    expect(listed.items.map((w) => w.key)).toContain(key);
    expect((await api(`/v1/workflows/${key}`, { method: "DELETE" })).status).toBe(204);
    expect((await expectProblem(await api(`/v1/workflows/${key}`))).code).toBe("not_found");
  });

  it("refuses definitions that cannot run with 422 naming each step index", async () => {
    const inApp = await template("in_app", "Hi");
    const save = (steps: unknown[]) => api(`/v1/workflows/wf-bad-${crypto.randomUUID().slice(0, 8)}`, { method: "PUT", json: { steps } });

    const unknown = await expectProblem(await save([{ type: "in_app", template: inApp }, { type: "email", template: "no_such_template_anywhere" }]));
    expect(unknown).toMatchObject({ status: 422, code: "workflow_invalid" });
    expect(unknown.errors).toEqual([{ path: "steps.1.template", message: expect.stringContaining("no_such_template_anywhere") }]);

    const digestLate = await expectProblem(await save([{ type: "in_app", template: inApp }, { type: "digest", windowSeconds: 60 }]));
    expect(digestLate.status).toBe(422);
    expect(digestLate.errors).toEqual([{ path: "steps.1", message: "A digest can only be the first step." }]);

    const noTemplate = await expectProblem(await save([{ type: "delay", seconds: 5 }, { type: "sms" }]));
    expect(noTemplate.status).toBe(422);
    expect(noTemplate.errors).toEqual([{ path: "steps.1.template", message: "A channel step needs a template." }]);

    const ifFirst = await expectProblem(await save([{ type: "email", template: inApp, if: "unread" }]));
    expect(ifFirst.errors?.map((e) => e.path)).toEqual(["steps.0.if"]);

    // Shape errors stay 400, like every other body.
    expect((await expectProblem(await save([{ type: "delay" }]))).code).toBe("validation_failed");
  });
});

describe("workflow triggers", () => {
  it("answers 404 for an unknown workflow", async () => {
    const problem = await expectProblem(await trigger("wf-does-not-exist", { to: freshId() }));
    expect(problem).toMatchObject({ status: 404, code: "not_found" });
  });

  it("answers 413 for `to` over 1,000 users, and starts nothing", async () => {
    const key = await workflow([{ type: "in_app", template: await template("in_app", "Hi") }]);
    const users = Array.from({ length: 1001 }, (_, i) => `wf413_${i}`);
    const problem = await expectProblem(await trigger(key, { to: users }));
    expect(problem).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(await runsOf(users[0]!)).toEqual([]);
  });

  it("makes one run for the same Idempotency-Key sent twice, and refuses the key with another body", async () => {
    const key = await workflow([{ type: "in_app", template: await template("in_app", "Order {{order}}") }]);
    const userId = freshId("wfi");
    const headers = { "idempotency-key": freshId("k") };
    const first = await trigger(key, { to: userId, data: { order: 7 } }, headers);
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as { triggerId: string; recipients: number };
    expect(accepted.recipients).toBe(1);
    const again = await trigger(key, { to: userId, data: { order: 7 } }, headers);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(accepted);
    expect((await expectProblem(await trigger(key, { to: userId, data: { order: 8 } }, headers))).code).toBe("idempotency_key_reused");

    const run = await waitForOnlyRun(userId, (r) => r.status === "completed");
    expect(run.steps).toMatchObject([{ type: "in_app", status: "completed" }]);
    // Give a second run every chance to appear.
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(userId)).toHaveLength(1);
  });

  it("fixes a topic's subscribers at acceptance and gives each one run", async () => {
    const key = await workflow([{ type: "in_app", template: await template("in_app", "News") }]);
    const topic = await audienceTopic();
    const users = freshUsers(3, "wft");
    await subscribe(topic, users);
    const res = await trigger(key, { to: { topic } });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ recipients: 3 });
    for (const u of users) await waitForOnlyRun(u, (r) => r.status === "completed");
  });
});
