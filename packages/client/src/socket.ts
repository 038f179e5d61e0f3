/** The part of the WebSocket interface the client uses (browser, Node, undici and workerd sockets all fit, and so does {@link EventStreamSocket}). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
  addEventListener(type: "open" | "error", listener: () => void): void;
}
