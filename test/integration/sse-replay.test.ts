/**
 * The inbox as Server-Sent Events (docs/protocol.md#server-sent-events): the WebSocket's frames,
 * `id:` = seq, resumed after `Last-Event-ID` with nothing missing and nothing repeated, acked over
 * REST within the window, authorised like the WebSocket.
 */
import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TOKEN_EXP_HEADER } from "../../src/inbox/token-expiry";
import { inboxOf, SSE_HEADER, type InboxItemInput } from "../../src/inbox/user-inbox";
import { api, BASE, freshId, sendNotification, userToken, waitFor } from "../helpers";

type SseEvent = { id: string | null; data: string; frame: { type: string; seq?: number; [k: string]: unknown } };

/**
 * Reads a `text/event-stream` body as the HTML standard's parser does (for the fields we send):
 * events end at a blank line; `id:` and `data:` lines fill them; `:` lines are comments.
 */
class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = "";
  #decoder = new TextDecoder();
  #read = 0;
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;

  constructor(readonly response: Response) {
    this.#reader = response.body!.getReader();
  }

  /** The next event (optionally of one frame `type`), within `timeoutMs`. */
  async next(type?: string, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#read < this.events.length) {
        const event = this.events[this.#read++]!;
        if (type === undefined || event.frame.type === type) return event;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type ?? "event"} within ${timeoutMs} ms`);
      // A read that lost the race to a timeout stays pending for the next call: its chunk must not be lost.
      this.#pending ??= this.#reader.read();
      const chunk = await Promise.race([this.#pending, new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk === null) continue;
      this.#pending = null;
      if (chunk.done) throw new Error("stream ended");
      this.#parse(this.#decoder.decode(chunk.value, { stream: true }));
    }
  }

  /** The next `n` events that carry an id. */
  async take(n: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    while (out.length < n) {
      const event = await this.next(undefined, timeoutMs);
      if (event.id !== null) out.push(event);
    }
    return out;
  }

  /** Drops the connection, as a network failure would. */
  async drop(): Promise<void> {
    await this.#reader.cancel();
  }

  #parse(text: string) {
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments++;
        else if (line.startsWith("id: ")) id = line.slice(4);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ id, data: data.join("\n"), frame: JSON.parse(data.join("\n")) as SseEvent["frame"] });
    }
  }
}

/** Opens the stream through the Worker, as a browser's `EventSource` would. */
async function openStream(query: Record<string, string>, headers: Record<string, string> = {}): Promise<SseReader> {
  const res = await exports.default.fetch(new Request(`${BASE}/v1/me/stream?${new URLSearchParams(query)}`, { headers: { accept: "text/event-stream", ...headers } }));
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return new SseReader(res);
}

const items = (userId: string, n: number): InboxItemInput[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${userId}_${String(i).padStart(4, "0")}`, title: `t${i}`, body: null, data: { i }, priority: "normal", createdAt: Date.now(), expiresAt: null }));

