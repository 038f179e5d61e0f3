/**
 * UserInbox: one Durable Object per user (docs/protocol.md; seed problem: offline messages lost and
 * receipts shown wrong). It is the source of truth for the user's in-app inbox:
 *
 * - it assigns `seq`, strictly increasing per user, to every event: a new notification, an
 *   edit, a recall (src/inbox/events.ts);
 * - it stores every item until it expires or its retention ends (30 days after arrival, 7 after
 *   it was read; per-user caps on items and sockets: src/inbox/limits.ts), so a device
 *   that was offline gets everything; the alarm removes items at that time (src/inbox/schema.ts);
 * - an item becomes `delivered` only when a device acks it (cumulative ack), never on send;
 * - each socket has a cursor (`sentSeq`) and a window of unacked frames: frames always go out
 *   in `seq` order, and a slow device neither blocks the others nor loses anything;
 * - every change D1 mirrors (delivered, read, expired, recalled, presence) goes through a
 *   durable outbox to the receipts queue (src/inbox/mirror.ts);
 * - each socket has a frame budget; a device flooding frames is told `rate_limited` and closed
 *   with 4008, and nobody else notices (src/inbox/frame-budget.ts);
 * - a socket is closed with 4001 when its user token expires, by the alarm (src/inbox/token-expiry.ts);
 * - every change of an item's feed state (seen, read, archived, snoozed) is an event with its own
 *   seq, and a snooze ends by the alarm under a new seq (src/inbox/feed.ts);
 * - Server-Sent Events streams get the same frames as sockets, from the same send path, within
 *   the same window, and count against the same cap (src/inbox/sse.ts).
 *
 * Sockets use the Hibernation API: the runtime keeps them open while the object is evicted from
 * memory, and per-socket state lives in the socket's serialized attachment, so it survives.
 * Pings are answered by the runtime's auto-response without waking the object. The socket and
 * stream plumbing — state, windows, the send path, frame budgets — is src/inbox/connections.ts;
 * this class keeps the RPC surface, the storage and the alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";
import { FeedCountCache } from "./count-cache";
import { ISO_DELIVERED_AT, LIVE, NOTIFICATION_JSON } from "./events";
import { PING_FRAME, PONG_FRAME, type FeedAction, type InboxNotification, type ServerFrame } from "./frames";
import { changeState, feedCounts, feedFilterSql, nextSnoozeEnd, type FeedChange, type FeedCounts, type FeedFilter } from "./feed";
import { Connections, type Connection } from "./connections";
import { Mirror, PRESENCE_REFRESH_MS } from "./mirror";
import { editItem, evictOverCap, nextPurgeAt, purgeDue, recallItems, storeItems } from "./items";
import { AlarmSchedule } from "./alarm-schedule";
import { inboxLimits, type InboxLimits } from "./limits";
import { advanceAckedSeq, openInbox, type Meta } from "./schema";
import { ApiError, problemResponse } from "../lib/errors";
import { closeExpiredSockets, tokenExpiresAt } from "./token-expiry";
import { redeemTicket, ticketOf } from "./tickets";
import { countDurableObjectEvent, traced, tracedSql, tracedStorage } from "../lib/cost-trace";

/** A notification handed to the inbox. Times in ms since the epoch. */
export interface InboxItemInput {
  id: string;
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: "high" | "normal" | "low";
  createdAt: number;
  expiresAt: number | null;
  /** D1's edit counter for this content (0 for an unedited notification). */
  version?: number;
  /** The preference category (default `general`), tags and actions the feed shows (docs/api.md#feed). */
  category?: string;
  tags?: string[];
  actions?: FeedAction[];
}

/** The content of an edited notification, as D1 holds it after the edit. */
export interface InboxEdit {
  title: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  /** D1's edit counter after the edit: the inbox keeps the content with the highest. */
  version: number;
}

/** A stored inbox item as the REST inbox shows it. */
export interface InboxItem extends InboxNotification {
  seq: number;
  deliveredAt: string | null;
}

/** What a feed change answers (docs/api.md#feed-actions): the ids that changed, and the feed's exact counts after it. */
export interface FeedChangeResult {
  ids: string[];
  unreadCount: number;
  unseenCount: number;
}

const DEFAULT_WINDOW = 1000;
/** Most items one REST page returns (docs/api.md#pagination: limit ≤ 200). */
const MAX_PAGE = 200;

