/**
 * Flow control (docs/protocol.md#flow-control): a device that stops acking gets at most its window of unacked frames
 * (default 1,000), nothing more until it acks, other devices are unaffected, nothing is lost —
 * also across hibernation.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf, type InboxItemInput } from "../../src/inbox/user-inbox";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

/** `n` inbox items handed to the inbox in one call, as one dispatch batch would. */
function items(n: number): InboxItemInput[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: `${freshId("n")}_${i}`,
    title: `t${i}`,
    body: null,
    data: null,
    priority: "normal",
    createdAt: now,
    expiresAt: null,
  }));
}

const seqs = (frames: { seq?: number }[]) => frames.map((f) => f.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("flow control", () => {
  it("holds a silent device at its window while another device gets everything, and resumes on ack", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const slow = await Device.connect(token, undefined, 5);
    const fast = await Device.connect(token);
    await slow.next("hello");
    await fast.next("hello");
    for (let i = 0; i < 12; i++) await sendNotification(userId, { title: `n${i}` });

    expect(seqs(await fast.take(12))).toEqual(range(1, 12));
    expect(seqs(await slow.take(5))).toEqual(range(1, 5));
    expect(await slow.quiet(300)).toEqual([]);

    // A partial ack frees exactly that much window; the full ack lets the rest through.
    slow.send({ type: "ack", seq: 3 });
    expect(seqs(await slow.take(3))).toEqual(range(6, 8));
    expect(await slow.quiet(200)).toEqual([]);
    slow.send({ type: "ack", seq: 8 });
    expect(seqs(await slow.take(4))).toEqual(range(9, 12));
    expect(await slow.quiet(200)).toEqual([]);
    slow.close();
    fast.close();
  });

  it("defaults to a window of 1,000 frames", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    await inboxOf(env, userId).deliver(userId, items(1005));

    const first = await device.take(1000, "notification", 10_000);
    expect(seqs(first)).toEqual(range(1, 1000));
    expect(await device.quiet(300)).toEqual([]);
    device.send({ type: "ack", seq: 1000 });
    expect(seqs(await device.take(5))).toEqual(range(1001, 1005));
    device.close();
  });

  it("keeps a device's window across hibernation", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token, undefined, 2);
    await device.next("hello");
    await inboxOf(env, userId).deliver(userId, items(3));
    expect(seqs(await device.take(2))).toEqual([1, 2]);

    await evictDurableObject(inboxOf(env, userId));
    await inboxOf(env, userId).deliver(userId, items(2));
    expect(await device.quiet(300)).toEqual([]);
    device.send({ type: "ack", seq: 2 });
    expect(seqs(await device.take(2))).toEqual([3, 4]);
    device.send({ type: "ack", seq: 4 });
    expect(seqs(await device.take(1))).toEqual([5]);
    await waitFor(async () => {
      const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { deliveredAt: string | null }[] };
      return page.items.filter((i) => i.deliveredAt !== null).length === 4;
    }, { what: "4 delivered" });
    device.close();
  });
});
