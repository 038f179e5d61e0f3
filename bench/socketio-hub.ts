/**
 * The second in-app baseline (issue 20 section 4): what a team building in-app notifications on
 * Node picks — Socket.IO 4 with its connection-state recovery on (a client that reconnects within
 * the window gets the packets it missed, from the server's memory). Same HTTP side as bench/hub.ts:
 *
 * - `POST /v1/notifications {userId, title, body, data}` assigns the user's next `seq` in memory and
 *   emits the same `notification` frame as the ws hub to the user's room;
 * - a client connects with `auth: {token}`; the user is the token's `sub`, read without checking
 *   the signature (as bench/hub.ts); it joins the room of its user. A recovered session keeps its
 *   rooms and gets what was emitted while it was away, if it comes back within the window.
 *   Nothing is stored: a device that was never connected, or came back too late, gets nothing.
 *
 * Runs as its own process (`node bench/socketio-hub.ts [--window-ms N]`, default 120,000 ms, the
 * Socket.IO default), prints `{"port":N}` once listening on 127.0.0.1, and exits on SIGTERM or
 * when its parent's stdin closes.
 */
import { Server } from "socket.io";
import { notificationServer, serveBaseline, subjectOf } from "./baseline-server.ts";

/** Socket.IO's default `maxDisconnectionDuration` (2 minutes). */
const DEFAULT_WINDOW_MS = 120_000;

function main(): void {
  const windowIndex = process.argv.indexOf("--window-ms");
  const windowMs = windowIndex > 0 ? Number(process.argv[windowIndex + 1]) : DEFAULT_WINDOW_MS;
  const lastSeq = new Map<string, number>();

  // `io` is set below, before the server listens: no request reaches this first.
  const server = notificationServer("sio", lastSeq, (userId, frame) => void io.to(userId).emit("notification", frame));

  // WebSocket only and no compression: the same transport as Herald and the ws hub.
  const io = new Server(server, {
    transports: ["websocket"],
    perMessageDeflate: false,
    connectionStateRecovery: { maxDisconnectionDuration: windowMs, skipMiddlewares: true },
  });
  io.use((socket, next) => {
    const userId = subjectOf(String((socket.handshake.auth as { token?: unknown }).token ?? ""));
    if (userId === null) return next(new Error("bad token"));
    socket.data.userId = userId;
    next();
  });
  io.on("connection", (socket) => {
    // A recovered session is back in its rooms already.
    if (socket.recovered) return;
    const userId = socket.data.userId as string;
    void socket.join(userId);
    // Like Herald's `hello`. Sent through the adapter (not `socket.emit`) so it carries an offset:
    // a client that received no offset yet cannot be recovered.
    io.to(socket.id).emit("hello", { type: "hello", userId, lastSeq: lastSeq.get(userId) ?? 0 });
  });

  serveBaseline(server);
}

if (import.meta.filename === process.argv[1]) main();
