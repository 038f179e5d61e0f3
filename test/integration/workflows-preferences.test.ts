/**
 * Runs honour preferences at each channel step (docs/api.md#workflows, docs/api.md#preferences): a
 * channel the user switched off is recorded `skipped` with reason `preference`, the run goes on,
 * a `critical` workflow bypasses the preference, and quiet hours hold the step's email (the
 * channel queue's hold, with `deliverAt`) while the run goes on.
 */
import { describe, expect, it } from "vitest";
import { api, waitFor } from "../helpers";
import { emailsTo, template, trigger, userWithEmail, waitForOnlyRun, workflow } from "../workflow-helpers";

describe("workflow preferences", () => {
  it("skips a channel step the user switched off, with reason `preference`, and goes on", async () => {
    const mail = await template("email", "<p>Hi</p>");
    const inApp = await template("in_app", "Hi");
    const key = await workflow([{ type: "email", template: mail }, { type: "in_app", template: inApp }]);
    const { userId, email } = await userWithEmail();
    expect((await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { channels: { email: false } } })).status).toBe(200);
    await trigger(key, { to: userId });
    const run = await waitForOnlyRun(userId, (r) => r.status === "completed");
    expect(run.steps.map((s) => [s.type, s.status, s.reason])).toEqual([
      ["email", "skipped", "preference"],
      ["in_app", "completed", null],
    ]);
    expect(await emailsTo(email)).toEqual([]);
  });

  it("sends a critical workflow's email whatever the preferences", async () => {
    const key = await workflow([{ type: "email", template: await template("email", "<p>Your code</p>") }], { critical: true });
    const { userId, email } = await userWithEmail();
    await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { channels: { email: false } } });
    await trigger(key, { to: userId });
    const run = await waitForOnlyRun(userId, (r) => r.status === "completed");
    expect(run.steps[0]).toMatchObject({ status: "completed" });
    const deadline = Date.now() + 10_000;
    while ((await emailsTo(email)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await emailsTo(email)).toHaveLength(1);
  });

  it("holds the email of a step inside the user's quiet hours, and the run goes on", async () => {
    const mail = await template("email", "<p>Later</p>");
    const inApp = await template("in_app", "Now");
    const key = await workflow([{ type: "email", template: mail }, { type: "in_app", template: inApp }]);
    const { userId, email } = await userWithEmail();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const quietHours = { start: hhmm(Date.now() - 3_600_000), end: hhmm(Date.now() + 3_600_000), timezone: "UTC" };
    expect((await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { quietHours } })).status).toBe(200);
    await trigger(key, { to: userId });
    const run = await waitForOnlyRun(userId, (r) => r.status === "completed");
    expect(run.steps.map((s) => s.status)).toEqual(["completed", "completed"]);
    const held = await waitFor(async () => {
      const view = (await (await api(`/v1/notifications/${run.steps[0]!.notificationId}`)).json()) as { deliveries: { channel: string; status: string; deliverAt: string | null }[] };
      const delivery = view.deliveries.find((d) => d.channel === "email");
      return delivery?.deliverAt ? delivery : undefined;
    }, { what: "the email held with deliverAt" });
    expect(held.status).toBe("queued");
    expect(Date.parse(held.deliverAt!)).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await emailsTo(email)).toEqual([]);
  });
});
