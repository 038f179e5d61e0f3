/**
 * The Server-Sent Events transport: `GET /v1/me/stream` (docs/protocol.md#server-sent-events)
 * read with `fetch`, so it runs in browsers, Node ≥ 22 and workerd alike and can send the token
 * as `Authorization: Bearer` instead of in the URL. It parses the `text/event-stream` format the
 * way `EventSource` does (WHATWG HTML §9.2.6: `data:` lines joined by "\n", `id:` sets the last
 * event id, a blank line dispatches, `:` lines are comments) and looks like a WebSocket to the
 * client, so replay, dedupe and the view work unchanged. An event stream has no upstream, so
 * the client frames it is given go over REST instead: `ack` as a cumulative REST ack, `read` and
 * `seen` as bulk actions; `ping` is answered locally.
 */
import type { ClientFrame } from "./protocol.ts";
import type { HeraldRest } from "./rest.ts";
import type { WebSocketLike } from "./socket.ts";

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

type Listener = (event: { data: unknown; code: number }) => void;

/** An event stream behind the {@link WebSocketLike} interface. */
export class EventStreamSocket implements WebSocketLike {
  readyState = CONNECTING;
  /** The last `id:` received, sent back as `Last-Event-ID` by the next connection. */
  lastEventId = "";
  /** From the stream's `hello`: REST acks name the connection they ack for. */
  #connectionId: string | null = null;
  readonly #rest: HeraldRest;
  readonly #abort = new AbortController();
  readonly #listeners = new Map<string, Set<Listener>>();

  /**
   * Starts reading at once. `url` is the stream's URL (with `since`); `lastEventId`, when set,
   * goes in the `Last-Event-ID` header as `EventSource` sends it on a reconnect.
   */
  constructor(url: string, rest: HeraldRest, lastEventId?: string) {
    this.#rest = rest;
    void this.#read(url, lastEventId);
  }

  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
  addEventListener(type: "open" | "error", listener: () => void): void;
  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  /** A client frame, carried out over REST; a failed call is dropped like a frame on a dead socket (the next ack covers it). */
  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error("event stream not open");
    const frame = JSON.parse(data) as ClientFrame;
    const done = (): void => undefined;
    switch (frame.type) {
      case "ack":
        if (this.#connectionId === null) return;
        return void this.#rest.ack(this.#connectionId, frame.seq).catch(done);
      case "read":
      case "seen":
        return void this.#rest.bulk({ ids: frame.ids }, frame.type).catch(done);
      case "ping":
        // No upstream: the stream itself being open is the liveness a pong reports.
        return void queueMicrotask(() => this.#emit("message", { data: '{"type":"pong"}' }));
    }
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#abort.abort();
  }

  async #read(url: string, lastEventId: string | undefined): Promise<void> {
    let code = 1006;
    try {
      const headers: Record<string, string> = { accept: "text/event-stream", authorization: `Bearer ${await this.#rest.token()}` };
      if (lastEventId) headers["last-event-id"] = lastEventId;
      const res = await this.#rest.fetch(url, { method: "GET", headers, signal: this.#abort.signal });
      if (!res.ok || !res.body) {
        code = res.status === 401 ? 4001 : 1006;
        await res.body?.cancel();
        return;
      }
      if (this.readyState === CLOSED) return;
      this.readyState = OPEN;
      this.#emit("open", {});
      await this.#parse(res.body);
      code = 1000;
    } catch {
      // Network error or abort: a drop like any other.
    } finally {
      const wasClosed = this.readyState === CLOSED;
      this.readyState = CLOSED;
      if (!wasClosed) this.#emit("close", { code });
    }
  }

  async #parse(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let data: string[] = [];
    let id: string | null = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // Lines end with CRLF, LF or CR; a trailing CR may be half of a CRLF still to come.
      const lines = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "") {
          if (id !== null) this.lastEventId = id;
          if (data.length > 0) this.#dispatch(data.join("\n"));
          data = [];
          id = null;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? "" : line.slice(colon + 1);
        const text = raw.startsWith(" ") ? raw.slice(1) : raw;
        if (field === "data") data.push(text);
        else if (field === "id" && !text.includes("\0")) id = text;
      }
    }
  }

  #dispatch(text: string): void {
    if (this.#connectionId === null && text.includes('"hello"')) {
      try {
        const frame = JSON.parse(text) as { type?: string; connectionId?: string };
        if (frame.type === "hello" && typeof frame.connectionId === "string") this.#connectionId = frame.connectionId;
      } catch {
        // Not JSON: the client ignores it too.
      }
    }
    this.#emit("message", { data: text });
  }

  #emit(type: string, event: { data?: unknown; code?: number }): void {
    const full = { data: event.data, code: event.code ?? 0 };
    for (const listener of this.#listeners.get(type) ?? []) listener(full);
  }
}
