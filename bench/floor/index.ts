/**
 * The in-app floor (docs/cost.md#the-local-floor-of-the-in-app-path): the least work the runtime
 * itself does for one in-app notification, with no Herald code — no router, no validation library,
 * no auth. It speaks Herald's wire protocol (`hello`, `notification`, `ack`: docs/protocol.md), so
 * the bench measures it with the very clients it measures Herald with.
 *
 * `VARIANT` (a var, set per run by bench/floor/variants.ts) picks how much of an accept it does:
 * - `inline`: `POST /v1/notifications {userId, title, body, data}` makes one RPC to the user's
 *   SQLite Durable Object, which inserts one row, sends one frame on each of the user's
 *   hibernatable WebSockets and answers; the device's ack costs one SQL update in the object.
 * - `d1`: first one D1 transaction per POST, as a real accept: the idempotency record (keyed by
 *   the `Idempotency-Key` header, else by the new id: the bench's clients send none, and the
 *   transaction is the same) and the notification row, inserted only if this request's claim won
 *   the record's primary key; then the RPC as `inline`. A replayed key answers the stored body.
 * - `d1-queue`: the transaction, then one message on the dispatch queue and 202; the consumer makes
 *   the RPC (the reliable path alone) and marks its batch dispatched in D1 with one statement.
 * - `d1-inline-queue`: Herald's shape — the transaction, 202, then the RPC and one dispatch message
 *   after the response; the consumer only marks its batch dispatched (the inbox already has it).
 * With D1 the object dedupes by notification id (a unique index), as at-least-once delivery needs.
 *
 * `GET /v1/me/connect?token=` reads the user id from the token's payload without checking its
 * signature: a connect is not part of the per-notification figure, and this Worker only ever
 * listens on 127.0.0.1 under the bench.
 */
import { DurableObject } from "cloudflare:workers";

/** The floor's variants (see the module comment; the list the bench picks from is bench/floor/variants.ts's VARIANTS). */
type Variant = "inline" | "d1" | "d1-queue" | "d1-inline-queue";

interface FloorEnv {
  INBOX: DurableObjectNamespace<FloorInbox>;
  DB: D1Database;
  DISPATCH: Queue<DispatchMessage>;
  VARIANT: Variant;
}

/** One accepted notification on its way to the user's inbox. */
interface DispatchMessage {
  id: string;
  userId: string;
  title: string;
  body: string;
  data: string | null;
  /** The inbox already took it (`d1-inline-queue`): the consumer only records the dispatch. */
  inboxed: boolean;
}

/** How long a key replays its first answer (Herald's default IDEMPOTENCY_TTL_HOURS: 24 h), in ms. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** The idempotency scope: Herald scopes keys per API key; the floor has one caller. */
const SCOPE = "floor";

/**
 * The D1 tables of the accept, reduced to what a D1-backed accept cannot do without: the
 * idempotency record (primary key = the race guard, an expiry index for its purge) and the
 * notification row (an index of undispatched rows for the sweeper that redrives them).
 */
const D1_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS idempotency_records (scope TEXT NOT NULL, key TEXT NOT NULL, resource_id TEXT NOT NULL, response_status INTEGER NOT NULL, response_body TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (scope, key))`,
  `CREATE INDEX IF NOT EXISTS idempotency_records_expires ON idempotency_records (expires_at)`,
  `CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, idempotency_key TEXT, title TEXT, body TEXT, data TEXT, created_at INTEGER NOT NULL, dispatched_at INTEGER)`,
  `CREATE INDEX IF NOT EXISTS notifications_undispatched ON notifications (created_at) WHERE dispatched_at IS NULL`,
];

/** The user id (`sub`) of a JWT, unverified (see the module comment), or null. */
function subjectOf(token: string | null): string | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
  return typeof json.sub === "string" ? json.sub : null;
}

const inboxOf = (env: FloorEnv, userId: string) => env.INBOX.get(env.INBOX.idFromName(userId));

/**
 * The accept transaction: claims (SCOPE, key) for `message.id` and inserts the row only if that
 * claim won, in one D1 batch (one round trip, one transaction).
 * @returns the stored answer of an earlier request with the same key, or null when this one won.
 */
async function accept(db: D1Database, key: string, message: DispatchMessage, answer: string, now: number): Promise<string | null> {
  const [claim] = await db.batch([
    db
      .prepare(`INSERT INTO idempotency_records (scope, key, resource_id, response_status, response_body, created_at, expires_at) VALUES (?, ?, ?, 202, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .bind(SCOPE, key, message.id, answer, now, now + IDEMPOTENCY_TTL_MS),
    db
      .prepare(
        `INSERT INTO notifications (id, user_id, idempotency_key, title, body, data, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM idempotency_records WHERE scope = ? AND key = ? AND resource_id = ?)`,
      )
      .bind(message.id, message.userId, key, message.title, message.body, message.data, now, SCOPE, key, message.id),
  ]);
  if (claim!.meta.changes === 1) return null;
  return (await db.prepare(`SELECT response_body FROM idempotency_records WHERE scope = ? AND key = ?`).bind(SCOPE, key).first<{ response_body: string }>())!.response_body;
}

