/**
 * HeraldClient: a typed client for Herald's in-app WebSocket protocol (docs/protocol.md#the-client-library), for
 * browsers, Node ≥ 22 (global `WebSocket`) and workerd.
 *
 * Guarantees it adds on top of the socket:
 * - dedupe by `seq`: a `notification`, `updated` or `recalled` frame whose seq is ≤ the highest
 *   seen is dropped, so a handler never sees the same seq twice, across reconnects too;
 * - cumulative acks: after `ackDelayMs` (or at once when half the window — 500 seqs by default —
 *   is unacked) it acks the highest seq received; the ack is what makes the server mark items
 *   `delivered` and what opens the window for more;
 * - reconnect with exponential backoff and full jitter, resuming with `since=lastSeq` so the
 *   server replays exactly what this device missed, edits and recalls included;
 * - a view a page can render: {@link HeraldClient.items} (newest first, edits applied, recalled
 *   and expired items gone, read state synced) and {@link HeraldClient.unreadCount}, with a
 *   `change` event after every update of either.
 *
 * - a fallback for networks that block WebSockets: after `fallbackAfter` dials in a row that never
 *   got to the inbox's `hello`, it reads the same frames from `GET /v1/me/stream` (Server-Sent Events) and sends
 *   acks, seen and read over REST ({@link EventStreamSocket}); `transport: "sse"` forces it.
 *
 * The package runs unbundled under Node's type stripping (the repository's scripts and bench
 * import it so), so type-only imports say `import type` and runtime constants live here.
 */
import type { ClientFrame, InboxNotification, Preferences, PreferencesMergePatch, ServerFrame } from "./protocol.ts";
import { HeraldRest, type FetchLike } from "./rest.ts";
import type { WebSocketLike } from "./socket.ts";
import { EventStreamSocket } from "./sse.ts";

/**
 * Which transport carries the frames. `auto` (default): WebSocket, falling back to SSE after
 * {@link HeraldClientOptions.fallbackAfter} failed dials; `websocket` never falls back; `sse` never tries a WebSocket.
 */
export type TransportChoice = "auto" | "websocket" | "sse";

/**
 * Connection state, reported through the `state` event. `closed`: before {@link HeraldClient.connect},
 * after {@link HeraldClient.close}, or after close code 4001 (token expired) with a static token —
 * build a new client with a fresh token then.
 */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

type Frame<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;

/** A notification the client holds, with its seq. */
export interface HeldNotification extends InboxNotification {
  seq: number;
}

/** Events a page can bind to with {@link HeraldClient.on}, and the payload each handler gets. */
export interface HeraldClientEvents {
  /** First frame of every connection: the server's last assigned seq and exact unread count. */
  hello: Frame<"hello">;
  /** A new notification, in seq order, each seq at most once. */
  notification: Frame<"notification">;
  /** A notification was edited (replace it by `notification.id`); seq-ordered and deduped like notifications. */
  updated: Frame<"updated">;
  /** An item's feed state changed (seen, read, unread, archived, snoozed, a snooze ended): its whole state after, and the exact counts. */
  feedState: Frame<"state">;
  /** A notification was recalled (remove it by `id`), with the exact unread count after. */
  recalled: Frame<"recalled">;
  /** Items were read (on any device of the user), with the exact unread count after. */
  read: Frame<"read">;
  /** The server refused a client frame; the connection stays up. */
  error: Frame<"error">;
  /** Answer to {@link HeraldClient.ping}. */
  pong: Frame<"pong">;
  state: ConnectionState;
  /** The transport in use changed (the automatic fallback to SSE). */
  transport: "websocket" | "sse";
  /** {@link HeraldClient.items} or {@link HeraldClient.unreadCount} changed; the payload says which frame changed them. */
  change: { cause: "hello" | "notification" | "updated" | "recalled" | "read" | "state" | "other" };
  /** A frame of a type this version of the client does not know, as received. */
  frame: { type: string; seq?: unknown };
}

