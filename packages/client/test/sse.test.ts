/**
 * The Server-Sent Events transport against a real Herald (README.md#transports): a client that
 * cannot open a WebSocket (its sockets dial a closed port, as behind a proxy that refuses
 * upgrades) switches to `GET /v1/me/stream` by itself, receives in seq order, acks over REST so
 * items become delivered, and resumes after a drop with nothing missed and nothing twice.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { FeedStore, HeraldClient, type ServerFrame } from "../src/index.ts";

const base = () => inject("heraldBase");
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

async function devToken(userId: string): Promise<string> {
  const res = await fetch(`${base()}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  return ((await res.json()) as { token: string }).token;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${inject("heraldApiKey")}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const send = async (userId: string, title: string, extra: Record<string, unknown> = {}) => (await api<{ id: string }>("POST", "/v1/notifications", { userId, title, ...extra })).id;

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A port nothing listens on: a WebSocket dialled there never opens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the SSE transport", () => {
  it("takes over after WebSocket dials that never reach the inbox, delivers in order, acks over REST and syncs feed state", async () => {
    const userId = `pkg-sse-${crypto.randomUUID().slice(0, 8)}`;
    const dead = await closedPort();
    const dials: string[] = [];
    class BlockedWebSocket extends WebSocket {
      constructor(url: string) {
        dials.push(url);
        const blocked = new URL(url);
        blocked.port = String(dead);
        super(blocked);
      }
    }
    const client = new HeraldClient({ baseUrl: base(), token: await devToken(userId), since: 0, WebSocket: BlockedWebSocket, fallbackAfter: 2, backoff: { initialMs: 10, maxMs: 50 } });
    const store = new FeedStore(client);
    cleanup.push(() => store.dispose(), () => client.close());
    const seqs: number[] = [];
    client.on("notification", (frame) => seqs.push(frame.seq));
    const transports: string[] = [];
    client.on("transport", (t) => transports.push(t));
    client.connect();
    await until("the stream to open", () => client.state === "open");
    expect(client.transport).toBe("sse");
    expect(transports).toEqual(["sse"]);
    expect(dials).toHaveLength(2);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await send(userId, `Over SSE ${i}`, { tags: i % 2 ? ["billing"] : ["social"] }));
    await until("five notifications", () => seqs.length === 5);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(5);
    // Acked over REST: the server marks them delivered.
    const inAppStatus = async (id: string) => (await api<{ deliveries: { channel: string; status: string }[] }>("GET", `/v1/notifications/${id}`)).deliveries.find((d) => d.channel === "in_app")?.status;
    await until("delivered", async () => (await inAppStatus(ids[4]!)) === "delivered");

    // A feed action over REST comes back on the stream as a state frame.
    const states: ServerFrame[] = [];
    client.on("feedState", (frame) => states.push(frame));
    expect(await store.archive([ids[0]!])).toBe(true);
    await until("the state frame", () => states.length === 1);
    expect(states[0]).toMatchObject({ type: "state", id: ids[0], archivedAt: expect.any(String) });
    expect(store.getSnapshot().items.map((n) => n.id)).toEqual(ids.slice(1).reverse());
    await until("exact counts", () => store.getSnapshot().counts.total === 4);
    expect(store.getSnapshot().counts).toMatchObject({ unread: 4, total: 4, byTag: { billing: { unread: 2, total: 2 }, social: { unread: 2, total: 2 } } });
  });

  it("resumes a dropped stream with nothing missed and nothing twice", async () => {
    const userId = `pkg-sse-drop-${crypto.randomUUID().slice(0, 8)}`;
    const token = await devToken(userId);
    // The stream's fetch can be cut from outside, as a network drop would, and kept down a while.
    const live: AbortController[] = [];
    let down: Promise<void> = Promise.resolve();
    let restore = () => {};
    const client = new HeraldClient({
      baseUrl: base(),
      token,
      since: 0,
      transport: "sse",
      backoff: { initialMs: 10, maxMs: 50 },
      fetch: async (url, init) => {
        // While the network is "down", a reconnect waits here, so the items sent meanwhile are missed.
        await down;
        const cut = new AbortController();
        live.push(cut);
        return fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal });
      },
    });
    cleanup.push(() => client.close());
    const seqs: number[] = [];
    client.on("notification", (frame) => seqs.push(frame.seq));
    // Every state the client passes through: with a 10 ms backoff it may drop and reopen between two polls.
    const states: string[] = [];
    client.on("state", (state) => states.push(state));
    client.connect();
    await until("the stream", () => client.state === "open");
    for (let i = 0; i < 3; i++) await send(userId, `Before ${i}`);
    await until("three", () => seqs.length === 3);
    const openedBefore = states.length;
    down = new Promise((resolve) => (restore = resolve));
    for (const cut of live.splice(0)) cut.abort();
    await until("the drop", () => states.slice(openedBefore).some((state) => state !== "open"));
    for (let i = 0; i < 3; i++) await send(userId, `During ${i}`);
    expect(seqs).toHaveLength(3);
    restore();
    await until("the resume", () => client.state === "open");
    await until("six", () => seqs.length === 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seqs).toHaveLength(6);
    expect(new Set(seqs).size).toBe(6);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(client.items.map((n) => n.title)).toEqual(["During 2", "During 1", "During 0", "Before 2", "Before 1", "Before 0"]);
  });
});
