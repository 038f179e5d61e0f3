/**
 * Several devices per user (delivered when any acks, read state synced with the exact unread
 * count), bad frames, ping, and the REST inbox (docs/protocol.md).
 */
import { describe, expect, it } from "vitest";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

describe("multi-device inbox", () => {
  it("delivers to every device and syncs read state with the exact unread count", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const phone = await Device.connect(token);
    const laptop = await Device.connect(token);
    await phone.next("hello");
    await laptop.next("hello");

    const a = await sendNotification(userId, { title: "a" });
    const b = await sendNotification(userId, { title: "b" });
    expect((await phone.take(2)).map((f) => (f.notification as { id: string }).id)).toEqual([a, b]);
    expect((await laptop.take(2)).map((f) => (f.notification as { id: string }).id)).toEqual([a, b]);

    phone.send({ type: "read", ids: [a] });
    expect(await laptop.next("read")).toEqual({ type: "read", ids: [a], unreadCount: 1 });
    expect(await phone.next("read")).toEqual({ type: "read", ids: [a], unreadCount: 1 });

    // REST read on the same inbox reaches both sockets too.
    const res = await api(`/v1/me/notifications/${b}/read`, { method: "POST", auth: token });
    expect(await res.json()).toEqual({ ids: [b], unreadCount: 0 });
    expect(await laptop.next("read")).toEqual({ type: "read", ids: [b], unreadCount: 0 });
    phone.close();
    laptop.close();
  });

  it("marks items delivered when any one device acks, without holding back the others", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const phone = await Device.connect(token);
    const laptop = await Device.connect(token);
    await phone.next("hello");
    await laptop.next("hello");
    const ids = [await sendNotification(userId), await sendNotification(userId)];
    const frames = await phone.take(2);
    expect((await laptop.take(2)).map((f) => f.seq)).toEqual([1, 2]);

    phone.send({ type: "ack", seq: frames[1]!.seq });
    await waitFor(async () => {
      const statuses = await Promise.all(ids.map(async (id) => ((await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { status: string }[] }).deliveries[0]!.status));
      return statuses.every((s) => s === "delivered");
    }, { what: "both delivered" });
    // The laptop never acked, yet a new device without `since` starts after what any device acked.
    laptop.close();
    const tablet = await Device.connect(token);
    await tablet.next("hello");
    expect(await tablet.quiet(200)).toEqual([]);
    const third = await sendNotification(userId, { title: "third" });
    expect(await tablet.next("notification")).toMatchObject({ seq: 3, notification: { id: third } });
    phone.close();
    tablet.close();
  });

  it("answers bad frames with an error frame, keeps the socket and changes nothing", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await sendNotification(userId);
    const device = await Device.connect(token);
    const frame = await device.next("notification");

    for (const bad of ["not json", '{"type":"ack"}', '{"type":"ack","seq":-1}', '{"type":"read","ids":[]}', '{"type":"nope"}', "[1,2]"]) {
      device.send(bad);
      const error = await device.next("error");
      expect(error).toMatchObject({ type: "error", code: expect.stringMatching(/^(invalid_frame|malformed_json)$/), detail: expect.any(String) });
    }
    // An ack beyond what this connection was sent is refused and marks nothing delivered.
    device.send({ type: "ack", seq: (frame.seq as number) + 10 });
    expect(await device.next("error")).toMatchObject({ code: "invalid_ack" });
    const list = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { deliveredAt: string | null; readAt: string | null }[]; unreadCount: number };
    expect(list.items[0]).toMatchObject({ deliveredAt: null, readAt: null });
    expect(list.unreadCount).toBe(1);

    device.send({ type: "ping" });
    expect(await device.next("pong")).toEqual({ type: "pong" });
    device.close();
  });
});

describe("REST inbox", () => {
  it("lists newest first with unread filter, cursor and exact unread count", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await sendNotification(userId, { title: `t${i}` }));
    await waitFor(async () => ((await (await api("/v1/me/notifications/unread-count", { auth: token })).json()) as { unreadCount: number }).unreadCount === 5, { what: "5 unread" });

    await api(`/v1/me/notifications/${ids[1]}/read`, { method: "POST", auth: token });
    const page1 = (await (await api("/v1/me/notifications?unread=true&limit=2", { auth: token })).json()) as { items: { id: string; seq: number }[]; nextCursor: string | null; unreadCount: number };
    expect(page1.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(page1.unreadCount).toBe(4);
    const page2 = (await (await api(`/v1/me/notifications?unread=true&limit=2&cursor=${page1.nextCursor}`, { auth: token })).json()) as typeof page1;
    expect(page2.items.map((i) => i.id)).toEqual([ids[2], ids[0]]);
    expect(page2.nextCursor).toBeNull();
  });

  it("read-all up to a seq leaves later arrivals unread", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    for (let i = 0; i < 3; i++) await sendNotification(userId);
    await waitFor(async () => ((await (await api("/v1/me/notifications/unread-count", { auth: token })).json()) as { unreadCount: number }).unreadCount === 3);
    const late = await sendNotification(userId, { title: "late" });
    await waitFor(async () => ((await (await api("/v1/me/notifications/unread-count", { auth: token })).json()) as { unreadCount: number }).unreadCount === 4);

    const res = await api("/v1/me/notifications/read-all", { method: "POST", auth: token, json: { upToSeq: 3 } });
    expect(((await res.json()) as { unreadCount: number }).unreadCount).toBe(1);
    const unread = (await (await api("/v1/me/notifications?unread=true", { auth: token })).json()) as { items: { id: string }[] };
    expect(unread.items.map((i) => i.id)).toEqual([late]);
  });

  it("mirrors read into D1 and answers 404 for an id not in the inbox", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId);
    await waitFor(async () => ((await (await api("/v1/me/notifications/unread-count", { auth: token })).json()) as { unreadCount: number }).unreadCount === 1);
    expect((await api(`/v1/me/notifications/${id}/read`, { method: "POST", auth: token })).status).toBe(200);
    await waitFor(async () => {
      const view = (await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { status: string; readAt: string | null }[] };
      return view.deliveries[0]!.status === "read" && view.deliveries[0]!.readAt !== null;
    }, { what: "read mirrored" });
    expect((await api("/v1/me/notifications/01ARZ3NDEKTSV4RRFFQ69G5FAV/read", { method: "POST", auth: token })).status).toBe(404);
  });

  it("reports presence while connected", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    expect(await (await api(`/v1/users/${userId}/presence`)).json()).toMatchObject({ online: false, connections: 0 });
    const device = await Device.connect(token);
    await device.next("hello");
    expect(await (await api(`/v1/users/${userId}/presence`)).json()).toMatchObject({ online: true, connections: 1 });
    device.close();
  });
});
