/**
 * `delivered` and `read` reach D1 from the items themselves, past the mirror's cursor
 * (src/inbox/mirror.ts, docs/cost.md): no outbox row per item, the cursor saved only every
 * CURSOR_SAVE_SEQS seqs, and still at least once when the send failed and the object was evicted
 * before the alarm ran.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CURSOR_SAVE_SEQS } from "../../src/inbox/mirror";
import type { Meta } from "../../src/inbox/schema";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import { sendBatch } from "../batch-helpers";
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

/** The inbox's outbox rows, its `meta` cursor, and its counters (kept in memory: src/inbox/schema.ts). */
const storage = (userId: string) =>
  runInDurableObject(inboxOf(env, userId), (instance: UserInbox, state) => {
    const counters = (instance as unknown as { meta: Meta }).meta;
    return {
      outbox: state.storage.sql.exec(`SELECT id, status FROM outbox`).toArray(),
      meta: {
        ...Object.fromEntries(state.storage.sql.exec<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key = 'mirrored'`).toArray().map((r) => [r.key, r.value])),
        ackedSeq: counters.number("ackedSeq"),
        stateSeq: counters.number("stateSeq"),
      } as { mirrored?: string; ackedSeq: number; stateSeq: number },
    };
  });

describe("mirror cursor", () => {
  it("reports acks and reads without an outbox row, and saves no cursor for a few of them", async () => {
    const userId = freshId();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    const ids = [await sendNotification(userId), await sendNotification(userId)];
    const frames = [await device.next("notification"), await device.next("notification")];
    device.send({ type: "ack", seq: frames[1]!.seq });
    device.send({ type: "read", ids: [ids[0]] });
    await waitFor(async () => {
      const statuses = await inAppStatuses(ids);
      return statuses.get(ids[0]!) === "read" && statuses.get(ids[1]!) === "delivered";
    }, { what: "read and delivered in D1" });
    const { outbox, meta } = await storage(userId);
    expect(outbox).toEqual([]);
    expect(meta.mirrored).toBeUndefined();
    device.close();
  });

  it("saves the cursor once it ran CURSOR_SAVE_SEQS ahead, where the acks and reads stand", async () => {
    const userId = freshId();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    const prefix = freshId("k");
    const items = Array.from({ length: CURSOR_SAVE_SEQS }, (_, i) => ({ idempotencyKey: `${prefix}-${i}`, userId, title: `item ${i}` }));
    expect((await sendBatch(items)).status).toBe(200);
    let last = 0;
    for (let i = 0; i < CURSOR_SAVE_SEQS; i++) last = (await device.next("notification")).seq!;
    device.send({ type: "ack", seq: last });
    await waitFor(async () => (await storage(userId)).meta.mirrored !== undefined, { what: "the cursor saved" });
    const { meta } = await storage(userId);
    expect(JSON.parse(meta.mirrored!)).toEqual({ ackedSeq: last, stateSeq: Number(meta.stateSeq) });
    device.close();
  });

  it("sends a read whose send failed from the item when the alarm runs after an eviction", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId);
    await device.next("notification");
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "sent", { what: "sent" });

    await receiptsQueueDown(userId, true);
    expect((await api(`/v1/me/notifications/${id}/read`, { method: "POST", auth: token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await inAppStatuses([id])).get(id)).toBe("sent");
    await evictDurableObject(inboxOf(env, userId));
    await receiptsQueueDown(userId, false);
    expect(await runDurableObjectAlarm(inboxOf(env, userId))).toBe(true);
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "read", { what: "read in D1" });
    device.close();
  });
});
