/**
 * UserInbox: one Durable Object per user (SPEC §6; seed problem: offline messages lost and
 * receipts shown wrong). It is the source of truth for the user's in-app inbox:
 *
 * - it assigns `seq`, strictly increasing per user (SQLite AUTOINCREMENT never reuses a value);
 * - it stores every item until read or expired, so a device that was offline gets everything;
 * - an item becomes `delivered` only when a device acks it (cumulative ack), never on send;
 * - each socket has a cursor (`sentSeq`) and a window of unacked frames: frames always go out
 *   in `seq` order, and a slow device neither blocks the others nor loses anything.
 *
 * Sockets use the Hibernation API: the runtime keeps them open while the object is evicted from
 * memory, and per-socket state lives in the socket's serialized attachment, so it survives.
 * Pings are answered by the runtime's auto-response without waking the object.
 * Delivery-state changes are reported to D1 through the receipts queue (D1 is a mirror).
 */
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { sendPacked } from "../lib/queue";
import { ClientFrame, PING_FRAME, PONG_FRAME, type InboxNotification, type ServerFrame } from "./frames";
import type { ReceiptMessage, ReceiptStatus } from "../queues/receipts";

/** A notification handed to the inbox. Times in ms since the epoch. */
export interface InboxItemInput {
  id: string;
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: "high" | "normal" | "low";
  createdAt: number;
  expiresAt: number | null;
}

/** A stored inbox item as the REST inbox shows it. */
export interface InboxItem extends InboxNotification {
  seq: number;
  deliveredAt: string | null;
}

/** State kept on each socket (serialized, so it survives hibernation). */
interface SocketState {
  userId: string;
  connectionId: string;
  /** Highest seq sent to this socket. */
  sentSeq: number;
  /** Highest seq this socket acked. */
  ackedSeq: number;
  connectedAt: number;
}

interface Row {
  seq: number;
  id: string;
  title: string | null;
  body: string | null;
  data: string | null;
  priority: "high" | "normal" | "low";
  created_at: number;
  expires_at: number | null;
  read_at: number | null;
  delivered_at: number | null;
  [key: string]: SqlStorageValue;
}

const DEFAULT_WINDOW = 1000;
/** Most items one REST page returns (SPEC §2: limit ≤ 200). */
const MAX_PAGE = 200;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Live items: not recalled, not expired at `?1` (now, ms). */
const LIVE = `recalled_at IS NULL AND (expires_at IS NULL OR expires_at > ?1)`;

