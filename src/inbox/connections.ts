/**
 * The open connections of one UserInbox: its hibernatable WebSockets and its Server-Sent Events
 * streams (docs/protocol.md). The inbox owns one {@link Connections}; this module keeps the socket
 * plumbing out of the object's class, as partyserver keeps it in `connection.ts`.
 *
 * - Each connection has a {@link ConnectionState}: a cursor (`sentSeq`), its acked seq and its
 *   window. A socket's lives in its serialized attachment, so it survives hibernation; it is read
 *   once per instance and written through. A stream's lives on the stream (an open stream keeps
 *   the object in memory).
 * - {@link Connections.pump} sends a connection the next events after its cursor, in seq order,
 *   within its window: the one send path for sockets and streams alike.
 * - Client frames are charged, measured, then parsed ({@link Connections.receive}): neither a
 *   flood nor a huge frame gets parsing work out of the object (src/inbox/frame-budget.ts).
 */
import { newId } from "../lib/ids";
import type { FeedCountCache } from "./count-cache";
import { eventsAfter } from "./events";
import { CLOSE_CODES, ClientFrame, frameTooLarge, MAX_CLIENT_FRAME_BYTES, type ServerFrame } from "./frames";
import { FRAME_BURST, FRAME_RATE_PER_SECOND, FrameBudget } from "./frame-budget";
import type { Meta } from "./schema";
import { SseStream, type ConnectionState } from "./sse";
import { closeTokenExpired, tokenExpired } from "./token-expiry";

/** A device's connection: a WebSocket or a Server-Sent Events stream. */
export type Connection = WebSocket | SseStream;

/** `WebSocket.OPEN`; sockets that are closing no longer count as connections. */
const OPEN = 1;

/** What the connections need from the inbox that owns them. */
export interface ConnectionHost {
  /** The user's count of open connections changed at `now` (ms): a connect or a leave, for presence. */
  connectionsChanged(count: number, now: number): void;
  /** Makes the alarm and the mirror durable after a change (UserInbox.settle). */
  settle(now: number): Promise<void>;
}

/** A client frame the inbox itself acts on: the connection plumbing answers the rest (ping, bad frames). */
export type InboxFrame = Exclude<ClientFrame, { type: "ping" }>;

type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; code: "invalid_frame" | "malformed_json"; detail: string };

/** Parses and validates a client frame (a trust boundary: zod, docs/protocol.md#client-frames). */
function parseFrame(message: string | ArrayBuffer): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
  } catch {
    return { ok: false, code: "malformed_json", detail: "Frames are JSON objects." };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, code: "invalid_frame", detail: `${issue?.path.join(".") || "frame"}: ${issue?.message ?? "invalid"}` };
}

