/**
 * What a device is sent (docs/protocol.md#server-frames, docs/api.md#conventions): the inbox writes each frame's
 * notification in SQL, and it must be the notification exactly as the REST views show it —
 * ISO-8601 UTC times with milliseconds, `data` as the JSON object that was sent (nesting, unicode,
 * numbers), nulls kept — live, on replay, after an edit, and in the REST inbox.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

const data = { text: "héllo \u2603 \"quoted\" \\ back\nslash \u0001", nested: { list: [1, 2.5, -3e-7, true, null], empty: {} }, big: 2 ** 53 - 1 };

/** The notification as `GET /v1/notifications/{id}` shows it, in the fields a device sees. */
async function restView(id: string) {
  const view = (await (await api(`/v1/notifications/${id}`)).json()) as Record<string, unknown>;
  return { id, title: view.title, body: view.body, data: view.data, priority: view.priority, createdAt: view.createdAt, expiresAt: view.expiresAt, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, category: "general", tags: [], actions: [] };
}

describe("frame content", () => {
  it("sends the notification as the REST views show it, live, on replay and in the REST inbox", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId, { title: "Ünïcode ✓", data, ttlSeconds: 3600, priority: "high" });
    const live = await device.next("notification");
    const expected = await restView(id);
    expect(expected.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(live.notification).toEqual(expected);
    expect(live.notification).toMatchObject({ data, priority: "high" });
    device.close();

    const replay = await Device.connect(token, 0);
    expect((await replay.next("notification")).notification).toEqual(expected);
    replay.close();
    const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: Record<string, unknown>[] };
    expect(page.items).toEqual([{ ...expected, seq: 1, deliveredAt: null }]);

    // Read: the replayed frame carries the time D1 is told (one clock: the inbox's).
    expect((await api(`/v1/me/notifications/${id}/read`, { method: "POST", auth: token })).status).toBe(200);
    const readAt = await waitFor(async () => {
      const view = (await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { channel: string; readAt: string | null }[] };
      return view.deliveries.find((d) => d.channel === "in_app")?.readAt ?? undefined;
    }, { what: "read in D1" });
    const again = await Device.connect(token, 0);
    expect((await again.next("notification")).notification).toEqual({ ...expected, readAt });
    again.close();
  });

  it("keeps null title, body and data null, and sends an edit in the same shape", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const createdAt = Date.UTC(2026, 0, 2, 3, 4, 5, 7);
    const [held] = await inboxOf(env, userId).deliver(userId, [{ id: freshId("n"), title: null, body: null, data: null, priority: "low", createdAt, expiresAt: null }]);
    expect((await device.next("notification")).notification).toEqual({
      id: held!.id,
      title: null,
      body: null,
      data: null,
      priority: "low",
      createdAt: "2026-01-02T03:04:05.007Z",
      expiresAt: null,
      readAt: null,
      seenAt: null,
      archivedAt: null,
      snoozedUntil: null,
      category: "general",
      tags: [],
      actions: [],
    });

    await inboxOf(env, userId).edit(held!.id, { title: "now titled", body: null, data: { n: 1 }, version: 1 });
    expect(await device.next("updated")).toEqual({
      type: "updated",
      seq: 2,
      notification: { id: held!.id, title: "now titled", body: null, data: { n: 1 }, priority: "low", createdAt: "2026-01-02T03:04:05.007Z", expiresAt: null, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, category: "general", tags: [], actions: [] },
    });
    device.close();
  });
});