export class UserInbox extends DurableObject<Bindings> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Runs on every wake-up; CREATE ... IF NOT EXISTS is cheap and needs no migration table.
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        title TEXT, body TEXT, data TEXT,
        priority TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        read_at INTEGER,
        delivered_at INTEGER,
        recalled_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS inbox_unread ON inbox (seq) WHERE read_at IS NULL AND recalled_at IS NULL;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);
    `);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  private get window(): number {
    const n = Number(this.env.INBOX_WINDOW);
    return Number.isInteger(n) && n > 0 ? n : DEFAULT_WINDOW;
  }

  private meta(key: string): number {
    const row = this.sql.exec<{ value: number }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0];
    return row ? Number(row.value) : 0;
  }

  private setMeta(key: string, value: number | string): void {
    this.sql.exec(`INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2`, key, value);
  }

  /** Highest seq assigned so far (0 for an empty inbox). */
  private lastSeq(): number {
    return this.sql.exec<{ s: number | null }>(`SELECT MAX(seq) AS s FROM inbox`).one().s ?? 0;
  }

  /** Exact count of live unread items. */
  unreadCount(now = Date.now()): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox WHERE read_at IS NULL AND ${LIVE}`, now).one().n;
  }

  /**
   * Stores items in the given order (each new id gets the next `seq`; a known id keeps its
   * seq — delivery is idempotent) and pushes them to every connected device within its window.
   * @returns the seq of every item, new or known.
   */
  async deliver(userId: string, items: InboxItemInput[]): Promise<{ id: string; seq: number }[]> {
    this.setMeta("userId", userId);
    const now = Date.now();
    const json = JSON.stringify(items);
    // Set-based: one statement expands the JSON array in order. Known ids are filtered out
    // before the insert because a conflicting AUTOINCREMENT insert would still burn a seq; the
    // upsert clause only catches an id repeated within `items`.
    this.sql.exec(
      `INSERT INTO inbox (id, title, body, data, priority, created_at, expires_at, updated_at)
       SELECT value->>'id', value->>'title', value->>'body', value->'data', value->>'priority',
              value->>'createdAt', value->>'expiresAt', ?2
       FROM json_each(?1) WHERE value->>'id' NOT IN (SELECT id FROM inbox) ORDER BY key
       ON CONFLICT (id) DO NOTHING`,
      json,
      now,
    );
    const seqs = this.sql
      .exec<{ id: string; seq: number }>(`SELECT id, seq FROM inbox WHERE id IN (SELECT value->>'id' FROM json_each(?1))`, json)
      .toArray();
    for (const ws of this.ctx.getWebSockets()) this.pump(ws);
    return seqs;
  }

  /** WebSocket upgrade, forwarded by the Worker after it checked the user token (src/routes/me.ts). */
  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get("x-herald-user-id");
    if (!userId || request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade for a user", { status: 426 });
    }
    this.setMeta("userId", userId);
    const sinceHeader = request.headers.get("x-herald-since");
    const lastSeq = this.lastSeq();
    // Without `since`, replay everything no device has acked: acks are cumulative, so the
    // delivered items always form a prefix and `ackedSeq` marks its end.
    const cursor = sinceHeader === null ? this.meta("ackedSeq") : Math.min(Number(sinceHeader), lastSeq);
    const { 0: client, 1: server } = new WebSocketPair();
    const state: SocketState = { userId, connectionId: newId(), sentSeq: cursor, ackedSeq: cursor, connectedAt: Date.now() };
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment(state);
    this.setMeta("lastSeenAt", Date.now());
    this.send(server, { type: "hello", userId, connectionId: state.connectionId, lastSeq, unreadCount: this.unreadCount() });
    this.pump(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let frame: ClientFrame;
    try {
      const parsed = ClientFrame.safeParse(JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message)));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return this.send(ws, { type: "error", code: "invalid_frame", detail: `${issue?.path.join(".") || "frame"}: ${issue?.message ?? "invalid"}` });
      }
      frame = parsed.data;
    } catch {
      return this.send(ws, { type: "error", code: "malformed_json", detail: "Frames are JSON objects." });
    }
    switch (frame.type) {
      case "ping":
        return this.send(ws, { type: "pong" });
      case "ack":
        return this.ack(ws, frame.seq);
      case "read":
        await this.markRead(frame.ids);
        return;
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.setMeta("lastSeenAt", Date.now());
    // 1005/1006 are reserved and may not be sent back; answer a normal close otherwise.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // The socket is already closed.
    }
  }

  override async webSocketError(): Promise<void> {
    this.setMeta("lastSeenAt", Date.now());
  }

  private state(ws: WebSocket): SocketState {
    return ws.deserializeAttachment() as SocketState;
  }

  private send(ws: WebSocket, frame: ServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // A socket closing under us; the close handler cleans up.
    }
  }

  /**
   * Cumulative ack: the device holds every frame with seq ≤ `seq`. Marks those items delivered
   * (once), reports them, and sends the next frames the freed window allows. An ack beyond what
   * this socket was sent is refused with an error frame and changes nothing.
   */
  private ack(ws: WebSocket, seq: number): void {
    const state = this.state(ws);
    if (seq > state.sentSeq) {
      return this.send(ws, { type: "error", code: "invalid_ack", detail: `seq ${seq} was not sent on this connection (last sent ${state.sentSeq}).` });
    }
    if (seq > state.ackedSeq) {
      state.ackedSeq = seq;
      ws.serializeAttachment(state);
    }
    // Delivered items always form a prefix ending at the inbox-wide `ackedSeq`. An ack at or
    // below the socket's resume point still counts: a device whose ack was lost with its
    // previous connection re-acks after resuming with `since`.
    if (seq > this.meta("ackedSeq")) {
      const now = Date.now();
      const ids = this.sql
        .exec<{ id: string }>(`UPDATE inbox SET delivered_at = ?1, updated_at = ?1 WHERE seq <= ?2 AND delivered_at IS NULL RETURNING id`, now, seq)
        .toArray()
        .map((r) => r.id);
      this.setMeta("ackedSeq", seq);
      this.report("delivered", ids, now);
    }
    this.pump(ws);
  }

  /**
   * Sends this socket the next live items after its cursor, in seq order, up to its window of
   * unacked frames. Recalled and expired items are skipped (never sent, never replayed).
   */
  private pump(ws: WebSocket): void {
    const state = this.state(ws);
    const budget = this.window - (state.sentSeq - state.ackedSeq);
    if (budget <= 0) return;
    const rows = this.sql.exec<Row>(`SELECT * FROM inbox WHERE seq > ?2 AND ${LIVE} ORDER BY seq LIMIT ?3`, Date.now(), state.sentSeq, budget).toArray();
    if (rows.length === 0) return;
    for (const row of rows) this.send(ws, { type: "notification", seq: row.seq, notification: toNotification(row) });
    state.sentSeq = rows[rows.length - 1]!.seq;
    ws.serializeAttachment(state);
  }

  /**
   * Marks items read (idempotent), tells every device with the new exact unread count, and
   * reports the change to D1.
   * @returns ids that changed and the unread count after.
   */
  async markRead(ids: string[]): Promise<{ ids: string[]; unreadCount: number }> {
    const now = Date.now();
    const changed = this.sql
      .exec<{ id: string }>(
        `UPDATE inbox SET read_at = ?1, updated_at = ?1 WHERE read_at IS NULL AND ${LIVE}
         AND id IN (SELECT value FROM json_each(?2)) RETURNING id`,
        now,
        JSON.stringify(ids),
      )
      .toArray()
      .map((r) => r.id);
    return this.afterRead(changed, now);
  }

  /**
   * Marks read every live item with seq ≤ `upToSeq`; items that arrive later (higher seq) stay
   * unread, so there is no race with arrivals (SPEC §6).
   */
  async readAll(upToSeq: number): Promise<{ ids: string[]; unreadCount: number }> {
    const now = Date.now();
    const changed = this.sql
      .exec<{ id: string }>(`UPDATE inbox SET read_at = ?1, updated_at = ?1 WHERE read_at IS NULL AND ${LIVE} AND seq <= ?2 RETURNING id`, now, upToSeq)
      .toArray()
      .map((r) => r.id);
    return this.afterRead(changed, now);
  }

  private afterRead(ids: string[], now: number) {
    const unreadCount = this.unreadCount(now);
    if (ids.length > 0) {
      const frame = JSON.stringify({ type: "read", ids, unreadCount } satisfies ServerFrame);
      for (const ws of this.ctx.getWebSockets()) {
        try {
          ws.send(frame);
        } catch {
          // Closing socket.
        }
      }
      this.report("read", ids, now);
    }
    return { ids, unreadCount };
  }

  /**
   * One page of the inbox, newest first. `cursor` is the seq to continue below.
   * @param limit 1..200 (SPEC §2).
   */
  async list(opts: { unread?: boolean; limit?: number; cursor?: number }): Promise<{ items: InboxItem[]; nextCursor: string | null; unreadCount: number }> {
    const now = Date.now();
    const limit = Math.min(MAX_PAGE, Math.max(1, opts.limit ?? 50));
    const rows = this.sql
      .exec<Row>(
        `SELECT * FROM inbox WHERE ${LIVE} AND seq < ?2 ${opts.unread ? "AND read_at IS NULL" : ""} ORDER BY seq DESC LIMIT ?3`,
        now,
        opts.cursor ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({ ...toNotification(row), seq: row.seq, deliveredAt: iso(row.delivered_at) })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.seq) : null,
      unreadCount: this.unreadCount(now),
    };
  }

  /** Whether `id` is a live item of this inbox. */
  async has(id: string): Promise<boolean> {
    return this.sql.exec(`SELECT 1 FROM inbox WHERE id = ?2 AND ${LIVE}`, Date.now(), id).toArray().length > 0;
  }

  /** Live connections and when the user was last seen (ms), for presence. */
  async presence(): Promise<{ online: boolean; connections: number; lastSeenAt: string | null }> {
    const connections = this.ctx.getWebSockets().length;
    const lastSeen = this.meta("lastSeenAt");
    return { online: connections > 0, connections, lastSeenAt: connections > 0 ? new Date().toISOString() : iso(lastSeen || null) };
  }

  /** Reports delivery-state changes to D1 through the receipts queue (D1 mirrors the inbox). */
  private report(status: ReceiptStatus, ids: string[], at: number): void {
    if (ids.length === 0) return;
    this.ctx.waitUntil(
      sendPacked<string, ReceiptMessage>(this.env.RECEIPTS, ids, (chunk) => ({ kind: "receipts", status, at, ids: chunk })).catch((error) =>
        console.error(JSON.stringify({ level: "error", msg: "receipt enqueue failed", status, count: ids.length, error: String(error) })),
      ),
    );
  }
}

function toNotification(row: Row): InboxNotification {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    priority: row.priority,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    readAt: iso(row.read_at),
  };
}