export class Connections {
  /** Each socket's frame budget, in memory (why: src/inbox/frame-budget.ts). */
  private readonly budgets = new WeakMap<WebSocket, FrameBudget>();
  /** Sockets closed for sending too many frames. */
  private readonly flooded = new WeakSet<WebSocket>();
  /** Each socket's state, read from its attachment once per instance and written through to it. */
  private readonly sockets = new WeakMap<WebSocket, ConnectionState>();
  /** Open Server-Sent Events streams: in memory only, since an open stream keeps the object in memory. */
  private readonly streams = new Set<SseStream>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly sql: SqlStorage,
    private readonly meta: Meta,
    private readonly counts: FeedCountCache,
    private readonly host: ConnectionHost,
  ) {}

  /**
   * A new connection's state, starting at `cursor` (the seq it has everything up to).
   * @param window the seqs it may be ahead of its acks (already capped at the server's window).
   * @param now ms since the epoch.
   */
  static initialState(userId: string, cursor: number, window: number, now: number, tokenExpiresAt: number | null): ConnectionState {
    return { userId, connectionId: newId(), sentSeq: cursor, ackedSeq: cursor, window, connectedAt: now, tokenExpiresAt };
  }

  /**
   * Opens a connection with `state`: a hibernatable socket (tagged with the user id), or a stream
   * when `sse`. Sends it `hello` and then every event after its cursor its window allows.
   * @returns the response that hands the connection to the device (101 with the socket, or the stream).
   */
  open(state: ConnectionState, hello: ServerFrame, sse: boolean, now: number): Response {
    let to: Connection;
    let response: Response;
    if (sse) {
      const stream = new SseStream(state, (closed) => this.streamClosed(closed), now);
      this.streams.add(stream);
      to = stream;
      response = stream.response;
    } else {
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server, [state.userId]);
      this.saveState(server, state);
      to = server;
      response = new Response(null, { status: 101, webSocket: client });
    }
    this.host.connectionsChanged(this.count(), now);
    this.send(to, hello);
    this.pump(to, now);
    return response;
  }

  /**
   * A frame from `ws`. Frames in flight from a socket closed for flooding are dropped (not those
   * of any closing socket: a device's last ack often arrives with its close, and must count). A
   * socket past its token's expiry is closed with 4001. Then the frame is charged, measured and
   * parsed (issue 14); an over-budget device is closed with 4008, a bad frame answered with an
   * `error` frame, a ping with a pong, and an ack that advances gets its token back.
   * @returns the frame for the inbox to act on, or null when nothing is left to do.
   */
  async receive(ws: WebSocket, message: string | ArrayBuffer): Promise<InboxFrame | null> {
    if (this.flooded.has(ws)) return null;
    const now = Date.now();
    if (tokenExpired(this.state(ws).tokenExpiresAt, now)) {
      closeTokenExpired(ws);
      return null;
    }
    const budget = this.budget(ws, now);
    if (!budget.take(now)) {
      await this.closeFlooding(ws);
      return null;
    }
    if (frameTooLarge(message)) {
      this.send(ws, { type: "error", code: "frame_too_large", detail: `Frames are at most ${MAX_CLIENT_FRAME_BYTES} bytes.` });
      return null;
    }
    const parsed = parseFrame(message);
    if (!parsed.ok) {
      this.send(ws, { type: "error", code: parsed.code, detail: parsed.detail });
      return null;
    }
    const frame = parsed.frame;
    if (frame.type === "ping") {
      this.send(ws, { type: "pong" });
      return null;
    }
    if (frame.type === "ack" && this.advances(ws, frame.seq)) budget.refund();
    return frame;
  }

  /**
   * A socket closed — cleanly or not (the runtime reports a dropped connection with 1006): it no
   * longer counts, and the close is answered (1005/1006 are reserved and may not be sent back).
   */
  closed(ws: WebSocket, code: number): void {
    this.left(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // The socket is already closed.
    }
  }

  /** A socket left (closed or failed): presence learns the count without it. */
  left(ws: WebSocket): void {
    this.host.connectionsChanged(this.count(ws), Date.now());
  }

  /** The open sockets, each with its token expiry (ms; null/undefined when it has none), for the alarm. */
  socketExpiries(): [WebSocket, number | null | undefined][] {
    return this.openSockets().map((ws) => [ws, this.state(ws).tokenExpiresAt]);
  }

  /** Open connections of this user: sockets and Server-Sent Events streams, leaving out `excluding`. */
  count(excluding?: WebSocket): number {
    return this.openSockets(excluding).length + this.streams.size;
  }

  /** The open connection that `hello` named `connectionId`, or undefined. */
  find(connectionId: string): Connection | undefined {
    return this.all().find((c) => this.stateOf(c).connectionId === connectionId);
  }

  /** Sends every open connection the same frame text, outside the sequence (a `read` frame). */
  broadcast(text: string): void {
    for (const to of this.all()) this.sendText(to, text, null);
  }

  /** Sends one frame outside the sequence (`error`, `hello`, `pong`). */
  send(to: Connection, frame: ServerFrame): void {
    this.sendText(to, JSON.stringify(frame), null);
  }

  /**
   * The connection's side of a cumulative ack of `seq`: its acked seq moves forward (never back).
   * @returns why the ack is refused (a seq never sent on this connection), or null.
   */
  acked(to: Connection, seq: number): string | null {
    const state = this.stateOf(to);
    if (seq > state.sentSeq) return `seq ${seq} was not sent on this connection (last sent ${state.sentSeq}).`;
    if (seq > state.ackedSeq) {
      state.ackedSeq = seq;
      this.saveStateOf(to, state);
    }
    return null;
  }

  /** The connection's acked seq. */
  ackedSeq(to: Connection): number {
    return this.stateOf(to).ackedSeq;
  }

  /**
   * Sends this connection the next events after its cursor, in seq order, as many as its window of
   * unacked seqs allows. Recalled and expired items are skipped (never sent, never replayed).
   * The window is counted in seqs, an upper bound on frames (seqs of skipped items count too),
   * so a device never holds more than its window of unacked frames.
   * @param now ms since the epoch.
   */
  pump(to: Connection, now: number): void {
    const state = this.stateOf(to);
    const budget = state.window - (state.sentSeq - state.ackedSeq);
    // Every event has a seq ≤ `meta.seq`: a connection that was sent it has nothing to read.
    if (budget <= 0 || state.sentSeq >= this.meta.number("seq")) return;
    const events = eventsAfter(this.sql, state.sentSeq, budget, now, this.meta.number("changeSeq"), this.meta.number("stateSeq"), () => this.counts.get(now));
    if (events.length === 0) return;
    if (to instanceof SseStream) {
      for (const [seq, frame] of events) to.event(seq, frame);
    } else {
      try {
        for (const [, frame] of events) to.send(frame);
      } catch {
        // A socket closing under us; the close handler cleans up.
      }
    }
    state.sentSeq = events[events.length - 1]![0];
    this.saveStateOf(to, state);
  }

  /** {@link pump} on every open connection. */
  pumpAll(now: number): void {
    for (const to of this.all()) this.pump(to, now);
  }

  /** The socket's frame budget (src/inbox/frame-budget.ts), full when first asked for. */
  private budget(ws: WebSocket, now: number): FrameBudget {
    let budget = this.budgets.get(ws);
    if (!budget) this.budgets.set(ws, (budget = new FrameBudget(now)));
    return budget;
  }

  /**
   * Whether an ack of `seq` advances the socket's acked seq within what it was sent: such an ack
   * is free (src/inbox/frame-budget.ts), every other frame — invalid ones included — costs a token.
   */
  private advances(ws: WebSocket, seq: number): boolean {
    const state = this.state(ws);
    return seq > state.ackedSeq && seq <= state.sentSeq;
  }

  /** Tells a flooding device why, closes its socket with 4008 and reports it gone. */
  private async closeFlooding(ws: WebSocket): Promise<void> {
    this.flooded.add(ws);
    this.send(ws, {
      type: "error",
      code: "rate_limited",
      detail: `More than ${FRAME_RATE_PER_SECOND} frames per second (bursts of ${FRAME_BURST}); reconnect and send fewer.`,
    });
    try {
      ws.close(CLOSE_CODES.rateLimited, "rate limited");
    } catch {
      // Already closing.
    }
    this.left(ws);
    await this.host.settle(Date.now());
  }

  /** A stream ended (the client left, its token expired): it no longer counts, and presence learns it. */
  private streamClosed(stream: SseStream): void {
    if (!this.streams.delete(stream)) return;
    const now = Date.now();
    this.host.connectionsChanged(this.count(), now);
    this.ctx.waitUntil(this.host.settle(now));
  }

  private state(ws: WebSocket): ConnectionState {
    let state = this.sockets.get(ws);
    if (!state) this.sockets.set(ws, (state = ws.deserializeAttachment() as ConnectionState));
    return state;
  }

  /** Keeps `state` for `ws`, in memory and in its attachment (which survives hibernation). */
  private saveState(ws: WebSocket, state: ConnectionState): void {
    this.sockets.set(ws, state);
    ws.serializeAttachment(state);
  }

  private openSockets(excluding?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws !== excluding && ws.readyState === OPEN);
  }

  /** Every open connection, sockets and streams. */
  private all(): Connection[] {
    return [...this.openSockets(), ...this.streams];
  }

  /** Sends one frame's text; `seq` is its event's seq (a stream's `id:`), null for frames outside the sequence. */
  private sendText(to: Connection, text: string, seq: number | null): void {
    if (to instanceof SseStream) return to.event(seq, text);
    try {
      to.send(text);
    } catch {
      // A socket closing under us; the close handler cleans up.
    }
  }

  /** The state of a connection: a socket's attachment, or a stream's own. */
  private stateOf(to: Connection): ConnectionState {
    return to instanceof SseStream ? to.state : this.state(to);
  }

  /** Keeps a connection's state (a socket's in its attachment). */
  private saveStateOf(to: Connection, state: ConnectionState): void {
    if (!(to instanceof SseStream)) this.saveState(to, state);
  }
}
