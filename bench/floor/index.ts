/**
 * The in-app floor (docs/cost.md#in-app-cpu-per-notification): the least work the runtime itself
 * does for one in-app notification, with no Herald code — no router, no validation library, no
 * auth, no D1, no queue. `POST /v1/notifications {userId, title, body}` makes one RPC to the
 * user's SQLite Durable Object, which inserts one row, sends one frame on each of the user's
 * hibernatable WebSockets and answers; the device's ack comes back over the socket and costs one
 * SQL update. It speaks Herald's wire protocol (`hello`, `notification`, `ack`:
 * docs/protocol.md), so the bench measures it with the very clients it measures Herald with.
 *
 * `GET /v1/me/connect?token=` reads the user id from the token's payload without checking its
 * signature: a connect is not part of the per-notification figure, and this Worker only ever
 * listens on 127.0.0.1 under the bench.
 */
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  INBOX: DurableObjectNamespace<FloorInbox>;
}

/** The user id (`sub`) of a JWT, unverified (see the module comment), or null. */
function subjectOf(token: string | null): string | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
  return typeof json.sub === "string" ? json.sub : null;
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (url.pathname === "/v1/me/connect") {
      const userId = subjectOf(url.searchParams.get("token"));
      if (!userId) return new Response(null, { status: 401 });
      const headers = new Headers(request.headers);
      headers.set("x-user-id", userId);
      return env.INBOX.get(env.INBOX.idFromName(userId)).fetch(new Request(request.url, { headers }));
    }
    if (url.pathname === "/v1/notifications" && request.method === "POST") {
      const { userId, title, body } = (await request.json()) as { userId: string; title: string; body: string };
      const id = crypto.randomUUID();
      await env.INBOX.get(env.INBOX.idFromName(userId)).deliver(id, title, body);
      return Response.json({ id, status: "accepted" }, { status: 202 });
    }
    return new Response(null, { status: 404 });
  },
} satisfies ExportedHandler<FloorEnv>;

/** One user's inbox: a table of items keyed by `seq`, and the user's sockets. */
export class FloorInbox extends DurableObject<FloorEnv> {
  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT, body TEXT, created_at INTEGER NOT NULL, delivered_at INTEGER)`);
  }

  /** Stores one item under the next seq and sends it to every socket of the user. */
  async deliver(id: string, title: string, body: string): Promise<void> {
    const createdAt = Date.now();
    const { seq } = this.ctx.storage.sql.exec<{ seq: number }>(`INSERT INTO inbox (id, title, body, created_at) VALUES (?, ?, ?, ?) RETURNING seq`, id, title, body, createdAt).one();
    const frame = JSON.stringify({
      type: "notification",
      seq,
      notification: { id, title, body, data: null, priority: "normal", createdAt: new Date(createdAt).toISOString(), expiresAt: null, readAt: null },
    });
    for (const ws of this.ctx.getWebSockets()) ws.send(frame);
  }

  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get("x-user-id")!;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const lastSeq = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COALESCE(MAX(seq), 0) AS n FROM inbox`).one().n;
    server.send(JSON.stringify({ type: "hello", userId, connectionId: crypto.randomUUID(), lastSeq, unreadCount: 0 }));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** A cumulative ack marks every item up to its seq delivered. */
  override async webSocketMessage(_ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const frame = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message)) as { type: string; seq?: number };
    if (frame.type === "ack" && typeof frame.seq === "number") {
      this.ctx.storage.sql.exec(`UPDATE inbox SET delivered_at = ? WHERE seq <= ? AND delivered_at IS NULL`, Date.now(), frame.seq);
    }
  }
}