describe("Server-Sent Events", () => {
  it("replays 1,000 items in seq order, then resumes a dropped stream after Last-Event-ID with nothing missing or repeated", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    await inboxOf(env, userId).deliver(userId, items(userId, 1000));

    const full = await openStream({ token, since: "0" });
    const hello = await full.next();
    expect(hello).toMatchObject({ id: null, frame: { type: "hello", userId, lastSeq: 1000, unreadCount: 1000 } });
    const all = await full.take(1000);
    expect(all.map((e) => Number(e.id))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(all.every((e) => e.frame.type === "notification" && e.frame.seq === Number(e.id))).toBe(true);
    expect(all.map((e) => (e.frame.notification as { id: string }).id)).toEqual(items(userId, 1000).map((i) => i.id));
    await full.drop();

    // A device drops after 400 events; the browser reconnects with the same URL (`since=0`) and
    // `Last-Event-ID: 400`: the header wins.
    const first = await openStream({ token, since: "0" });
    await first.next("hello");
    const before = await first.take(400);
    await first.drop();
    const second = await openStream({ token, since: "0" }, { "last-event-id": before[before.length - 1]!.id! });
    await second.next("hello");
    const after = await second.take(600);
    const seqs = [...before, ...after].map((e) => Number(e.id));
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set([...before, ...after].map((e) => (e.frame.notification as { id: string }).id)).size).toBe(1000);
    // Live: a new item and a state change arrive on the open stream, each with the next id.
    const live = await sendNotification(userId);
    expect(await second.take(1)).toMatchObject([{ id: "1001", frame: { type: "notification", notification: { id: live } } }]);
    expect((await api(`/v1/me/notifications/${live}/archive`, { method: "POST", auth: token })).status).toBe(200);
    expect(await second.take(1)).toMatchObject([{ id: "1002", frame: { type: "state", seq: 1002, id: live, archivedAt: expect.any(String) } }]);
    await second.drop();
  });

  it("sends at most the window of unacked events, and more on a REST ack that marks them delivered", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const delivered = items(userId, 25);
    await inboxOf(env, userId).deliver(userId, delivered);
    const stream = await openStream({ token, since: "0", window: "10" });
    const { frame: hello } = await stream.next("hello");
    const connectionId = hello.connectionId as string;
    expect((await stream.take(10)).map((e) => Number(e.id))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    await expect(stream.next(undefined, 300)).rejects.toThrow(/no event/);
    const list = async () => ((await (await api("/v1/me/notifications?limit=200", { auth: token })).json()) as { items: { seq: number; deliveredAt: string | null }[] }).items;
    expect((await list()).filter((i) => i.deliveredAt !== null)).toEqual([]);

    const ack = (json: unknown) => api("/v1/me/notifications/ack", { method: "POST", auth: token, json });
    expect((await ack({ connectionId, seq: 11 })).status).toBe(409);
    expect((await ack({ connectionId: "nobody", seq: 1 })).status).toBe(404);
    const res = await ack({ connectionId, seq: 10 });
    expect(await res.json()).toEqual({ ackedSeq: 10 });
    expect((await stream.take(10)).map((e) => Number(e.id))).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    expect((await list()).filter((i) => i.deliveredAt !== null).map((i) => i.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    await stream.drop();
  });

  it("is authorised like the WebSocket: bearer header, single-use ticket or token; counts as a connection while open", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    expect((await exports.default.fetch(new Request(`${BASE}/v1/me/stream`))).status).toBe(401);
    const apiKey = await exports.default.fetch(new Request(`${BASE}/v1/me/stream`, { headers: { authorization: "Bearer test-key-1" } }));
    expect(apiKey.status).toBe(403);

    const bearer = await openStream({}, { authorization: `Bearer ${token}` });
    expect((await bearer.next("hello")).frame.userId).toBe(userId);
    const { ticket } = (await (await api("/v1/me/connect-tickets", { method: "POST", auth: token })).json()) as { ticket: string };
    const viaTicket = await openStream({ ticket });
    await viaTicket.next("hello");
    const reused = await exports.default.fetch(new Request(`${BASE}/v1/me/stream?ticket=${encodeURIComponent(ticket)}`));
    expect(reused.status).toBe(401);
    const presence = async () => ((await (await api(`/v1/users/${userId}/presence`)).json()) as { connections: number }).connections;
    expect(await presence()).toBe(2);
    await bearer.drop();
    await viaTicket.drop();
    await waitFor(async () => (await presence()) === 0, { what: "streams closed" });
  });

  it("counts streams with sockets against INBOX_MAX_SOCKETS", async () => {
    const userId = freshId();
    // Straight to the inbox: the Worker route adds auth and the user's rate limit, tested above.
    const connect = (sse: boolean) =>
      inboxOf(env, userId).fetch(
        new Request(`${BASE}/v1/me/stream`, { headers: { "x-herald-user-id": userId, ...(sse ? { [SSE_HEADER]: "1" } : { upgrade: "websocket" }) } }),
      );
    const streams: SseReader[] = [];
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await connect(i % 2 === 0);
      if (res.webSocket) {
        res.webSocket.accept();
        sockets.push(res.webSocket);
      } else streams.push(new SseReader(res));
    }
    expect([streams.length, sockets.length]).toEqual([50, 50]);
    for (const sse of [true, false]) {
      const refused = await connect(sse);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { code: string }).code).toBe("conflict");
    }
    expect((await inboxOf(env, userId).presence()).connections).toBe(100);
    await streams.pop()!.drop();
    await waitFor(async () => (await inboxOf(env, userId).presence()).connections === 99, { what: "stream closed" });
    const again = await connect(true);
    expect(again.status).toBe(200);
    streams.push(new SseReader(again));
    for (const stream of streams) await stream.drop();
    for (const ws of sockets) ws.close(1000, "test done");
  });

  it("ends the stream when the user token expires, saying why", async () => {
    const userId = freshId();
    const exp = Math.ceil(Date.now() / 1000) + 1;
    const res = await inboxOf(env, userId).fetch(new Request(`${BASE}/v1/me/stream`, { headers: { "x-herald-user-id": userId, [SSE_HEADER]: "1", [TOKEN_EXP_HEADER]: String(exp) } }));
    const stream = new SseReader(res);
    await stream.next("hello");
    expect((await stream.next("error", 5000)).frame).toMatchObject({ type: "error", code: "token_expired" });
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
    await expect(stream.next(undefined, 2000)).rejects.toThrow(/stream ended/);
    await waitFor(async () => (await inboxOf(env, userId).presence()).connections === 0, { what: "stream gone" });
  });
});
