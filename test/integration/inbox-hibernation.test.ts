/**
 * The inbox survives eviction (docs/protocol.md#hibernation): sockets hibernate with their per-socket state
 * (user, connection id, cursor, acked seq) and the protocol carries on after a wake-up. The object
 * keeps its counters and alarm time in memory, written through to storage: a new instance carries
 * on from what was stored.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

describe("hibernation", () => {
  it("keeps the socket, its cursor and its acks across an eviction", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    const hello = await device.next("hello");
    await sendNotification(userId, { title: "before" });
    const first = await device.next("notification");
    expect(first.seq).toBe(1);

    const stub = env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));
    await evictDurableObject(stub);

    // A frame after the wake-up still finds this socket's state: an ack beyond its cursor is refused…
    device.send({ type: "ack", seq: 5 });
    expect(await device.next("error")).toMatchObject({ code: "invalid_ack" });
    // …and a valid one is accepted, then new items continue the sequence on the same socket.
    device.send({ type: "ack", seq: 1 });
    await sendNotification(userId, { title: "after" });
    expect(await device.next("notification")).toMatchObject({ seq: 2, notification: { title: "after" } });

    await evictDurableObject(stub);
    device.send({ type: "ping" });
    expect(await device.next("pong")).toEqual({ type: "pong" });
    const presence = await stub.presence();
    expect(presence).toMatchObject({ online: true, connections: 1 });
    expect(hello.connectionId).toEqual(expect.any(String));
    device.close();
  });

  it("carries edits, recalls and their acks across evictions between frames", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId, { title: "v1" });
    const other = await sendNotification(userId, { title: "other" });
    await device.take(2);
    const stub = env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));

    await evictDurableObject(stub);
    await api(`/v1/notifications/${id}`, { method: "PATCH", json: { title: "v2" } });
    expect(await device.next("updated")).toMatchObject({ seq: 3, notification: { id, title: "v2" } });
    await evictDurableObject(stub);
    device.send({ type: "ack", seq: 3 });
    await api(`/v1/notifications/${other}`, { method: "DELETE" });
    expect(await device.next("recalled")).toEqual({ type: "recalled", seq: 4, id: other, unreadCount: 1 });
    await evictDurableObject(stub);
    device.send({ type: "ack", seq: 4 });
    await waitFor(async () => {
      const view = (await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { status: string }[] };
      return view.deliveries[0]!.status === "delivered";
    }, { what: "delivered after acks across evictions" });
    device.close();
  });

  it("carries on its sequence, delivered prefix and alarm from storage after an eviction", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    await sendNotification(userId, { title: "one" });
    await sendNotification(userId, { title: "two" });
    const frames = await device.take(2);
    device.send({ type: "ack", seq: frames[1]!.seq });
    const stub = env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));
    await waitFor(async () => (await (await api("/v1/me/notifications", { auth: token })).json() as { items: { deliveredAt: string | null }[] }).items.every((i) => i.deliveredAt !== null), { what: "delivered in the inbox" });
    device.close();
    await evictDurableObject(stub);

    // Without `since`, a new device gets only what no device acked: nothing yet.
    const next = await Device.connect(token);
    expect(await next.next("hello")).toMatchObject({ lastSeq: 2, unreadCount: 2 });
    expect(await next.quiet(200)).toEqual([]);
    await evictDurableObject(stub);
    // The sequence goes on from 2, and an item that expires soon moves the stored alarm forward.
    const id = await sendNotification(userId, { title: "three", ttlSeconds: 60 });
    expect(await next.next("notification")).toMatchObject({ seq: 3, notification: { id, title: "three" } });
    const view = (await (await api(`/v1/notifications/${id}`)).json()) as { expiresAt: string };
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm).toBeLessThanOrEqual(Date.parse(view.expiresAt));
    next.close();
  });
});