export interface HeraldClientOptions {
  /** Herald's origin, e.g. `https://herald.example.com`; `http(s)` becomes `ws(s)`. */
  baseUrl: string;
  /** A user token (JWT), or a function that returns a fresh one; the function is called on every (re)connect. */
  token: string | (() => string | Promise<string>);
  /**
   * Trade the token for a single-use connect ticket (`POST /v1/me/connect-tickets`) before every
   * (re)connect and open the socket with `?ticket=`, so the token itself never appears in a URL,
   * where proxies and access logs keep it. Default false: the URL carries `?token=`.
   */
  connectTickets?: boolean;
  /** `fetch` for REST calls (connect tickets, preferences) instead of `globalThis.fetch` (e.g. a service binding's). */
  fetch?: FetchLike;
  /** Resume after this seq (the device already holds everything ≤ it). Omitted: the server replays what no device acked. */
  since?: number;
  /** WebSocket constructor to use instead of `globalThis.WebSocket`. */
  WebSocket?: new (url: string) => WebSocketLike;
  /**
   * Opens the socket for a URL instead of the constructor, e.g. a socket from a `fetch`
   * upgrade in workerd (already open: it never fires `open`, which the client handles).
   */
  open?: (url: string) => WebSocketLike | Promise<WebSocketLike>;
  /** Reconnect delay: a random wait in [0, min(maxMs, initialMs · 2^attempt)] ms. Defaults 500 / 30,000 ms. */
  backoff?: { initialMs: number; maxMs: number };
  /** How long to gather frames before one cumulative ack, in ms. Default 20. */
  ackDelayMs?: number;
  /** Unacked frames this device can hold (sent as `?window=`); the server caps it at its own (1,000). */
  window?: number;
  /** Most notifications {@link HeraldClient.items} keeps (the newest). Default 500. */
  maxItems?: number;
  /** See {@link TransportChoice}. Default `auto`. */
  transport?: TransportChoice;
  /** WebSocket dials in a row that closed before the inbox's `hello` before `auto` switches to SSE for this client's life. Default 3. */
  fallbackAfter?: number;
}

/** `WebSocket.OPEN`, defined here because the constant is not on every socket implementation. */
const OPEN = 1;
/**
 * Ack at once when this many seqs are unacked: half the server's window (default 1,000), so the
 * next frames are on their way before the window fills, and a replay of 10,000 notifications
 * wakes the inbox for 20 acks, not 100 — each ack is a storage write and a read of the next frames.
 */
const ACK_EVERY = 500;
/** The server's default window (docs/protocol.md#flow-control). */
const SERVER_WINDOW = 1000;
/** Most ids one `read` or `seen` frame may carry (`MAX_READ_IDS` in src/inbox/frames.ts). */
const MAX_READ_IDS = 1000;
/** Close code for an expired token (`CLOSE_CODES.tokenExpired` in src/inbox/frames.ts). */
const TOKEN_EXPIRED = 4001;
const NORMAL_CLOSURE = 1000;

type Handler<K extends keyof HeraldClientEvents> = (payload: HeraldClientEvents[K]) => void;

export class HeraldClient {
  readonly #options: HeraldClientOptions;
  readonly #backoff: { initialMs: number; maxMs: number };
  readonly #ackDelayMs: number;
  readonly #ackEvery: number;
  readonly #maxItems: number;
  /** Held notifications by id, in seq order (Map keeps insertion order; they arrive by seq). */
  readonly #items = new Map<string, HeldNotification>();
  /** Handlers by event; `never` because each set holds the handler type of its own event. */
  readonly #handlers = new Map<keyof HeraldClientEvents, Set<(payload: never) => void>>();

  #state: ConnectionState = "closed";
  #socket: WebSocketLike | null = null;
  /** Bumped by every dial and by close(), so callbacks of an older attempt know they are stale. */
  #generation = 0;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #rest: HeraldRest;
  #transport: "websocket" | "sse";
  /** WebSocket dials in a row that closed before the inbox's `hello`; reset by a hello. */
  #failedDials = 0;
  /** Whether the current connection got its `hello`. */
  #greeted = false;

  #lastSeq: number;
  /** Whether `since` is known: given, or a notification was received. Until then the server picks the start. */
  #resumable: boolean;
  #ackedSeq: number;
  #ackTimer: ReturnType<typeof setTimeout> | null = null;
  #unreadCount = 0;
  /** The server's lastSeq at hello: later arrivals are not yet in the hello's unread count. */
  #helloSeq = 0;

  /** Creates a client; nothing happens until {@link connect}. */
  constructor(options: HeraldClientOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.#ackDelayMs = options.ackDelayMs ?? 20;
    // Ack by half the window at the latest, so the server never stalls waiting for the timer.
    this.#ackEvery = Math.max(1, Math.min(ACK_EVERY, Math.floor((options.window ?? SERVER_WINDOW) / 2)));
    this.#maxItems = options.maxItems ?? 500;
    this.#rest = new HeraldRest({ baseUrl: options.baseUrl, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.#transport = options.transport === "sse" ? "sse" : "websocket";
    this.#lastSeq = options.since ?? 0;
    this.#resumable = options.since !== undefined;
    this.#ackedSeq = this.#lastSeq;
  }

