/**
 * Presence (docs/api.md#presence): `GET /v1/users/{userId}/presence` (exact, from the inbox) and
 * `GET /v1/presence` (online users, paginated, mirrored to D1 through the receipts queue),
 * right after disconnects, across hibernation, and after sockets vanish without a close event.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { api, Device, freshId, userToken, waitFor } from "../helpers";

interface OnlinePage {
  items: { userId: string; connections: number; lastSeenAt: string }[];
  nextCursor: string | null;
}

/** Every page of `GET /v1/presence`, following cursors. */
async function onlineUsers(limit = 200): Promise<OnlinePage["items"]> {
  const items: OnlinePage["items"] = [];
  let cursor: string | null = null;
  do {
    const res = await api(`/v1/presence?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    if (res.status !== 200) throw new Error(`presence: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as OnlinePage;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

const isListed = async (userId: string) => (await onlineUsers()).some((u) => u.userId === userId);
const userPresence = async (userId: string) => (await api(`/v1/users/${userId}/presence`)).json();

describe("presence", () => {
  it("lists online users page by page with their connection counts, and drops them on disconnect", async () => {
    const users = [freshId(), freshId(), freshId()];
    const devices = await Promise.all(users.map(async (u) => Device.connect(await userToken(u))));
    const second = await Device.connect(await userToken(users[0]!));
    await waitFor(async () => {
      const online = await onlineUsers(1);
      return users.every((u) => online.some((o) => o.userId === u)) && online.find((o) => o.userId === users[0])?.connections === 2;
    }, { what: "3 users online, the first with 2 connections" });
    const listed = (await onlineUsers(2)).map((u) => u.userId);
    expect(listed).toEqual([...listed].sort());
    expect(new Set(listed).size).toBe(listed.length);

    devices[0]!.close();
    expect(await userPresence(users[0]!)).toMatchObject({ online: true, connections: 1 });
    second.close();
    devices[1]!.close();
    await waitFor(async () => !(await isListed(users[0]!)) && !(await isListed(users[1]!)), { what: "two users offline" });
    expect(await userPresence(users[0]!)).toMatchObject({ online: false, connections: 0, lastSeenAt: expect.any(String) });
    expect(await isListed(users[2]!)).toBe(true);
    devices[2]!.close();
  });

  it("stays online while the inbox hibernates, and goes offline when a device leaves after the wake-up", async () => {
    const userId = freshId();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    await waitFor(() => isListed(userId), { what: "online" });
    await evictDurableObject(inboxOf(env, userId));
    expect(await userPresence(userId)).toMatchObject({ online: true, connections: 1 });
    expect(await isListed(userId)).toBe(true);

    device.close();
    await waitFor(async () => !(await isListed(userId)), { what: "offline after the close woke the inbox" });
    expect(await userPresence(userId)).toMatchObject({ online: false });
  });

  it("corrects itself when the sockets vanish without a close event", async () => {
    const userId = freshId();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    await waitFor(() => isListed(userId), { what: "online" });
    // The object is torn down with its sockets, as a reset does: no close handler runs.
    const inbox = inboxOf(env, userId);
    await evictDurableObject(inbox, { webSockets: "close" });
    await waitFor(() => device.closed, { what: "device disconnected" });
    expect(await userPresence(userId)).toMatchObject({ online: false, connections: 0 });
    expect(await isListed(userId)).toBe(true);

    // The presence refresh alarm (due within 5 minutes) finds no socket and reports it.
    expect(await runDurableObjectAlarm(inbox)).toBe(true);
    await waitFor(async () => !(await isListed(userId)), { what: "offline in the list" });
  });

  it("stops listing a user whose lease ran out without a report", async () => {
    const userId = freshId();
    const now = Date.now();
    await env.DB.prepare(`INSERT INTO presence (user_id, connections, version, last_seen_at, expires_at, updated_at) VALUES (?1, 1, 1, ?2, ?3, ?2)`)
      .bind(userId, now - 3_600_000, now - 1)
      .run();
    expect(await isListed(userId)).toBe(false);
  });

  it("refuses a cursor it did not make", async () => {
    expect((await api("/v1/presence?cursor=nonsense")).status).toBe(400);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await api("/openapi.json", { auth: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/presence"]!)).toEqual(["get"]);
    expect(Object.keys(doc.paths["/v1/users/{userId}/presence"]!)).toEqual(["get"]);
  });
});
