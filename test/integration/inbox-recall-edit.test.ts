/**
 * Recall and edit (docs/api.md#recall-and-edit `DELETE`/`PATCH /v1/notifications/{id}`, docs/protocol.md `recalled`/`updated`
 * frames): devices that hold an item are told, a device that comes later never sees the old
 * version, D1 ends `recalled`, and a change racing a dispatch still wins.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { RECALL_SETTLED_AFTER_MS, sweepRecalls } from "../../src/sweepers";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";
import { runDispatchBatch } from "../inbox-helpers";

/** The in-app delivery row in D1, as the receipts consumer left it. */
async function d1Delivery(id: string) {
  return env.DB.prepare(`SELECT in_app_status AS status, in_app_delivered_at AS deliveredAt FROM notifications WHERE id = ?1`)
    .bind(id)
    .first<{ status: string; deliveredAt: number | null }>();
}

async function inboxList(token: string) {
  return (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string; title: string; data: unknown }[]; unreadCount: number };
}

describe("recall", () => {
  it("tells connected devices with the unread count, empties the inbox and ends recalled in D1", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const keep = await sendNotification(userId, { title: "keep" });
    const gone = await sendNotification(userId, { title: "gone" });
    const [, sent] = await device.take(2);
    device.send({ type: "ack", seq: sent!.seq });

    const res = await api(`/v1/notifications/${gone}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { recalledAt: string | null; deliveries: { channel: string; status: string }[] };
    expect(body.recalledAt).not.toBeNull();
    expect(body.deliveries).toEqual([expect.objectContaining({ channel: "in_app", status: "recalled" })]);

    const frame = await device.next("recalled");
    expect(frame).toEqual({ type: "recalled", seq: 3, id: gone, unreadCount: 1 });
    expect((await inboxList(token)).items.map((i) => i.id)).toEqual([keep]);
    // The mirror: the receipt reaches D1 through the receipts queue, over the earlier `delivered`.
    await waitFor(async () => (await d1Delivery(gone))?.status === "recalled", { what: "recalled in D1" });
    expect((await d1Delivery(keep))?.status).toBe("delivered");

    // Idempotent: a second recall answers the same and sends nothing more.
    expect((await api(`/v1/notifications/${gone}`, { method: "DELETE" })).status).toBe(200);
    expect(await device.quiet(200, "recalled")).toEqual([]);
    device.close();
  });

  it("reaches a device that held the item while offline, and one connecting later never sees it", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const phone = await Device.connect(token);
    await phone.next("hello");
    const id = await sendNotification(userId, { title: "oops" });
    const held = await phone.next("notification");
    phone.close();

    await api(`/v1/notifications/${id}`, { method: "DELETE" });
    const resumed = await Device.connect(token, held.seq);
    expect(await resumed.next("recalled")).toMatchObject({ id, seq: 2, unreadCount: 0 });
    resumed.close();

    const fresh = await Device.connect(token, 0);
    expect(await fresh.next("hello")).toMatchObject({ lastSeq: 2, unreadCount: 0 });
    expect(await fresh.quiet(300, "notification")).toEqual([]);
    fresh.close();
  });

  it("ends a notification not dispatched yet recalled, and it is never delivered", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId, { delaySeconds: 3600 });
    expect((await api(`/v1/notifications/${id}`, { method: "DELETE" })).status).toBe(200);

    // Its dispatch comes due (or is swept): the consumer drops it for good.
    expect((await runDispatchBatch([[id]])).explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare(`SELECT dispatched_at FROM notifications WHERE id = ?1`).bind(id).first<{ dispatched_at: number | null }>();
    expect(row?.dispatched_at).not.toBeNull();
    await waitFor(async () => (await d1Delivery(id))?.status === "recalled", { what: "recalled in D1" });
    expect((await inboxList(token)).items).toEqual([]);
  });

  it("wins over a dispatch that read the notification just before the recall", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId, { delaySeconds: 3600 });
    const stale = { id, title: "stale", body: null, data: null, priority: "normal" as const, createdAt: Date.now(), expiresAt: null };
    await api(`/v1/notifications/${id}`, { method: "DELETE" });
    // The racing consumer's RPC lands after the recall: the inbox refuses it.
    expect(await inboxOf(env, userId).deliver(userId, [stale])).toEqual([]);
    const device = await Device.connect(token);
    expect(await device.next("hello")).toMatchObject({ lastSeq: 0 });
    expect(await device.quiet(200)).toEqual([]);
    device.close();
  });

  it("is repeated by the sweeper when the inbox call did not get through", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId);
    await waitFor(async () => (await inboxList(token)).items.length === 1, { what: "delivered to the inbox" });
    // As if DELETE committed to D1 and then failed to reach the inbox a while ago.
    await env.DB.prepare(`UPDATE notifications SET recalled_at = ?2 WHERE id = ?1`).bind(id, Date.now() - RECALL_SETTLED_AFTER_MS - 1000).run();

    expect(await sweepRecalls(env)).toBeGreaterThanOrEqual(1);
    expect((await inboxList(token)).items).toEqual([]);
    await waitFor(async () => (await d1Delivery(id))?.status === "recalled", { what: "recalled in D1" });
  });

  it("answers 404 for an unknown id", async () => {
    expect((await api(`/v1/notifications/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("edit", () => {
  it("sends an updated frame to devices that hold it and only the new version to later ones", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId, { title: "v1", data: { n: 1 } });
    const first = await device.next("notification");
    device.send({ type: "ack", seq: first.seq });

    const res = await api(`/v1/notifications/${id}`, { method: "PATCH", json: { title: "v2", data: { n: 2 } } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, title: "v2", body: "World", data: { n: 2 } });
    expect(await device.next("updated")).toMatchObject({ seq: 2, notification: { id, title: "v2", body: "World", data: { n: 2 }, readAt: null } });
    device.close();

    // Resuming after the edit's seq: nothing; resuming before it: the edit; from scratch: only v2.
    const upToDate = await Device.connect(token, 2);
    expect(await upToDate.quiet(200, "updated")).toEqual([]);
    upToDate.close();
    const behind = await Device.connect(token, 1);
    expect(await behind.next("updated")).toMatchObject({ seq: 2, notification: { title: "v2" } });
    behind.close();
    const fresh = await Device.connect(token, 0);
    expect(await fresh.next("notification")).toMatchObject({ seq: 1, notification: { id, title: "v2", data: { n: 2 } } });
    expect(await fresh.quiet(200, "updated")).toEqual([]);
    fresh.close();
    expect((await inboxList(token)).items).toEqual([expect.objectContaining({ id, title: "v2", data: { n: 2 } })]);
  });

  it("applies an edit that reached the inbox before its notification", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId, { title: "old", delaySeconds: 3600 });
    const stale = { id, title: "old", body: "World", data: null, priority: "normal" as const, createdAt: Date.now(), expiresAt: null, version: 0 };
    expect((await api(`/v1/notifications/${id}`, { method: "PATCH", json: { title: "new" } })).status).toBe(200);
    // A dispatch that read the row before the edit delivers the old content after it.
    await inboxOf(env, userId).deliver(userId, [stale]);
    const device = await Device.connect(token);
    expect(await device.next("notification")).toMatchObject({ notification: { id, title: "new", body: "World" } });
    device.close();
  });

  it("keeps the newest of edits that arrive out of order", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId, { title: "v0" });
    await waitFor(async () => (await inboxList(token)).items.length === 1, { what: "delivered" });
    const inbox = inboxOf(env, userId);
    expect(await inbox.edit(id, { title: "v2", body: null, data: null, version: 2 })).toEqual({ updated: true });
    expect(await inbox.edit(id, { title: "v1", body: null, data: null, version: 1 })).toEqual({ updated: false });
    expect((await inboxList(token)).items[0]).toMatchObject({ title: "v2" });
  });

  it("validates the patch and refuses unknown and recalled notifications", async () => {
    const userId = freshId();
    const id = await sendNotification(userId);
    const patch = (json: unknown, target = id) => api(`/v1/notifications/${target}`, { method: "PATCH", json });
    expect((await patch({})).status).toBe(400);
    expect((await patch({ title: "" })).status).toBe(400);
    expect((await patch({ titel: "typo" })).status).toBe(400);
    expect((await patch({ data: { blob: "x".repeat(17 * 1024) } })).status).toBe(413);
    expect((await patch({ title: "x" }, "01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    await api(`/v1/notifications/${id}`, { method: "DELETE" });
    const res = await patch({ title: "too late" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "conflict" });
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await api("/openapi.json", { auth: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/notifications/{id}"]!)).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
  });
});