/** Marks a consumer batch's notifications dispatched: one statement, the ids as one JSON parameter. */
async function markDispatched(db: D1Database, ids: string[]): Promise<void> {
  await db.prepare(`UPDATE notifications SET dispatched_at = ? WHERE id IN (SELECT value FROM json_each(?))`).bind(Date.now(), JSON.stringify(ids)).run();
}

export default {
  async fetch(request: Request, env: FloorEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") {
      // The bench waits for /health before anything else, so the tables exist before the first POST.
      if (env.VARIANT !== "inline") await env.DB.batch(D1_SCHEMA.map((sql) => env.DB.prepare(sql)));
      return new Response("ok");
    }
    if (url.pathname === "/v1/me/connect") {
      const userId = subjectOf(url.searchParams.get("token"));
      if (!userId) return new Response(null, { status: 401 });
      const headers = new Headers(request.headers);
      headers.set("x-user-id", userId);
      return inboxOf(env, userId).fetch(new Request(request.url, { headers }));
    }
    if (url.pathname === "/v1/notifications" && request.method === "POST") {
      const input = (await request.json()) as { userId: string; title: string; body: string; data?: Record<string, unknown> };
      const message: DispatchMessage = { id: crypto.randomUUID(), userId: input.userId, title: input.title, body: input.body, data: input.data ? JSON.stringify(input.data) : null, inboxed: false };
      const answer = JSON.stringify({ id: message.id, status: "accepted" });
      const accepted = () => new Response(answer, { status: 202, headers: { "content-type": "application/json" } });
      if (env.VARIANT === "inline") {
        await inboxOf(env, message.userId).deliver(message);
        return accepted();
      }
      const replay = await accept(env.DB, request.headers.get("idempotency-key") ?? message.id, message, answer, Date.now());
      if (replay !== null) return new Response(replay, { status: 202, headers: { "content-type": "application/json" } });
      if (env.VARIANT === "d1") {
        await inboxOf(env, message.userId).deliver(message);
      } else if (env.VARIANT === "d1-queue") {
        await env.DISPATCH.send(message);
      } else {
        ctx.waitUntil(inboxOf(env, message.userId).deliver(message).then(() => env.DISPATCH.send({ ...message, inboxed: true })));
      }
      return accepted();
    }
    return new Response(null, { status: 404 });
  },

  /** The dispatch consumer: hands what the inbox does not have yet to it, then records the batch dispatched. */
  async queue(batch: MessageBatch<DispatchMessage>, env: FloorEnv): Promise<void> {
    await Promise.all(batch.messages.filter((m) => !m.body.inboxed).map((m) => inboxOf(env, m.body.userId).deliver(m.body)));
    await markDispatched(env.DB, batch.messages.map((m) => m.body.id));
  },
} satisfies ExportedHandler<FloorEnv, DispatchMessage>;

/** One user's inbox: a table of items keyed by `seq`, and the user's sockets. */
export class FloorInbox extends DurableObject<FloorEnv> {
  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT, body TEXT, data TEXT, created_at INTEGER NOT NULL, delivered_at INTEGER)`);
    if (env.VARIANT !== "inline") ctx.storage.sql.exec(`CREATE UNIQUE INDEX IF NOT EXISTS inbox_id ON inbox (id)`);
  }

  /** Stores one item under the next seq and sends it to every socket of the user; an id already stored (a redelivery) is skipped. */
  async deliver(item: Pick<DispatchMessage, "id" | "title" | "body" | "data">): Promise<void> {
    const createdAt = Date.now();
    const [row] = this.ctx.storage.sql
      .exec<{ seq: number }>(`INSERT OR IGNORE INTO inbox (id, title, body, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING seq`, item.id, item.title, item.body, item.data, createdAt)
      .toArray();
    if (!row) return;
    const frame = JSON.stringify({
      type: "notification",
      seq: row.seq,
      notification: { id: item.id, title: item.title, body: item.body, data: item.data === null ? null : (JSON.parse(item.data) as unknown), priority: "normal", createdAt: new Date(createdAt).toISOString(), expiresAt: null, readAt: null },
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