export class UserInbox extends DurableObject<Bindings> {
  private readonly sql: SqlStorage;
  /** `meta` in memory (the sequence counter, the delivered prefix, presence), written through. */
  private readonly meta: Meta;
  /** The feed's unread and unseen counts between changes (src/inbox/count-cache.ts). */
  private readonly countCache: FeedCountCache;
  private readonly mirror: Mirror;
  /** Retention and per-user caps (src/inbox/limits.ts). */
  private readonly limits: InboxLimits;
  /** The one alarm's schedule: removals, token expiries, the mirror, presence (src/inbox/alarm-schedule.ts). */
  private readonly schedule: AlarmSchedule;
  /** The user's open sockets and streams, and the one path that sends them frames (src/inbox/connections.ts). */
  private readonly connections: Connections;

  /**
   * Runs on every start, after an eviction or hibernation too: migrates and loads `meta` (one
   * read when current). The alarm time is read when first needed.
   */
  constructor(ctx: DurableObjectState, env: Bindings) {
    // Each is what it wraps unless COST_TRACE is "true" (src/lib/cost-trace.ts).
    super(ctx, traced(env));
    this.sql = tracedSql(ctx.storage.sql, env);
    this.meta = openInbox(this.sql);
    this.countCache = new FeedCountCache(this.sql);
    this.limits = inboxLimits(env);
    this.mirror = new Mirror(this.sql, this.meta, this.env.RECEIPTS, this.limits.mirrorCoalesceMs);
    this.schedule = new AlarmSchedule(tracedStorage(ctx.storage, env));
    this.connections = new Connections(ctx, this.sql, this.meta, this.countCache, {
      connectionsChanged: (count, now) => this.connectionsChanged(count, now),
      settle: (now) => this.settle(now),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** The server's window (`INBOX_WINDOW`, default 1,000); a device may ask for less when it connects. */
  private get window(): number {
    const n = Number(this.env.INBOX_WINDOW);
    return Number.isInteger(n) && n > 0 ? n : DEFAULT_WINDOW;
  }

  /** Exact count of live unread items in the feed (archived and snoozed ones are not counted: docs/api.md#feed-counts). */
  unreadCount(now = Date.now()): number {
    return this.countCache.get(now).unread;
  }

  /** The feed's exact counts (docs/api.md#feed-counts): unread, unseen and total, each of a tag too. */
  async counts(): Promise<FeedCounts> {
    return feedCounts(this.sql, Date.now());
  }

  /**
   * Stores items in the given order (each new id gets the next `seq`) and pushes them to every
   * connected device within its window. Idempotent: a known id keeps its seq and content, a
   * recalled id is refused, and an edit that arrived before its item is applied to it. Expired
   * items are dropped. Past the per-user cap (`INBOX_MAX_ITEMS`), the items read longest ago make
   * room; unread ones are never evicted. A redelivery whose ids are all held — a dispatch retry, the sweeper, the
   * queue after the HTTP fast path (src/notifications/dispatch.ts) — returns after one read.
   * @param reportSent ids of `items` the caller sends no dispatch message for (the fast path,
   *        src/notifications/dispatch.ts `deliverFast`): each one the inbox holds is reported
   *        `sent`, for D1 to mark it dispatched (src/inbox/mirror.ts).
   * @returns the seq of every item held, new or known.
   */
  async deliver(userId: string, items: InboxItemInput[], reportSent: readonly string[] = []): Promise<{ id: string; seq: number }[]> {
    this.meta.set("userId", userId);
    const held = this.sql
      .exec<{ id: string; seq: number }>(`SELECT id, seq FROM inbox WHERE id IN (SELECT value FROM json_each(?1))`, JSON.stringify(items.map((i) => i.id)))
      .toArray();
    const now = Date.now();
    const stored = held.length === new Set(items.map((i) => i.id)).size ? [] : storeItems(this.sql, this.meta, this.countCache, items, now, this.limits.retentionMs);
    const all = [...held, ...stored.map(({ id, seq }) => ({ id, seq }))];
    const report = new Set(reportSent);
    const handedOver = all.filter((item) => report.has(item.id)).map((item) => item.id);
    this.mirror.handedOver(handedOver, now);
    if (stored.length > 0) {
      evictOverCap(this.sql, this.meta, this.countCache, this.limits.maxItems, now);
      this.schedule.removalDue(Math.min(...stored.map((item) => item.purgeAt)));
      this.connections.pumpAll(now);
    }
    if (stored.length > 0 || handedOver.length > 0) await this.settle(now);
    return all;
  }

  /**
   * Recalls notifications (docs/api.md#recall-and-edit `DELETE /v1/notifications/{id}`): their content is erased,
   * devices that were sent them get a `recalled` frame (with the new unread count), nobody is
   * sent them again, and D1 is told `recalled`. An id not held yet is remembered, so a dispatch
   * racing the recall cannot deliver it afterwards. Idempotent.
   * @returns the ids that were live in the inbox and are recalled now.
   */
  async recall(ids: string[]): Promise<{ recalled: string[] }> {
    const now = Date.now();
    const recalled = recallItems(this.sql, this.meta, this.countCache, ids, now, this.limits.retentionMs);
    // Ids not held yet became tombstones, removed with the retention.
    this.schedule.removalDue(now + this.limits.retentionMs);
    this.mirror.receipts("recalled", [...new Set(ids)], now);
    this.connections.pumpAll(now);
    await this.settle(now);
    return { recalled };
  }

  /**
   * Replaces a notification's content (docs/api.md#recall-and-edit `PATCH /v1/notifications/{id}`) when `edit` is
   * newer than what the inbox holds; devices that were sent it get an `updated` frame, the others
   * will only ever see the new version. An edit of an item not held yet is kept for its arrival.
   * @returns whether a live item changed now.
   */
  async edit(id: string, edit: InboxEdit): Promise<{ updated: boolean }> {
    const now = Date.now();
    const updated = editItem(this.sql, this.meta, id, edit, now, this.limits.retentionMs);
    // An edit of an item not held yet waits in `pending_changes` until the retention ends.
    if (!updated) this.schedule.removalDue(now + this.limits.retentionMs);
    if (updated) this.connections.pumpAll(now);
    await this.settle(now);
    return { updated };
  }

  /**
   * WebSocket upgrade, forwarded by the Worker after it checked the user token (src/routes/me.ts).
   * Headers: `x-herald-user-id`; optional `x-herald-since` (resume point) and `x-herald-window`
   * (a smaller window the device asks for; the server's `INBOX_WINDOW` is the most it gets);
   * the ticket headers of src/inbox/tickets.ts when it came with a connect ticket, which is
   * redeemed here — one used before → 401 `unauthorized`. A user already holding `INBOX_MAX_SOCKETS` open sockets (default 100) is refused with 409
   * `conflict` before the upgrade. With {@link SSE_HEADER} (src/routes/stream.ts) the answer is a
   * Server-Sent Events stream instead of a socket, with the same frames, window and cap
   * (docs/protocol.md#server-sent-events).
   */
  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get("x-herald-user-id");
    const sse = request.headers.get(SSE_HEADER) === "1";
    if (!userId || (!sse && request.headers.get("upgrade")?.toLowerCase() !== "websocket")) {
      return new Response("Expected a WebSocket upgrade for a user", { status: 426 });
    }
    // Streams count against the cap as sockets do (docs/data-model.md#per-user-caps).
    if (this.connections.count() >= this.limits.maxSockets) {
      return problemResponse(
        new ApiError("conflict", `This user already has ${this.limits.maxSockets} open connections, the most one user may hold; close one before opening another.`),
      );
    }
    const now = Date.now();
    // A ticket opens one socket (src/inbox/tickets.ts): this object is the one place that sees
    // every use of this user's tickets, one request at a time.
    const ticket = ticketOf(request.headers);
    if (ticket && !redeemTicket(this.sql, ticket, now)) {
      return problemResponse(new ApiError("unauthorized", "This connect ticket was used already; ask for a new one (`POST /v1/me/connect-tickets`)."));
    }
    this.meta.set("userId", userId);
    const sinceHeader = request.headers.get("x-herald-since");
    const requestedWindow = Number(request.headers.get("x-herald-window") ?? Number.NaN);
    const newest = this.meta.number("seq");
    // Without `since`, replay everything no device has acked: acks are cumulative, so the
    // delivered items always form a prefix and `ackedSeq` marks its end.
    const cursor = sinceHeader === null ? this.meta.number("ackedSeq") : Math.min(Number(sinceHeader), newest);
    const window = Number.isInteger(requestedWindow) && requestedWindow > 0 ? Math.min(requestedWindow, this.window) : this.window;
    const state = Connections.initialState(userId, cursor, window, now, tokenExpiresAt(request.headers));
    // A stream times its own token expiry; a hibernatable socket needs the alarm for it.
    if (!sse) this.schedule.tokenExpiryDue(state.tokenExpiresAt ?? null);
    const hello: ServerFrame = { type: "hello", userId, connectionId: state.connectionId, lastSeq: newest, unreadCount: this.unreadCount(now) };
    const response = this.connections.open(state, hello, sse, now);
    await this.settle(now);
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    countDurableObjectEvent(this.env, "webSocketMessage");
    const frame = await this.connections.receive(ws, message);
    if (!frame) return;
    switch (frame.type) {
      case "ack":
        return this.ack(ws, frame.seq);
      case "read":
        await this.markRead(frame.ids);
        return;
      case "seen":
        await this.changeFeed({ action: "seen" }, { ids: frame.ids });
        return;
    }
  }

  /**
   * A device left — cleanly or not: the runtime calls this for a dropped connection too (then
   * with 1006), waking the object if it hibernates, so presence is reported either way.
   */
  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.connections.closed(ws, code);
    await this.settle(Date.now());
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.connections.left(ws);
    await this.settle(Date.now());
  }

  /**
   * Removes items past their expiry or retention (reporting `expired` for those no device
   * received), drops old tombstones, renews or corrects presence, retries the D1 mirror, and
   * schedules itself for the next of these. Runs only when there is something to do — never a
   * scan per request.
   */
  override async alarm(): Promise<void> {
    countDurableObjectEvent(this.env, "alarm");
    const now = Date.now();
    this.mirror.receipts("expired", purgeDue(this.sql, this.meta, this.countCache, now), now);
    // A snooze that ended brings its item back under a new seq (docs/protocol.md#feed-state).
    if (changeState(this.sql, this.meta, this.countCache, { action: "unsnooze" }, { snoozeEnded: true }, now, this.limits).length > 0) this.connections.pumpAll(now);
    // Before counting connections: a socket closed here no longer counts.
    const tokenExpiryAt = closeExpiredSockets(this.connections.socketExpiries(), now);
    this.schedule.fired(nextPurgeAt(this.sql), tokenExpiryAt, nextSnoozeEnd(this.sql));
    const userId = this.meta.text("userId");
    const connections = this.connections.count();
    // Online: renew the D1 lease when half of the refresh interval has passed (this alarm also
    // runs for purges and mirror retries). Reported online but no socket left: the sockets went
    // without a close event (the object was reset), so correct D1 now.
    const renew = connections > 0 && now - this.mirror.reportedAt >= PRESENCE_REFRESH_MS / 2;
    if (userId !== null && (renew || connections !== this.mirror.reportedConnections)) this.mirror.presence(userId, connections, now);
    // Also sends what an earlier instance left unsent.
    await this.mirror.flush();
    await this.schedule.replace(this.nextAlarm(Date.now()));
  }

  /** The user's count of open connections changed (a connect, a leave): the user was seen now, and presence learns the count. */
  private connectionsChanged(count: number, now: number): void {
    this.meta.set("lastSeenAt", now);
    const userId = this.meta.text("userId");
    if (userId !== null) this.mirror.presence(userId, count, now);
  }

  /**
   * Cumulative ack: the device holds every frame with seq ≤ `seq`. Marks those items delivered
   * (once), reports them, and sends the next frames the freed window allows. An ack beyond what
   * this socket was sent is refused with an error frame and changes nothing.
   */
  private async ack(ws: WebSocket, seq: number): Promise<void> {
    const refused = await this.ackOn(ws, seq);
    if (refused) this.connections.send(ws, { type: "error", code: "invalid_ack", detail: refused });
  }

  /**
   * Cumulative ack over REST (docs/protocol.md#server-sent-events): how a Server-Sent Events
   * client — or any device — acks, naming its connection (`connectionId` from `hello`).
   * @returns the connection's acked seq, or why the ack was refused: `not_found` (no such open
   *          connection) or `invalid_ack` (a seq it was never sent), with a detail.
   */
  async ackConnection(connectionId: string, seq: number): Promise<{ ackedSeq: number } | { refused: "not_found" | "invalid_ack"; detail: string }> {
    const connection = this.connections.find(connectionId);
    if (!connection) return { refused: "not_found", detail: `No open connection ${connectionId} of this user; acks name the connectionId of a connection's hello.` };
    const refused = await this.ackOn(connection, seq);
    return refused ? { refused: "invalid_ack", detail: refused } : { ackedSeq: this.connections.ackedSeq(connection) };
  }

  /** The ack itself, for a socket or a stream. @returns why it was refused, or null. */
  private async ackOn(to: Connection, seq: number): Promise<string | null> {
    const refused = this.connections.acked(to, seq);
    if (refused) return refused;
    const now = Date.now();
    // Delivered items always form a prefix ending at the inbox-wide `ackedSeq`. An ack at or
    // below the socket's resume point still counts: a device whose ack was lost with its
    // previous connection re-acks after resuming with `since`.
    const delivered = this.meta.number("ackedSeq");
    if (seq > delivered) {
      // Only the range past the delivered prefix can change: an index range, not a scan from 1.
      const items = this.sql
        .exec<{ id: string; seq: number }>(`UPDATE inbox SET delivered_at = ?1, updated_at = ?1 WHERE seq > ?2 AND seq <= ?3 AND delivered_at IS NULL RETURNING id, seq`, now, delivered, seq)
        .toArray();
      // An ack that ends on an item is shown by the item itself (src/inbox/schema.ts).
      advanceAckedSeq(this.meta, seq, items.some((item) => item.seq === seq));
      this.mirror.receipts("delivered", items.map((item) => item.id), now);
    }
    this.connections.pump(to, now);
    await this.settle(now);
    return null;
  }

  /**
   * Marks items read (idempotent): each takes a seq for its `state` event, every device also gets a
   * `read` frame with the new exact unread count, and D1 is told. A read item leaves the inbox
   * `INBOX_READ_RETENTION_DAYS` after it was read (default 7), or at its expiry or arrival
   * retention if sooner.
   * @returns ids that changed and the unread count after.
   */
  async markRead(ids: string[]): Promise<{ ids: string[]; unreadCount: number }> {
    const { ids: changed, unreadCount } = await this.changeFeed({ action: "read" }, { ids });
    return { ids: changed, unreadCount };
  }

  /**
   * Marks read every live item with seq ≤ `upToSeq`; items that arrive later (higher seq) stay
   * unread, so there is no race with arrivals (docs/api.md#inbox-over-rest).
   */
  async readAll(upToSeq: number): Promise<{ ids: string[]; unreadCount: number }> {
    const { ids, unreadCount } = await this.changeFeed({ action: "read" }, { upToSeq });
    return { ids, unreadCount };
  }

  /**
   * Changes the feed state of items, by id or up to a seq (docs/api.md#feed-actions): seen, read,
   * unread, archive, unarchive, snooze until a time. Idempotent: items already in that state do not
   * change. Each changed item takes its own seq, and every connected device is sent its `state`
   * frame in seq order (replayed with `since`, acked like the rest). A read also sends the `read`
   * frame and is reported to D1; read and archive shorten the item's retention to
   * `INBOX_READ_RETENTION_DAYS`, unread and unarchive give the longer one back. A snooze hides the
   * item until `until` (ms), when the alarm brings it back under a new seq.
   */
  async changeFeed(change: FeedChange, target: { ids: string[] } | { upToSeq: number }): Promise<FeedChangeResult> {
    const now = Date.now();
    const ids = changeState(this.sql, this.meta, this.countCache, change, target, now, this.limits).map((c) => c.id);
    const counts = this.countCache.get(now);
    if (ids.length > 0) {
      if (change.action === "read" || change.action === "archive") this.schedule.removalDue(now + this.limits.readRetentionMs);
      if (change.action === "snooze") this.schedule.snoozeEndDue(change.until);
      if (change.action === "read") {
        const frame = JSON.stringify({ type: "read", ids, unreadCount: counts.unread } satisfies ServerFrame);
        this.connections.broadcast(frame);
        this.mirror.receipts("read", ids, now);
      }
      this.connections.pumpAll(now);
      await this.settle(now);
    }
    return { ids, unreadCount: counts.unread, unseenCount: counts.unseen };
  }

  /**
   * One page of the inbox, newest first. `cursor` is the seq to continue below. Filters
   * (docs/api.md#feed): `unread`, `archived` (default `exclude`), `tag`, `category`; snoozed items are
   * left out until their snooze ends.
   * @param limit 1..200 (docs/api.md#pagination).
   */
  async list(opts: FeedFilter & { limit?: number; cursor?: number }): Promise<{ items: InboxItem[]; nextCursor: string | null; unreadCount: number }> {
    const now = Date.now();
    const limit = Math.min(MAX_PAGE, Math.max(1, opts.limit ?? 50));
    // Filters are bounded like the counts (src/inbox/feed.ts): the walk down `seq` stops at the page.
    const rows = this.sql
      .exec<{ seq: number; notification: string; delivered_at: string | null }>(
        `SELECT seq, ${NOTIFICATION_JSON} AS notification, ${ISO_DELIVERED_AT} AS delivered_at
         FROM inbox WHERE ${LIVE} AND seq < ?2 ${feedFilterSql(opts)} ORDER BY seq DESC LIMIT ?3`,
        now,
        opts.cursor ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
        opts.tag ?? null,
        opts.category ?? null,
      )
      .toArray();
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({ ...(JSON.parse(row.notification) as InboxNotification), seq: row.seq, deliveredAt: row.delivered_at })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.seq) : null,
      unreadCount: this.unreadCount(now),
    };
  }

  /** Whether `id` is a live item of this inbox. */
  async has(id: string): Promise<boolean> {
    return this.sql.exec(`SELECT 1 FROM inbox WHERE id = ?2 AND ${LIVE}`, Date.now(), id).toArray().length > 0;
  }

  /**
   * One live item's state, for a workflow step's `if` (docs/api.md#workflows): when it was read and
   * when a device first acked it (ms since the epoch; null while not), or null when the inbox does
   * not hold it live (never delivered, recalled, expired or purged).
   */
  async itemState(id: string): Promise<{ readAt: number | null; deliveredAt: number | null } | null> {
    const row = this.sql
      .exec<{ read_at: number | null; delivered_at: number | null }>(`SELECT read_at, delivered_at FROM inbox WHERE id = ?2 AND ${LIVE}`, Date.now(), id)
      .toArray()[0];
    return row ? { readAt: row.read_at, deliveredAt: row.delivered_at } : null;
  }

  /**
   * Exact presence from the sockets themselves (they survive hibernation): open connections, and
   * when the user was last seen (now while online, else the last connect or disconnect).
   */
  async presence(): Promise<{ online: boolean; connections: number; lastSeenAt: string | null }> {
    const connections = this.connections.count();
    const lastSeen = this.meta.number("lastSeenAt");
    return { online: connections > 0, connections, lastSeenAt: connections > 0 ? new Date().toISOString() : lastSeen ? new Date(lastSeen).toISOString() : null };
  }

  /**
   * After a change: makes sure the alarm will run for the next removal, presence refresh or mirror
   * backstop (awaited, so it is durable before the caller answers), then flushes the mirror in the
   * background, coalesced with the changes that follow within MIRROR_COALESCE_MS
   * (src/inbox/mirror.ts) — if that fails, the alarm retries it soon; if the object is reset
   * before or during the send, the backstop sends it.
   */
  private async settle(now: number): Promise<void> {
    await this.schedule.ensureBy(this.nextAlarm(now));
    if (this.mirror.pending) this.mirror.flushSoon(() => this.flushMirror());
  }

  /** Flushes the mirror, then keeps the alarm due for what is left. Never throws: a failure is logged and left to the alarm. */
  private async flushMirror(): Promise<void> {
    await this.mirror.flush();
    // After a failure the mirror is due sooner: within MIRROR_RETRY_MS.
    await this.schedule.ensureBy(this.nextAlarm(Date.now())).catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "inbox alarm not set after a mirror flush", error: String(error) }));
    });
  }

  /** When the alarm has work next (ms), or null when it has none: a removal, a token expiry, the mirror, a presence refresh. */
  private nextAlarm(now: number): number | null {
    return this.schedule.next([this.mirror.dueAt(now), this.mirror.reportedConnections > 0 ? this.mirror.reportedAt + PRESENCE_REFRESH_MS : null]);
  }
}

/** Set by the stream route (src/routes/stream.ts): the request opens a Server-Sent Events stream, not a socket. */
export const SSE_HEADER = "x-herald-sse";

/** The stub of `userId`'s inbox (one object per user, named by the user id). */
export function inboxOf(env: Pick<Bindings, "USER_INBOX">, userId: string): DurableObjectStub<UserInbox> {
  return env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));
}
