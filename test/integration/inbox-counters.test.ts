/**
 * The inbox's counters — `seq`, `ackedSeq`, `items`, `changeSeq`, `stateSeq` — are kept in memory
 * and derived from the rows and `meta.marks` when an instance first needs them (src/inbox/schema.ts,
 * docs/cost.md#where-the-rows-go). After an eviction they must be exactly what they were: the
 * sequence never goes back, even when the row holding its newest seq was removed; the delivered
 * prefix ends where the last ack ended, on an item or on a state event.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { FeedCountCache } from "../../src/inbox/count-cache";
import { purgeDue } from "../../src/inbox/items";
import { MARK_EVERY, type Meta } from "../../src/inbox/schema";
import { inboxOf, type InboxItemInput, type UserInbox } from "../../src/inbox/user-inbox";
import { Device, freshId, userToken, waitFor } from "../helpers";

const COUNTERS = ["seq", "ackedSeq", "items", "changeSeq", "stateSeq"] as const;

function item(id: string, expiresAt: number | null = null): InboxItemInput {
  return { id, title: id, body: null, data: null, priority: "normal", createdAt: Date.now(), expiresAt };
}

/** The counters as the live instance holds them, and the saved marks. */
function counters(userId: string): Promise<{ counters: Record<(typeof COUNTERS)[number], number>; marks: unknown }> {
  return runInDurableObject(inboxOf(env, userId), (instance: UserInbox) => {
    const meta = (instance as unknown as { meta: Meta }).meta;
    const marks = meta.text("marks");
    return { counters: Object.fromEntries(COUNTERS.map((key) => [key, meta.number(key)])) as Record<(typeof COUNTERS)[number], number>, marks: marks === null ? null : JSON.parse(marks) };
  });
}

/** A fresh user's inbox with one device connected (its `hello` taken). */
async function connectedInbox() {
  const userId = freshId();
  const token = await userToken(userId);
  const device = await Device.connect(token);
  await device.next("hello");
  return { userId, stub: inboxOf(env, userId), token, device };
}

describe("inbox counters", () => {
  it("derives the same counters after an eviction when a removal took the newest seq and the last ack ended on a state event", async () => {
    const { userId, stub, token, device } = await connectedInbox();
    await stub.deliver(userId, [item("a"), item("b"), item("c", Date.now() + 60_000)]);
    expect((await device.take(3)).map((f) => f.seq)).toEqual([1, 2, 3]);
    // c, the newest item, is read (seq 4), and the device acks the read's state event.
    await stub.markRead(["c"]);
    expect(await device.next("state")).toMatchObject({ seq: 4, id: "c" });
    device.send({ type: "ack", seq: 4 });
    await waitFor(async () => (await counters(userId)).counters.ackedSeq === 4, { what: "the ack of seq 4" });
    device.close();
    // The rows show the newest delivered item, c at seq 3; the ack ended past it, on seq 4.
    await evictDurableObject(stub);
    expect((await counters(userId)).counters).toMatchObject({ seq: 4, ackedSeq: 4, items: 3 });
    // c expires: the row holding seq 4 goes.
    await runInDurableObject(stub, (instance: UserInbox) => {
      const inbox = instance as unknown as { sql: SqlStorage; meta: Meta; countCache: FeedCountCache };
      purgeDue(inbox.sql, inbox.meta, inbox.countCache, Date.now() + 120_000);
    });
    const before = await counters(userId);
    expect(before.counters).toEqual({ seq: 4, ackedSeq: 4, items: 2, changeSeq: 0, stateSeq: 4 });
    await evictDurableObject(stub);

    // The newest state event left with its item: `stateSeq` may go back to what is stored, `seq` not.
    expect((await counters(userId)).counters).toEqual({ ...before.counters, stateSeq: 0 });
    await evictDurableObject(stub);
    const next = await Device.connect(token);
    expect(await next.next("hello")).toMatchObject({ lastSeq: 4 });
    // a and b were acked (the prefix ends at 4): nothing to replay without `since`.
    expect(await next.quiet(200)).toEqual([]);
    await stub.deliver(userId, [item("d")]);
    expect(await next.next("notification")).toMatchObject({ seq: 5, notification: { id: "d" } });
    next.close();
  });

  it("derives the delivered prefix from an ack that ended on an item, and the count from the items after the marks", async () => {
    const { userId, stub, token, device } = await connectedInbox();
    const count = MARK_EVERY + 6;
    await stub.deliver(userId, Array.from({ length: MARK_EVERY - 4 }, (_, i) => item(`a${i}`)));
    await stub.deliver(userId, Array.from({ length: 10 }, (_, i) => item(`b${i}`)));
    const frames = await device.take(MARK_EVERY + 6, "notification", 10_000);
    device.send({ type: "ack", seq: frames[9]!.seq });
    await waitFor(async () => (await counters(userId)).counters.ackedSeq === 10, { what: "the ack of seq 10" });
    device.close();
    const before = await counters(userId);
    // The marks were saved once, when the sequence ran MARK_EVERY past them (the second batch);
    // the ack ended on an item, so it saved nothing.
    expect(before.marks).toEqual({ seq: count, ackedSeq: 0, items: count });
    expect(before.counters).toEqual({ seq: count, ackedSeq: 10, items: count, changeSeq: 0, stateSeq: 0 });
    await stub.deliver(userId, [item("c")]);
    await evictDurableObject(stub);

    expect((await counters(userId)).counters).toEqual({ ...before.counters, seq: count + 1, items: count + 1 });
    const next = await Device.connect(token);
    await next.next("hello");
    // Without `since`, the replay starts after the delivered prefix.
    expect((await next.next("notification")).seq).toBe(11);
    next.close();
  });
});