  /** Highest notification seq received; before the first, `since` (or 0 without it). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The transport in use: `websocket`, or `sse` when forced or after the fallback. */
  get transport(): "websocket" | "sse" {
    return this.#transport;
  }

  /** The REST calls for the same user (feed actions, counts, preferences), sharing token and `fetch`. */
  get rest(): HeraldRest {
    return this.#rest;
  }

  /** See {@link ConnectionState}. */
  get state(): ConnectionState {
    return this.#state;
  }

  /**
   * Unread count: exact as of the last `hello`, `read` or `recalled` frame, plus unread
   * notifications that arrived since.
   */
  get unreadCount(): number {
    return this.#unreadCount;
  }

  /**
   * The notifications this client holds, newest first (at most `maxItems`): edits applied,
   * recalled ones removed, expired ones left out, `readAt` set when any device read them.
   */
  get items(): HeldNotification[] {
    const now = Date.now();
    return [...this.#items.values()].filter((n) => n.expiresAt === null || Date.parse(n.expiresAt) > now).reverse();
  }

  /**
   * Binds a handler; handlers run synchronously in frame order. A handler that throws does not
   * stop the client: the error is rethrown in a microtask, where the host reports it.
   * @returns a function that unbinds the handler.
   */
  on<K extends keyof HeraldClientEvents>(event: K, handler: Handler<K>): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  }

