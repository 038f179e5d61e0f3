/**
 * One Server-Sent Events stream of a UserInbox (docs/protocol.md#server-sent-events): the same
 * frames a WebSocket gets, for clients behind proxies that block WebSockets. The inbox writes to it
 * from the same send path as its sockets, so every stream sees the frames in seq order, within
 * its window; the device acks over REST (`POST /v1/me/notifications/ack`).
 *
 * Wire format (HTML Living Standard, "Server-sent events"): an event with a seq is
 * `id: <seq>` + `data: <frame JSON>`, so a browser's `EventSource` reconnects with
 * `Last-Event-ID: <seq>` and resumes exactly after it; a frame without a seq (`hello`, `read`,
 * `error`) is an event with no `id:` field, which leaves the browser's last event id as it was; a
 * keep-alive is a comment line. Unlike a hibernatable WebSocket, an open stream is a request in
 * flight, so the object stays in memory while it lasts and its timers (keep-alive, token expiry) run.
 */

import type { ServerFrame } from "./frames";

/** The `error` code of the last frame of a stream whose user token expired (a socket is closed with 4001 instead). */
export const TOKEN_EXPIRED_CODE = "token_expired";

/** State kept on each connection, socket or stream (a socket's is serialized, so it survives hibernation). */
export interface ConnectionState {
  userId: string;
  connectionId: string;
  /** Highest seq sent to this connection. */
  sentSeq: number;
  /** Highest seq this connection acked. */
  ackedSeq: number;
  /** Most seqs this connection may be ahead of its acks (docs/protocol.md#flow-control). */
  window: number;
  connectedAt: number;
  /** When the connection's user token expires (ms); absent on sockets accepted before it was kept. */
  tokenExpiresAt?: number | null;
}

/** How often an idle stream gets a comment (ms): under the 30–100 s idle timeouts of common proxies. */
export const SSE_KEEP_ALIVE_MS = 25_000;
/** How long a browser waits before reconnecting a dropped stream (ms), sent as the stream's `retry:`. */
const SSE_RETRY_MS = 1_000;

const encoder = new TextEncoder();

export class SseStream {
  /** The response to hand back: the readable side of the stream. */
  readonly response: Response;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #keepAlive: ReturnType<typeof setInterval>;
  #expiry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  /**
   * @param onClosed called once when the stream ends: the client went away, the token expired, or {@link close}.
   * @param now ms since the epoch, to time the token expiry.
   */
  constructor(
    readonly state: ConnectionState,
    private readonly onClosed: (stream: SseStream) => void,
    now: number,
  ) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.#writer = writable.getWriter();
    this.#writer.closed.catch(() => this.close());
    this.response = new Response(readable, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
    });
    this.#write(`retry: ${SSE_RETRY_MS}\n\n`);
    this.#keepAlive = setInterval(() => this.#write(": keep-alive\n\n"), SSE_KEEP_ALIVE_MS);
    // The stream lives as long as the token, like a socket; a stream has no close code, so an
    // `error` frame says why it ends (docs/protocol.md#server-sent-events).
    if (state.tokenExpiresAt) this.#expiry = setTimeout(() => this.#tokenExpired(), Math.max(0, state.tokenExpiresAt - now));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes one frame (JSON text) as an event, with `id: seq` when it has a seq. */
  event(seq: number | null, frame: string): void {
    // JSON has no raw line breaks, but a `data:` line must not carry one in any case.
    const data = frame.split("\n").map((line) => `data: ${line}\n`).join("");
    this.#write(`${seq === null ? "" : `id: ${seq}\n`}${data}\n`);
  }

  /** Ends the stream (idempotent); the inbox forgets it through `onClosed`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    if (this.#expiry) clearTimeout(this.#expiry);
    this.#writer.close().catch(() => undefined);
    this.onClosed(this);
  }

  #tokenExpired(): void {
    const frame: ServerFrame = { type: "error", code: TOKEN_EXPIRED_CODE, detail: "The user token expired; reconnect with a fresh token or ticket." };
    this.event(null, JSON.stringify(frame));
    this.close();
  }

  #write(text: string): void {
    if (this.#closed) return;
    // Not awaited: writes queue in order, and the window bounds how many wait for a slow reader.
    this.#writer.write(encoder.encode(text)).catch(() => this.close());
  }
}
