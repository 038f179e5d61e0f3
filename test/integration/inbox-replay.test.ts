/**
 * The offline inbox (docs/protocol.md#replay; seed problem: offline messages lost, receipts shown wrong):
 * replay in seq order with and without `since`, delivered only on ack.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

async function inAppStatus(id: string): Promise<string> {
  const res = await api(`/v1/notifications/${id}`);
  const body = (await res.json()) as { deliveries: { channel: string; status: string }[] };
  return body.deliveries.find((d) => d.channel === "in_app")!.status;
}

async function sendMany(userId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await sendNotification(userId, { title: `n${i}` }));
  return ids;
}

/** Waits until the inbox holds `n` items (the queue or fast path delivered them). */
async function inboxHolds(token: string, n: number) {
  await waitFor(async () => {
    const res = await api("/v1/me/notifications?limit=200", { auth: token });
    return ((await res.json()) as { items: unknown[] }).items.length >= n;
  }, { what: `${n} inbox items` });
}

describe("replay on connect", () => {
  it("replays everything sent while offline, in seq order, then live ones", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const ids = await sendMany(userId, 5);
    await inboxHolds(token, 5);

    const device = await Device.connect(token);
    const hello = await device.next("hello");
    expect(hello).toMatchObject({ userId, lastSeq: 5, unreadCount: 5, connectionId: expect.any(String) });
    const frames = await device.take(5);
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.map((f) => (f.notification as { id: string }).id)).toEqual(ids);

    const live = await sendNotification(userId, { title: "live" });
    const next = await device.next("notification");
    expect(next).toMatchObject({ seq: 6, notification: { id: live, title: "live" } });
    device.close();
  });

  it("without since replays every item no device acked", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await sendMany(userId, 4);
    await inboxHolds(token, 4);

    const first = await Device.connect(token);
    await first.take(4);
    first.send({ type: "ack", seq: 2 });
    await waitFor(async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND in_app_status = 'delivered'").bind(userId).first<{ n: number }>())?.n === 2, { what: "2 delivered" });
    first.close();

    const second = await Device.connect(token);
    expect((await second.take(2)).map((f) => f.seq)).toEqual([3, 4]);
    expect(await second.quiet(200)).toEqual([]);
    second.close();
  });

  it("with since replays exactly the items after it, even acked ones", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await sendMany(userId, 5);
    await inboxHolds(token, 5);
    const first = await Device.connect(token);
    await first.take(5);
    first.send({ type: "ack", seq: 5 });
    first.close();

    const resumed = await Device.connect(token, 3);
    expect((await resumed.take(2)).map((f) => f.seq)).toEqual([4, 5]);
    expect(await resumed.quiet(200)).toEqual([]);
    resumed.close();
  });

  it("marks delivered only on ack, never on send", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId);
    const frame = await device.next("notification");
    // Sent to a connected device and mirrored as `sent`, but not delivered without an ack.
    await waitFor(async () => (await inAppStatus(id)) === "sent", { what: "sent" });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inAppStatus(id)).toBe("sent");

    device.send({ type: "ack", seq: frame.seq });
    await waitFor(async () => (await inAppStatus(id)) === "delivered", { what: "delivered" });
    const view = (await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { deliveredAt: string | null }[] };
    expect(view.deliveries[0]!.deliveredAt).not.toBeNull();
    device.close();
  });

  it("creates one inbox item when the same notification is dispatched twice", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId);
    await inboxHolds(token, 1);
    await env.DISPATCH.send({ kind: "dispatch", ids: [id] });
    await env.DISPATCH.send({ kind: "dispatch", ids: [id] });
    await new Promise((r) => setTimeout(r, 1500));
    const res = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string; seq: number }[] };
    expect(res.items).toEqual([expect.objectContaining({ id, seq: 1 })]);
  });
});
