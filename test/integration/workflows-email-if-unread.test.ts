/**
 * "Email me if I did not see it in the app" (docs/api.md#workflows): an in-app step, a delay, then
 * an email with `if: "unread"` or `if: "unseen"`, answered by the recipient's own inbox when the
 * email step runs. Emails are read back from the dev outbox.
 */
import { describe, expect, it } from "vitest";
import { api, Device, userToken } from "../helpers";
import { emailsTo, template, trigger, userWithEmail, waitForOnlyRun, workflow, type RunView } from "../workflow-helpers";

/** in_app → delay → email (if `condition`), with templates that need `name`. */
async function fallbackWorkflow(condition: "unread" | "unseen", delaySeconds: number): Promise<string> {
  const inApp = await template("in_app", "{{name}} commented", "New comment");
  const email = await template("email", "<p>{{name}} commented while you were away</p>", "You missed a comment");
  return workflow([
    { type: "in_app", template: inApp },
    { type: "delay", seconds: delaySeconds },
    { type: "email", template: email, if: condition },
  ]);
}

const inAppDone = (r: RunView) => r.steps[0]?.status === "completed";
const finished = (r: RunView) => r.status === "completed";

describe("email if unread", () => {
  it("sends no email when the user reads the in-app item before the delay ends", async () => {
    const key = await fallbackWorkflow("unread", 5);
    const { userId, email } = await userWithEmail();
    expect((await trigger(key, { to: userId, data: { name: "Ada" } })).status).toBe(202);
    const started = await waitForOnlyRun(userId, inAppDone);
    const notificationId = started.steps[0]!.notificationId!;
    const token = await userToken(userId);
    const read = await api(`/v1/me/notifications/${notificationId}/read`, { method: "POST", auth: token });
    expect(read.status).toBe(200);

    const run = await waitForOnlyRun(userId, finished);
    expect(run.steps.map((s) => [s.type, s.status, s.reason])).toEqual([
      ["in_app", "completed", null],
      ["delay", "completed", null],
      ["email", "skipped", "read"],
    ]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await emailsTo(email)).toEqual([]);
  });

  it("sends exactly one email when the user received the in-app item on a device but did not read it", async () => {
    const key = await fallbackWorkflow("unread", 1);
    const { userId, email } = await userWithEmail();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    expect((await trigger(key, { to: userId, data: { name: "Grace" } })).status).toBe(202);
    const frame = await device.next("notification", 10_000);
    device.ws.send(JSON.stringify({ type: "ack", seq: frame.seq }));

    const run = await waitForOnlyRun(userId, finished);
    expect(run.steps.map((s) => [s.type, s.status])).toEqual([
      ["in_app", "completed"],
      ["delay", "completed"],
      ["email", "completed"],
    ]);
    const sent = await waitForEmails(email, 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ notificationId: run.steps[2]!.notificationId, subject: "You missed a comment", body: "Grace commented while you were away" });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await emailsTo(email)).toHaveLength(1);
    device.ws.close();
  });

  it("sends the `unseen` email to a user offline the whole time, and skips it for one whose device received the item", async () => {
    const key = await fallbackWorkflow("unseen", 3);
    const offline = await userWithEmail();
    const online = await userWithEmail();
    const device = await Device.connect(await userToken(online.userId));
    await device.next("hello");
    expect((await trigger(key, { to: [offline.userId, online.userId], data: { name: "Linus" } })).status).toBe(202);
    const frame = await device.next("notification", 10_000);
    device.ws.send(JSON.stringify({ type: "ack", seq: frame.seq }));

    const offlineRun = await waitForOnlyRun(offline.userId, finished);
    expect(offlineRun.steps[2]).toMatchObject({ type: "email", status: "completed" });
    expect(await waitForEmails(offline.email, 1)).toHaveLength(1);

    const onlineRun = await waitForOnlyRun(online.userId, finished);
    expect(onlineRun.steps[2]).toMatchObject({ type: "email", status: "skipped", reason: "seen" });
    await new Promise((r) => setTimeout(r, 500));
    expect(await emailsTo(online.email)).toEqual([]);
    expect(await emailsTo(offline.email)).toHaveLength(1);
    device.ws.close();
  });
});

/** Waits until the outbox holds at least `n` emails to `email` (the channel queue sends after the step). */
async function waitForEmails(email: string, n: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sent = await emailsTo(email);
    if (sent.length >= n || Date.now() > deadline) return sent;
    await new Promise((r) => setTimeout(r, 100));
  }
}
