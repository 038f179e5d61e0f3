/**
 * What the two in-app baselines (bench/hub.ts, the ws hub, and bench/socketio-hub.ts, Socket.IO)
 * share: reading the user from a token the way they both do, and serving as a child process of the
 * bench.
 */
import { createServer, type Server } from "node:http";

/**
 * The `sub` claim of a JWT, unverified, or null when it has none. The baselines skip the signature
 * check on purpose: Herald checks it once per connect, off the measured paths.
 */
export function subjectOf(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: unknown };
    return typeof payload.sub === "string" && payload.sub.length > 0 ? payload.sub : null;
  } catch {
    return null;
  }
}

/** The `notification` frame both baselines send, the same shape as Herald's (docs/protocol.md). */
export interface NotificationFrame {
  type: "notification";
  seq: number;
  notification: { id: string; title: string | null; body: string | null; data: Record<string, unknown> | null; priority: "normal"; createdAt: string; expiresAt: null; readAt: null };
}

/**
 * The baselines' HTTP side: `POST /v1/notifications {userId, title, body, data}` assigns the
 * user's next seq in `lastSeq` (memory only), hands the frame to `deliver`, and answers 202 with
 * Herald's accepted body; `/health` answers 200, anything else 404.
 * @param idPrefix prefix of the ids it makes (`hub`, `sio`), so a frame tells which baseline sent it.
 */
export function notificationServer(idPrefix: string, lastSeq: Map<string, number>, deliver: (userId: string, frame: NotificationFrame) => void): Server {
  let nextId = 0;
  return createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/notifications") {
      res.writeHead(req.url === "/health" ? 200 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { userId: string; title?: string; body?: string; data?: Record<string, unknown> };
      const seq = (lastSeq.get(input.userId) ?? 0) + 1;
      lastSeq.set(input.userId, seq);
      const id = `${idPrefix}_${++nextId}`;
      const createdAt = new Date().toISOString();
      deliver(input.userId, {
        type: "notification",
        seq,
        notification: { id, title: input.title ?? null, body: input.body ?? null, data: input.data ?? null, priority: "normal", createdAt, expiresAt: null, readAt: null },
      });
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ id, status: "accepted", userId: input.userId, createdAt }));
    });
  });
}

/**
 * Listens on an ephemeral port of 127.0.0.1, prints `{"port":N}` once listening (the bench reads
 * it from stdout), and exits on SIGTERM or when the parent's stdin ends or closes, so a bench that
 * dies without signalling takes its baseline with it.
 */
export function serveBaseline(server: Server): void {
  // Node closes idle keep-alive connections after 5 s by default, racing the bench's agent reusing
  // them between repetitions; workerd keeps them open, and so must a baseline.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
  });
  const exit = () => process.exit(0);
  process.on("SIGTERM", exit);
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);
  process.stdin.resume();
}
