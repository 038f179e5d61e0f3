/**
 * HeraldClient (packages/client) against the real Worker and UserInbox (docs/protocol.md#the-client-library): frames in seq
 * order, cumulative batched acks that mark items delivered, resume with `since` after a drop
 * with no duplicates, close-code handling, read state synced with the unread count, a page view
 * (`items`, `change`) that applies edits and recalls — live and on resume — and a device window.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ServerFrame } from "../../packages/client/src/index";
import { inboxOf } from "../../src/inbox/user-inbox";
import { harness, type Harness, type NotificationFrame } from "../client-harness";
import { api, freshId, sendNotification, userToken, waitFor } from "../helpers";

const seqs = (frames: NotificationFrame[]) => frames.map((f) => f.seq);
const acks = (h: Harness) => h.sent.filter((f) => f.type === "ack").map((f) => f.seq);
/** docs/protocol.md#sequence-numbers promises strictly increasing seqs per user, not contiguous ones. */
const expectIncreasing = (values: number[]) => values.forEach((v, i) => i > 0 && expect(v).toBeGreaterThan(values[i - 1]!));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inAppStatus(id: string): Promise<string | undefined> {
  const res = await api(`/v1/notifications/${id}`);
  if (res.status !== 200) throw new Error(`GET /v1/notifications/${id} → ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { deliveries: { channel: string; status: string }[] };
  return body.deliveries.find((d) => d.channel === "in_app")?.status;
}

/** Sends `n` notifications one after another (so their seqs follow the returned order). */
async function sendMany(userId: string, n: number, prefix = "n"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await sendNotification(userId, { title: `${prefix}${i}` }));
  return ids;
}

/** Waits until the user's inbox holds `n` items, i.e. dispatch reached the UserInbox. */
async function inboxHolds(token: string, n: number): Promise<void> {
  await waitFor(async () => {
    const res = await api("/v1/me/notifications?limit=200", { auth: token });
    return ((await res.json()) as { items: unknown[] }).items.length >= n;
  }, { what: `${n} items in the inbox` });
}

/** Closes every socket of the user from the server side, with `code`. */
async function closeFromServer(userId: string, code: number, reason: string): Promise<void> {
  const stub = env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));
  await runInDurableObject(stub, (_instance, state) => {
    for (const ws of state.getWebSockets()) ws.close(code, reason);
  });
}

describe("HeraldClient", () => {
  it("emits notifications in seq order and acks them cumulatively, which marks them delivered", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const offline = await sendMany(userId, 3, "offline");
    await inboxHolds(token, 3);

    const h = harness(token, { ackDelayMs: 50 });
    const hello = new Promise<ServerFrame>((resolve) => h.client.on("hello", resolve));
    h.client.connect();
    expect(await hello).toMatchObject({ type: "hello", userId, lastSeq: 3, unreadCount: 3 });
    await waitFor(() => h.received.length === 3, { what: "3 replayed notifications" });
    // The replay arrives as one burst: one cumulative ack covers it.
    await waitFor(() => acks(h).length === 1, { what: "one ack" });
    expect(acks(h)).toEqual([3]);

    const live = await sendMany(userId, 2, "live");
    await waitFor(() => h.received.length === 5, { what: "2 live notifications" });
    expect(seqs(h.received)).toEqual([1, 2, 3, 4, 5]);
    expect(h.received.map((f) => f.notification.id)).toEqual([...offline, ...live]);
    expect(h.received[3]!.notification).toMatchObject({ title: "live0", body: "World", readAt: null });
    expect(h.client.lastSeq).toBe(5);
    expect(h.client.unreadCount).toBe(5);
    expect(h.client.state).toBe("open");

    await waitFor(() => acks(h).at(-1) === 5, { what: "ack of seq 5" });
    for (const id of [...offline, ...live]) {
      await waitFor(async () => (await inAppStatus(id)) === "delivered", { what: `${id} delivered` });
    }
    h.client.close();
    expect(h.states).toEqual(["connecting", "open", "closed"]);
  });

  it("acks at once when half the window (500 frames) is unacked, and flushes the rest on close()", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    // Straight into the inbox (as the dispatcher hands them over): 600 requests would only slow the test.
    const now = Date.now();
    await inboxOf(env, userId).deliver(
      userId,
      Array.from({ length: 600 }, (_, i) => ({ id: `${freshId("n")}_${i}`, title: `t${i}`, body: null, data: null, priority: "normal" as const, createdAt: now, expiresAt: null })),
    );

    // A delay no test waits out: every ack seen here was forced by the count or by close().
    const h = harness(token, { ackDelayMs: 60_000 });
    h.client.connect();
    await waitFor(() => h.received.length === 600, { what: "600 notifications" });
    expectIncreasing(seqs(h.received));
    expect(new Set(h.received.map((f) => f.notification.id)).size).toBe(600);
    expect(acks(h)).toEqual([h.received[499]!.seq]);
    h.client.close();
    expect(acks(h)).toEqual([h.received[499]!.seq, h.received[599]!.seq]);
  });

  it("resumes with since after a drop and gets exactly what it missed", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const h = harness(token);
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    await sendMany(userId, 2, "before");
    await waitFor(() => acks(h).at(-1) === 2, { what: "ack of seq 2" });

    // Drop the connection and keep the client offline while two more arrive.
    h.hold();
    h.sockets[0]!.close(1001, "network gone");
    await waitFor(() => h.client.state === "reconnecting", { what: "reconnecting" });
    const missed = await sendMany(userId, 2, "missed");
    await inboxHolds(token, 4);
    h.release();

    await waitFor(() => h.received.length === 4, { what: "2 missed notifications" });
    expect(h.urls.map((u) => u.searchParams.get("since"))).toEqual([null, "2"]);
    expect(seqs(h.received)).toEqual([1, 2, 3, 4]);
    expect(h.received.slice(2).map((f) => f.notification.id)).toEqual(missed);
    await sleep(200);
    expect(h.received).toHaveLength(4);
    h.client.close();
  });

  it("marks delivered what it received just before a drop, once it resumes", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    // The ack timer never fires on the first socket: the drop comes first.
    const h = harness(token, { ackDelayMs: 60_000 });
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    const id = await sendNotification(userId);
    await waitFor(() => h.received.length === 1, { what: "the notification" });
    h.sockets[0]!.close(1001, "network gone");
    await waitFor(() => h.sockets.length === 2 && h.client.state === "open", { what: "reconnected" });

    // The client re-acks on the new connection what it holds; the server must count that ack.
    await waitFor(() => h.sent.some((f) => f.type === "ack" && f.seq === 1), { what: "ack of seq 1 on the new socket" });
    await waitFor(async () => (await inAppStatus(id)) === "delivered", { what: `${id} delivered` });
    h.client.close();
  });

  it("drops frames it already holds when the server replays them", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await sendMany(userId, 3);
    await inboxHolds(token, 3);
    // Never ack and never send `since`: every connection replays seqs 1..3 from the start.
    const h = harness(token, { ackDelayMs: 60_000, rewrite: (url) => url.searchParams.delete("since") });
    h.client.connect();
    await waitFor(() => h.received.length === 3, { what: "3 notifications" });
    h.hold();
    h.sockets[0]!.close(1001, "network gone");
    await waitFor(() => h.client.state === "reconnecting", { what: "reconnecting" });
    await sendNotification(userId, { title: "new" });
    await inboxHolds(token, 4);
    h.release();

    await waitFor(() => h.received.length === 4, { what: "the new notification" });
    await sleep(200);
    expect(seqs(h.received)).toEqual([1, 2, 3, 4]);
    h.client.close();
  });

  it("reconnects when the server closes the socket, and stops after close()", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const h = harness(token);
    let hellos = 0;
    h.client.on("hello", () => hellos++);
    h.client.connect();
    await waitFor(() => hellos === 1, { what: "first hello" });

    await closeFromServer(userId, 1012, "restarting");
    await waitFor(() => hellos === 2, { what: "hello after reconnect" });
    expect(h.states).toEqual(["connecting", "open", "reconnecting", "open"]);

    h.client.close();
    await sleep(200);
    expect(h.sockets).toHaveLength(2);
    expect(h.client.state).toBe("closed");
  });

  it("on 4001 gives up with a static token but fetches a new one from a token function", async () => {
    const userId = freshId();
    const token = await userToken(userId);

    const fixed = harness(token);
    fixed.client.connect();
    await waitFor(() => fixed.client.state === "open", { what: "open" });
    await closeFromServer(userId, 4001, "token expired");
    await waitFor(() => fixed.client.state === "closed", { what: "closed" });
    await sleep(200);
    expect(fixed.sockets).toHaveLength(1);

    let minted = 0;
    const refreshing = harness(() => {
      minted++;
      return userToken(userId);
    });
    refreshing.client.connect();
    await waitFor(() => refreshing.client.state === "open", { what: "open" });
    await closeFromServer(userId, 4001, "token expired");
    await waitFor(() => refreshing.sockets.length === 2 && refreshing.client.state === "open", { what: "reconnected" });
    expect(minted).toBe(2);
    refreshing.client.close();
  });

  it("keeps a view a page can render: edits replace, recalls remove with the exact unread count, reads sync", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const h = harness(token);
    const changes: string[] = [];
    h.client.on("change", ({ cause }) => changes.push(cause));
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    const [a, b, c] = await sendMany(userId, 3);
    await waitFor(() => h.client.items.length === 3, { what: "3 items" });
    expect(h.client.items.map((i) => i.id)).toEqual([c, b, a]);

    await api(`/v1/notifications/${b}`, { method: "PATCH", json: { title: "edited" } });
    await waitFor(() => h.client.items.find((i) => i.id === b)?.title === "edited", { what: "the edit" });
    expect(h.client.items.map((i) => [i.id, i.seq])).toEqual([[c, 3], [b, 2], [a, 1]]);
    await api(`/v1/notifications/${a}`, { method: "DELETE" });
    await waitFor(() => h.client.items.length === 2, { what: "the recall" });
    expect(h.client.unreadCount).toBe(2);
    h.client.markRead([c!]);
    await waitFor(() => h.client.unreadCount === 1, { what: "the read" });
    expect(h.client.items.find((i) => i.id === c)?.readAt).toEqual(expect.any(String));
    // The read is also a feed state change (docs/protocol.md#feed-state): an event of its own seq, 6.
    await waitFor(() => changes.includes("state"), { what: "the read's state event" });
    expect(changes).toEqual(["hello", "notification", "notification", "notification", "updated", "recalled", "read", "state"]);
    // Edits, recalls and state changes are events of the sequence: acked like notifications.
    await waitFor(() => acks(h).at(-1) === 6, { what: "ack of seq 6" });
    h.client.close();
  });

  it("applies the edits and recalls made while it was offline when it resumes", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const h = harness(token);
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    const [kept, gone] = await sendMany(userId, 2);
    await waitFor(() => acks(h).at(-1) === 2, { what: "ack of seq 2" });

    h.hold();
    h.sockets[0]!.close(1001, "network gone");
    await waitFor(() => h.client.state === "reconnecting", { what: "reconnecting" });
    await api(`/v1/notifications/${kept}`, { method: "PATCH", json: { body: "changed while away" } });
    await api(`/v1/notifications/${gone}`, { method: "DELETE" });
    const fresh = await sendNotification(userId, { title: "new" });
    await inboxHolds(token, 2);
    h.release();

    await waitFor(() => h.client.items.length === 2 && h.client.items[1]!.body === "changed while away", { what: "the offline changes" });
    expect(h.urls.map((u) => u.searchParams.get("since"))).toEqual([null, "2"]);
    expect(h.client.items.map((i) => i.id)).toEqual([fresh, kept]);
    expect(h.client.unreadCount).toBe(2);
    h.client.close();
  });

  it("asks for a smaller window and acks within it, so a replay never stalls", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await sendMany(userId, 10);
    await inboxHolds(token, 10);
    // Only count-based acks (every half window) can move this replay along.
    const h = harness(token, { window: 4, ackDelayMs: 60_000 });
    h.client.connect();
    await waitFor(() => h.received.length === 10, { what: "10 notifications" });
    expect(h.urls[0]!.searchParams.get("window")).toBe("4");
    expect(acks(h)).toEqual([2, 4, 6, 8, 10]);
    h.client.close();
  });

  it("markRead syncs read state to every device with the unread count", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const ids = await sendMany(userId, 3);
    await inboxHolds(token, 3);
    const phone = harness(token);
    const laptop = harness(token);
    const reads: ServerFrame[] = [];
    laptop.client.on("read", (frame) => reads.push(frame));
    phone.client.connect();
    laptop.client.connect();
    await waitFor(() => phone.received.length === 3 && laptop.received.length === 3, { what: "3 notifications on each device" });
    expect(phone.client.unreadCount).toBe(3);

    const readOnPhone = new Promise<ServerFrame>((resolve) => phone.client.on("read", resolve));
    expect(phone.client.markRead([ids[0]!, ids[2]!])).toBe(true);
    expect(await readOnPhone).toEqual({ type: "read", ids: expect.arrayContaining([ids[0], ids[2]]), unreadCount: 1 });
    await waitFor(() => reads.length === 1, { what: "read on the other device" });
    expect(reads[0]).toMatchObject({ unreadCount: 1 });
    expect(phone.client.unreadCount).toBe(1);
    expect(laptop.client.unreadCount).toBe(1);

    phone.client.close();
    laptop.client.close();
    expect(phone.client.markRead([ids[1]!])).toBe(false);
  });
});
