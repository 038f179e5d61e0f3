/**
 * HeraldClient (src/client) against the real Worker and UserInbox (SPEC §6, §10): frames in seq
 * order, cumulative batched acks that mark items delivered, resume with `since` after a drop
 * with no duplicates, close-code handling, and read state synced with the unread count.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HeraldClient, type ConnectionState, type HeraldClientOptions, type ServerFrame } from "../../src/client/index";
import { api, BASE, freshId, sendNotification, userToken, waitFor } from "../helpers";

type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;

/** A client wired to the Worker through `fetch` upgrades, with logs of what it did. */
interface Harness {
  client: HeraldClient;
  /** `notification` events, in the order the client emitted them. */
  received: NotificationFrame[];
  /** Frames the client sent, parsed. */
  sent: { type: string; seq?: number; ids?: string[] }[];
  /** The URL of every connection attempt. */
  urls: URL[];
  /** Every socket the client got, in order. */
  sockets: WebSocket[];
  states: ConnectionState[];
  /** While held, connection attempts wait (to send notifications while the client is offline). */
  hold(): void;
  release(): void;
}

/**
 * Builds a client whose `open` upgrades through `exports.default.fetch` (workerd has no
 * outbound WebSocket to itself). A refused upgrade fails the attempt with the response.
 */
function harness(token: HeraldClientOptions["token"], options: Partial<HeraldClientOptions> & { rewrite?: (url: URL) => void } = {}): Harness {
  const { rewrite, ...clientOptions } = options;
  let gate: { promise: Promise<void>; release: () => void } | null = null;
  const h: Harness = {
    client: undefined as unknown as HeraldClient,
    received: [],
    sent: [],
    urls: [],
    sockets: [],
    states: [],
    hold() {
      const { promise, resolve } = Promise.withResolvers<void>();
      gate = { promise, release: resolve };
    },
    release() {
      gate?.release();
      gate = null;
    },
  };
  h.client = new HeraldClient({
    baseUrl: BASE,
    token,
    backoff: { initialMs: 10, maxMs: 50 },
    ...clientOptions,
    open: async (url) => {
      await gate?.promise;
      const target = new URL(url);
      rewrite?.(target);
      h.urls.push(target);
      const res = await exports.default.fetch(target.toString().replace(/^ws/, "http"), { headers: { upgrade: "websocket" } });
      if (res.status !== 101 || !res.webSocket) throw new Error(`GET ${target.pathname}${target.search} → ${res.status} ${await res.text()}`);
      const ws = res.webSocket;
      ws.accept();
      const send = ws.send.bind(ws);
      ws.send = (data) => {
        h.sent.push(JSON.parse(String(data)));
        send(data);
      };
      h.sockets.push(ws);
      return ws;
    },
  });
  h.client.on("notification", (frame) => h.received.push(frame));
  h.client.on("state", (state) => h.states.push(state));
  return h;
}

const seqs = (frames: NotificationFrame[]) => frames.map((f) => f.seq);
const acks = (h: Harness) => h.sent.filter((f) => f.type === "ack").map((f) => f.seq);
/** SPEC §6 promises strictly increasing seqs per user, not contiguous ones. */
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

  it("acks at once when 100 frames are unacked, and flushes the rest on close()", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: 30 }, () => sendNotification(userId)));
    await inboxHolds(token, 150);

    // A delay no test waits out: every ack seen here was forced by the count or by close().
    const h = harness(token, { ackDelayMs: 60_000 });
    h.client.connect();
    await waitFor(() => h.received.length === 150, { what: "150 notifications" });
    expectIncreasing(seqs(h.received));
    expect(new Set(h.received.map((f) => f.notification.id)).size).toBe(150);
    expect(acks(h)).toEqual([h.received[99]!.seq]);
    h.client.close();
    expect(acks(h)).toEqual([h.received[99]!.seq, h.received[149]!.seq]);
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