  /** Opens the connection and keeps it open until {@link close}. Calling it while connected does nothing. */
  connect(): void {
    if (this.#state !== "closed") return;
    this.#attempt = 0;
    this.#setState("connecting");
    void this.#dial();
  }

  /** Acks what was received, closes the socket and stops reconnecting. */
  close(): void {
    this.#generation++;
    this.#clearReconnect();
    this.#flushAck();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) safeClose(socket, NORMAL_CLOSURE, "client closed");
    this.#setState("closed");
  }

  /**
   * Marks notifications read on every device of the user; a `read` event follows with the
   * new unread count. Ids are sent in frames of at most 1,000.
   * @returns false when not connected (nothing is queued; retry on `open` or use the REST inbox).
   */
  markRead(ids: string[]): boolean {
    return this.#sendIds("read", ids);
  }

  /**
   * Reports notifications as displayed (`seen`, docs/api.md#feed), in frames of at most
   * 1,000 ids. @returns false when not connected.
   */
  markSeen(ids: string[]): boolean {
    return this.#sendIds("seen", ids);
  }

  #sendIds(type: "read" | "seen", ids: string[]): boolean {
    if (ids.length === 0) return true;
    for (let i = 0; i < ids.length; i += MAX_READ_IDS) {
      if (!this.#send({ type, ids: ids.slice(i, i + MAX_READ_IDS) })) return false;
    }
    return true;
  }

  /**
   * Sends a ping; a `pong` event answers it (the server answers without waking the inbox).
   * @returns false when not connected.
   */
  ping(): boolean {
    return this.#send({ type: "ping" });
  }

  /**
   * The user's effective preferences, `GET /v1/me/preferences` (docs/api.md#preferences).
   * @throws HeraldRequestError on any answer but 200.
   */
  async getPreferences(): Promise<Preferences> {
    return this.#rest.getPreferences();
  }

  /**
   * Changes the user's preferences with an RFC 7396 merge patch, `PATCH /v1/me/preferences`:
   * members merge, `null` removes one; the answer is the whole effective document with its new `version`.
   * @param options.ifMatch the version last read: when the server holds a newer one the patch is
   *        refused — HeraldRequestError with status 412, code `precondition_failed`.
   * @throws HeraldRequestError on any answer but 200 (400 `validation_failed` names the field).
   */
  async updatePreferences(patch: PreferencesMergePatch, options: { ifMatch?: number } = {}): Promise<Preferences> {
    return this.#rest.updatePreferences(patch, options);
  }

  async #dial(): Promise<void> {
    const generation = ++this.#generation;
    let socket: WebSocketLike;
    this.#greeted = false;
    try {
      if (this.#transport === "sse") {
        socket = new EventStreamSocket(this.#streamUrl(), this.#rest, this.#resumable ? String(this.#lastSeq) : undefined);
      } else {
        const { token } = this.#options;
        const url = this.#url(await this.#credential(typeof token === "string" ? token : await token()));
        if (generation !== this.#generation) return;
        socket = await this.#openSocket(url);
      }
    } catch {
      // A token function or socket factory failed: same as a dropped connection.
      if (generation === this.#generation) this.#scheduleReconnect();
      return;
    }
    if (generation !== this.#generation) return safeClose(socket, NORMAL_CLOSURE, "client closed");
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      if (this.#socket === socket) this.#onMessage(event.data);
    });
    socket.addEventListener("close", (event) => this.#onDrop(socket, event.code));
    // Some runtimes fire `error` without a `close` after it; the drop is handled once either way.
    socket.addEventListener("error", () => this.#onDrop(socket, undefined));
    // A socket from a workerd `fetch` upgrade is open already and never fires `open`.
    if (socket.readyState === OPEN) this.#setState("open");
    else
      socket.addEventListener("open", () => {
        if (this.#socket === socket) this.#setState("open");
      });
  }

  /** The event stream's URL: the same resume point as the socket's `since`; the token goes in a header. */
  #streamUrl(): string {
    const url = new URL("/v1/me/stream", this.#options.baseUrl);
    if (this.#resumable) url.searchParams.set("since", String(this.#lastSeq));
    return url.toString();
  }

  #openSocket(url: string): WebSocketLike | Promise<WebSocketLike> {
    if (this.#options.open) return this.#options.open(url);
    const Ctor = this.#options.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
    if (!Ctor) throw new Error("No WebSocket implementation: pass `WebSocket` or `open` in the options.");
    return new Ctor(url);
  }

  /**
   * What goes in the socket's URL: a fresh connect ticket for `token` when
   * {@link HeraldClientOptions.connectTickets} is on, else the token.
   * @throws when the ticket request fails (the dial then counts as a dropped connection).
   */
  async #credential(token: string): Promise<{ name: "ticket" | "token"; value: string }> {
    if (!this.#options.connectTickets) return { name: "token", value: token };
    const request = this.#options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const res = await request(new URL("/v1/me/connect-tickets", this.#options.baseUrl).toString(), { method: "POST", headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 201) throw new Error(`connect ticket: ${res.status}`);
    return { name: "ticket", value: ((await res.json()) as { ticket: string }).ticket };
  }

  #url(credential: { name: "ticket" | "token"; value: string }): string {
    const url = new URL("/v1/me/connect", this.#options.baseUrl.replace(/^http/i, "ws"));
    url.searchParams.set(credential.name, credential.value);
    if (this.#resumable) url.searchParams.set("since", String(this.#lastSeq));
    if (this.#options.window !== undefined) url.searchParams.set("window", String(this.#options.window));
    return url.toString();
  }

  #onDrop(socket: WebSocketLike, code: number | undefined): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#clearAckTimer();
    safeClose(socket, NORMAL_CLOSURE, "reconnecting");
    // A proxy that blocks WebSockets shows as upgrades that fail (browsers hide why) or, for one
    // that accepts the upgrade but passes no frames, as sockets closed before the inbox's `hello`;
    // both count toward the fallback. A connection that got its hello and dropped is an ordinary drop.
    if (!this.#greeted && this.#transport === "websocket" && (this.#options.transport ?? "auto") === "auto") {
      this.#failedDials++;
      if (this.#failedDials >= (this.#options.fallbackAfter ?? 3)) {
        this.#transport = "sse";
        this.#attempt = 0;
        this.#emit("transport", "sse");
      }
    }
    if (code === TOKEN_EXPIRED && typeof this.#options.token === "string") {
      // The same token would be refused again; only a token function can recover.
      this.#generation++;
      this.#setState("closed");
      return;
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#setState("reconnecting");
    const ceiling = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * 2 ** this.#attempt);
    this.#attempt++;
    // Full jitter: devices dropped together (a deploy, a network blip) spread their reconnects.
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#dial();
    }, Math.random() * ceiling);
  }

  #onMessage(data: unknown): void {
    const text = typeof data === "string" ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : null;
    if (text === null) return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case "hello":
        return this.#onHello(frame);
      case "notification":
      case "updated":
      case "recalled":
      case "state":
        return this.#onEvent(frame);
      case "read":
        return this.#onRead(frame);
      case "error":
      case "pong":
        return this.#emit(frame.type, frame as never);
      default:
        return this.#onOther(frame as unknown as { type: string; seq?: unknown });
    }
  }

  /**
   * A frame type this version does not know (a newer server): reported as `frame`; one that
   * carries a seq is part of the user's sequence, so it is deduped, counted for resume and acked
   * like the rest — never acking it would stall the window.
   */
  #onOther(frame: { type: string; seq?: unknown }): void {
    if (typeof frame.seq === "number") {
      if (frame.seq <= this.#lastSeq) return;
      this.#lastSeq = frame.seq;
      this.#resumable = true;
      this.#scheduleAck();
    }
    this.#emit("frame", frame);
    this.#emit("change", { cause: "other" });
  }

  #onHello(frame: Frame<"hello">): void {
    this.#attempt = 0;
    this.#greeted = true;
    this.#failedDials = 0;
    this.#unreadCount = frame.unreadCount;
    this.#helloSeq = frame.lastSeq;
    // Seqs never go backwards within one inbox; a lower lastSeq means the inbox was wiped (a
    // fresh local database), and its seqs start again, so keeping ours would drop them all.
    if (frame.lastSeq < this.#lastSeq) {
      this.#lastSeq = this.#ackedSeq = frame.lastSeq;
      this.#items.clear();
    }
    // Frames received on the previous socket whose ack never went out: ack them here.
    if (this.#lastSeq > this.#ackedSeq) this.#flushAck();
    this.#emit("hello", frame);
    this.#emit("change", { cause: "hello" });
  }

  /** A frame of the user's sequence: applied once, in seq order, then acked. */
  #onEvent(frame: Frame<"notification" | "updated" | "recalled" | "state">): void {
    if (frame.seq <= this.#lastSeq) return;
    this.#lastSeq = frame.seq;
    this.#resumable = true;
    switch (frame.type) {
      case "notification":
        if (frame.seq > this.#helloSeq && frame.notification.readAt === null && this.#items.get(frame.notification.id)?.readAt !== null) this.#unreadCount++;
        // An item sent again under a new seq (a snooze ended) moves to the top.
        this.#items.delete(frame.notification.id);
        this.#items.set(frame.notification.id, { ...frame.notification, seq: frame.seq });
        // The oldest go first; they arrive in seq order, so they are first in the map.
        for (const id of this.#items.keys()) {
          if (this.#items.size <= this.#maxItems) break;
          this.#items.delete(id);
        }
        break;
      case "updated": {
        // An edit of an item this client never held (e.g. one another device acked before this
        // one connected without `since`) is reported but not added: it was not in view.
        const held = this.#items.get(frame.notification.id);
        if (held) {
          // A feed change (unread, say) can move the read state either way.
          if (held.readAt === null && frame.notification.readAt !== null) this.#unreadCount = Math.max(0, this.#unreadCount - 1);
          if (held.readAt !== null && frame.notification.readAt === null) this.#unreadCount++;
          this.#items.set(held.id, { ...frame.notification, seq: held.seq });
        }
        break;
      }
      case "recalled":
        this.#unreadCount = frame.unreadCount;
        this.#items.delete(frame.id);
        break;
      case "state": {
        this.#unreadCount = frame.unreadCount;
        const held = this.#items.get(frame.id);
        if (held) {
          const { seenAt, readAt, archivedAt, snoozedUntil } = frame;
          this.#items.set(held.id, { ...held, seenAt, readAt, archivedAt, snoozedUntil });
        }
        break;
      }
    }
    // The `state` frame's event is `feedState`: `state` is the connection's.
    this.#emit(frame.type === "state" ? "feedState" : frame.type, frame as never);
    this.#emit("change", { cause: frame.type });
    // Measured in seqs, as the server measures its window: seqs may skip values (a recalled or
    // expired item is never sent), so this acks at least as often as counting frames would.
    this.#scheduleAck();
  }

  #scheduleAck(): void {
    if (this.#lastSeq - this.#ackedSeq >= this.#ackEvery) this.#flushAck();
    else this.#ackTimer ??= setTimeout(() => this.#flushAck(), this.#ackDelayMs);
  }

  #onRead(frame: Frame<"read">): void {
    this.#unreadCount = frame.unreadCount;
    const readAt = new Date().toISOString();
    for (const id of frame.ids) {
      const held = this.#items.get(id);
      if (held && held.readAt === null) this.#items.set(id, { ...held, readAt });
    }
    this.#emit("read", frame);
    this.#emit("change", { cause: "read" });
  }

  /** Sends one cumulative ack for everything received, if anything is unacked. */
  #flushAck(): void {
    this.#clearAckTimer();
    if (this.#lastSeq > this.#ackedSeq && this.#send({ type: "ack", seq: this.#lastSeq })) {
      this.#ackedSeq = this.#lastSeq;
    }
  }

  #send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  #emit<K extends keyof HeraldClientEvents>(event: K, payload: HeraldClientEvents[K]): void {
    for (const handler of this.#handlers.get(event) ?? []) {
      try {
        (handler as Handler<K>)(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit("state", state);
  }

  #clearAckTimer(): void {
    if (this.#ackTimer !== null) clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
  }

  #clearReconnect(): void {
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }
}

function safeClose(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed or closing.
  }
}
