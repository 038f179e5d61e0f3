/**
 * What a broadcast does with the notification fields (docs/api.md#audiences): preferences are
 * judged per recipient (channel off, category off, quiet hours, `critical`), and the fields a
 * broadcast cannot honour — channels other than in-app, a delay — are refused with a message
 * saying why, never dropped.
 */
import { describe, expect, it } from "vitest";
import { BROADCAST_IN_APP_ONLY, BROADCAST_NOT_DELAYED } from "../../src/notifications/input";
import { audienceTopic, broadcast, freshUsers, inboxItems, subscribe, waitForBroadcast } from "../audience-helpers";
import { api } from "../helpers";
import { expectProblem } from "../security-helpers";

/** Quiet hours around the current UTC hour (an hour back to two ahead). */
function quietNow() {
  const hour = new Date().getUTCHours();
  const hhmm = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
  return { start: hhmm(hour - 1), end: hhmm(hour + 2), timezone: "UTC" };
}

describe("broadcast channels and preferences", () => {
  it("judges each recipient's preferences: channel or category off keeps it out, quiet hours do not hold in-app, critical reaches all", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const [plain, inAppOff, quiet, categoryOff] = freshUsers(4, "auc");
    const users = [plain!, inAppOff!, quiet!, categoryOff!];
    await subscribe(topic, users);
    const patches: [string, unknown][] = [
      [inAppOff!, { channels: { in_app: false } }],
      [quiet!, { quietHours: quietNow() }],
      [categoryOff!, { categories: { maintenance: { enabled: false } } }],
    ];
    for (const [userId, patch] of patches) expect((await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: patch })).status).toBe(200);

    const { broadcastId } = (await (await broadcast(topic, { category: "maintenance" })).json()) as { broadcastId: string };
    expect(await waitForBroadcast(broadcastId)).toMatchObject({ recipients: 4, fannedOut: 4, failed: 0 });
    let held = await inboxItems(users);
    expect(users.map((u) => held.get(u))).toEqual([[broadcastId], [], [broadcastId], []]);

    const critical = (await (await broadcast(topic, { category: "maintenance", critical: true })).json()) as { broadcastId: string };
    expect(await waitForBroadcast(critical.broadcastId)).toMatchObject({ recipients: 4, fannedOut: 4 });
    held = await inboxItems(users);
    for (const u of users) expect(held.get(u), u).toContain(critical.broadcastId);
  });

  it("refuses channels other than in-app and a delay, naming the field and why", async () => {
    const topic = await audienceTopic();
    const email = await expectProblem(await broadcast(topic, { channels: ["email"] }));
    expect(email.code).toBe("validation_failed");
    expect(email.errors).toEqual([{ path: "channels.0", message: BROADCAST_IN_APP_ONLY }]);
    const both = await expectProblem(await broadcast(topic, { channels: ["in_app", "push"] }));
    expect(both.code).toBe("validation_failed");
    expect(both.errors?.map((e) => e.message)).toContain(BROADCAST_IN_APP_ONLY);
    const delayed = await expectProblem(await broadcast(topic, { delaySeconds: 60 }));
    expect(delayed.code).toBe("validation_failed");
    expect(delayed.errors).toEqual([{ path: "delaySeconds", message: BROADCAST_NOT_DELAYED }]);
  });
});
