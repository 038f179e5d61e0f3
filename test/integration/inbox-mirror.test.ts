/**
 * D1 status mirroring (docs/api.md#delivery-statuses): delivered, read, expired and recalled reach D1 in batches
 * through the receipts queue and converge — a report whose enqueue failed is not lost, the
 * inbox alarm sends it, even after the object was evicted; a report that got through costs no
 * alarm of its own.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import { MIRROR_RETRY_MS, PRESENCE_REFRESH_MS } from "../../src/inbox/mirror";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";
import { inAppStatuses } from "../inbox-helpers";

/** Makes the inbox's receipts queue refuse sends (`down`) or work again, inside the object. */
async function receiptsQueueDown(userId: string, down: boolean): Promise<void> {
  await runInDurableObject(inboxOf(env, userId), (instance: UserInbox) => {
    const queue = (instance as unknown as { env: { RECEIPTS: Queue & { realSendBatch?: Queue["sendBatch"] } } }).env.RECEIPTS;
    queue.realSendBatch ??= queue.sendBatch.bind(queue);
    queue.sendBatch = down ? () => Promise.reject(new Error("injected: queue unavailable")) : queue.realSendBatch;
  });
}

/** A fresh user with one connected device that was sent one notification, `sent` in D1 and not yet acked. */
async function deviceWithOneSent() {
  const userId = freshId();
  const token = await userToken(userId);
  const device = await Device.connect(token);
  await device.next("hello");
  const id = await sendNotification(userId);
  const frame = await device.next("notification");
  await waitFor(async () => (await inAppStatuses([id])).get(id) === "sent", { what: "sent" });
  return { userId, token, device, id, frame };
}

describe("D1 mirror", () => {
  it("mirrors delivered, read and recalled for every item", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await sendNotification(userId));
    const frames = await device.take(4);
    device.send({ type: "ack", seq: frames[3]!.seq });
    device.send({ type: "read", ids: [ids[1]] });
    await api(`/v1/notifications/${ids[2]}`, { method: "DELETE" });
    await waitFor(async () => {
      const s = await inAppStatuses(ids);
      return s.get(ids[0]!) === "delivered" && s.get(ids[1]!) === "read" && s.get(ids[2]!) === "recalled" && s.get(ids[3]!) === "delivered";
    }, { what: "delivered, read, recalled, delivered" });
    device.close();
  });

  it("sends a report whose enqueue failed from the alarm, so D1 converges", async () => {
    const { userId, token, device, id, frame } = await deviceWithOneSent();

    await receiptsQueueDown(userId, true);
    device.send({ type: "ack", seq: frame.seq });
    await waitFor(async () => {
      const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { deliveredAt: string | null }[] };
      return page.items[0]?.deliveredAt !== null;
    }, { what: "delivered in the inbox" });
    // The send comes MIRROR_COALESCE_MS after the ack; once it failed, the alarm retries it soon.
    await waitFor(async () => {
      const alarm = await runInDurableObject(inboxOf(env, userId), (_i, state) => state.storage.getAlarm());
      return alarm !== null && alarm <= Date.now() + MIRROR_RETRY_MS;
    }, { what: "a retry alarm after the failed send" });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await inAppStatuses([id])).get(id)).toBe("sent");

    await receiptsQueueDown(userId, false);
    expect(await runDurableObjectAlarm(inboxOf(env, userId))).toBe(true);
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "delivered", { what: "delivered in D1" });
    device.close();
  });

  it("sends what an evicted instance left unsent when the alarm runs", async () => {
    const { userId, device, id, frame } = await deviceWithOneSent();

    await receiptsQueueDown(userId, true);
    device.send({ type: "ack", seq: frame.seq });
    await waitFor(async () => {
      const alarm = await runInDurableObject(inboxOf(env, userId), (_i, state) => state.storage.getAlarm());
      return alarm !== null && alarm <= Date.now() + MIRROR_RETRY_MS;
    }, { what: "a retry alarm after the failed send" });
    await evictDurableObject(inboxOf(env, userId));
    await receiptsQueueDown(userId, false);
    expect(await runDurableObjectAlarm(inboxOf(env, userId))).toBe(true);
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "delivered", { what: "delivered in D1" });
    device.close();
  });

  it("keeps the alarm at the presence refresh while reports get through", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const inbox = inboxOf(env, userId);
    const connected = await runInDurableObject(inbox, (_i, state) => state.storage.getAlarm());
    expect(connected).toBeGreaterThan(Date.now() + PRESENCE_REFRESH_MS / 2);

    const id = await sendNotification(userId);
    const frame = await device.next("notification");
    device.send({ type: "ack", seq: frame.seq });
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "delivered", { what: "delivered in D1" });
    expect(await runInDurableObject(inbox, (_i, state) => state.storage.getAlarm())).toBe(connected);
    device.close();
  });
});
