/**
 * The inbox's outbox to D1 (docs/glossary.md#mirror: D1 mirrors the inbox asynchronously, in batches): delivery
 * states (delivered, read, expired, recalled) and presence go to the receipts queue, and D1
 * converges on what the inbox holds.
 *
 * A report is durable in the object's own SQLite — in the same storage transaction as the state
 * change it describes — before it is sent to the queue. `delivered` and `read`, the reports of
 * nearly every item, need no row of their own: the item already holds them (`delivered_at` under
 * the acked prefix `ackedSeq`, `read_at` with the `state_seq` its change took), and the
 * flush sends the items past its cursor (the `ackedSeq` and `stateSeq` D1 was last sent up to),
 * found along the primary key and `inbox_states`, then moves the cursor — not two rows written and
 * one deleted per item (docs/cost.md). The cursor is kept in memory and written to
 * `meta.mirrored` only every {@link CURSOR_SAVE_SEQS} seqs it moves: an instance that wakes after
 * hibernation or eviction starts from the saved one and sends those few reports again, which
 * costs D1 reads, never a write, and never loses one (a report not yet sent keeps the mirror
 * pending and the alarm due, whatever the cursor says). The rarer `expired` and
 * `recalled` wait in `outbox` rows until the queue took them. A failed or interrupted send (a
 * queue error, an eviction mid-send) is retried by the inbox alarm, so no report is lost, and none
 * needs a D1 scan to be found again (transactional outbox). Sending twice is harmless: the
 * consumer's updates are monotonic, so a cursor that lags (an item read again after an archive,
 * a crash between the send and the cursor's write) only repeats a report.
 *
 * `sent` — the HTTP fast path handed an in-app-only notification to the inbox, and sent no
 * dispatch message for it (src/notifications/dispatch.ts) — is kept in memory only: a report lost
 * with the instance leaves the notification undispatched in D1, and the sweeper dispatches it
 * again after a minute (docs/api.md#sweepers); the inbox dedupes it, and the dispatch consumer then
 * records it. Durable storage would cost rows on every notification to save a rare re-dispatch.
 *
 * The inbox sends {@link MIRROR_COALESCE_MS} after the change that made a report due
 * ({@link Mirror.flushSoon}), so a burst travels in one message: an item's `sent` and the ack its
 * device sends a few ms later, a device's acks of a page. It keeps its alarm due by
 * {@link Mirror.dueAt}: within {@link MIRROR_RETRY_MS} of a failed send, and otherwise within
 * {@link MIRROR_BACKSTOP_MS} — the presence refresh's interval, so while a device is online (when
 * nearly every report arises: acks, reads) the presence alarm is the backstop and a report costs
 * no alarm of its own.
 */
import { sendPacked, chunkByBytes } from "../lib/queue";
import type { MirrorItem, PresenceReport, Receipt, ReceiptMessage, ReceiptStatus } from "../queues/receipts";
import type { Meta } from "./schema";

/**
 * How long a flush waits after the first change of a burst (ms), by default
 * (`INBOX_MIRROR_COALESCE_MS`, src/inbox/limits.ts): long enough for a connected device's ack to
 * join its item's `sent`, short against the sweeper's minute (docs/cost.md).
 */
export const MIRROR_COALESCE_MS = 250;
/** How soon the alarm retries a flush that failed (ms). */
export const MIRROR_RETRY_MS = 5_000;
/** While a user is online, the inbox re-reports presence this often (ms)… */
export const PRESENCE_REFRESH_MS = 5 * 60_000;
/** …and each report counts as online in D1 for this long (ms), so a missed refresh is tolerated. */
export const PRESENCE_LEASE_MS = 3 * PRESENCE_REFRESH_MS;
/** How soon the alarm sends reports whose send was cut off without an error, by a reset of the object mid-send (ms). */
export const MIRROR_BACKSTOP_MS = PRESENCE_REFRESH_MS;

/** Most outbox rows one flush round sends; a bigger backlog goes in further rounds. */
const FLUSH_ROWS = 5_000;
/**
 * How far (in seqs, acked plus state) the in-memory cursor may run ahead of `meta.mirrored`
 * before it is saved: at most this many reports are sent again after a wake, to spare one row per
 * flush.
 */
export const CURSOR_SAVE_SEQS = 64;
/** Receipts per queue item, in bytes of JSON: several items fit one 100 KB message. */
const ITEM_BYTES = 30 * 1024;

/** Where the flush sent D1 up to: the acked prefix (`ackedSeq`) and the state seq (`stateSeq`), counters of src/inbox/schema.ts. */
interface Cursor {
  ackedSeq: number;
  stateSeq: number;
}

/** The outbox of one inbox: `receipts`/`presence` record (synchronously, durably), `flush` sends. */
export class Mirror {
  #flushing: Promise<void> | null = null;
  #again = false;
  /**
   * Whether reports recorded by this instance, or found by its last flush, wait to be sent. What an
   * earlier instance left unsent is covered by the alarm it set, whose run flushes it.
   */
  #pending = false;
  /** Counts reports recorded, so a flush knows whether more came in while it was sending. */
  #recorded = 0;
  /** When the last flush failed (ms), null after one that got through. */
  #failedAt: number | null = null;
  /** Where this instance sent D1 up to; null until its first flush reads `meta.mirrored`. */
  #sent: Cursor | null = null;
  /** `sent` reports not sent yet, in memory only (see the module comment). */
  #handedOver: Receipt[] = [];
  /** The coalescing timer of {@link Mirror.flushSoon}, while one is set. */
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** @param coalesceMs how long {@link Mirror.flushSoon} waits (ms; {@link MIRROR_COALESCE_MS} by default). */
  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: Meta,
    private readonly queue: Queue,
    private readonly coalesceMs = MIRROR_COALESCE_MS,
  ) {}

  /**
   * Records that `ids` reached `status` at `at` (ms). Durable with the caller's own writes:
   * `delivered` and `read` must come with the items' own change (`delivered_at` and
   * `ackedSeq`; `read_at` and `state_seq`), which is what the flush sends; the others are
   * written to `outbox`.
   */
  receipts(status: ReceiptStatus, ids: string[], at: number): void {
    if (ids.length === 0) return;
    if (status !== "delivered" && status !== "read") {
      this.sql.exec(
        `INSERT INTO outbox (id, status, at) SELECT value, ?2, ?3 FROM json_each(?1) WHERE true ON CONFLICT (id, status) DO NOTHING`,
        JSON.stringify(ids),
        status,
        at,
      );
    }
    this.#pending = true;
    this.#recorded++;
  }

  /**
   * Records that the HTTP fast path handed `ids` to the inbox at `at` (ms), for D1 to mark them
   * dispatched and `sent`: in memory only (see the module comment).
   */
  handedOver(ids: readonly string[], at: number): void {
    if (ids.length === 0) return;
    for (const id of ids) this.#handedOver.push([id, at]);
    this.#pending = true;
    this.#recorded++;
  }

  /** Records the user's live connection count at `at` (ms); only the newest unsent report is kept. */
  presence(userId: string, connections: number, at: number): void {
    const version = this.meta.number("presenceVersion") + 1;
    const report: PresenceReport = { userId, connections, version, at, leaseUntil: at + PRESENCE_LEASE_MS };
    this.meta.set("presenceVersion", version);
    this.meta.set("presenceConnections", connections);
    this.meta.set("presenceAt", at);
    this.meta.set("presencePending", JSON.stringify(report));
    this.#pending = true;
    this.#recorded++;
  }

  /** The connection count last reported (what D1 believes, or will once the report lands). */
  get reportedConnections(): number {
    return this.meta.number("presenceConnections");
  }

  /** When presence was last reported (ms; 0 never). */
  get reportedAt(): number {
    return this.meta.number("presenceAt");
  }

  /** Whether anything waits to be sent (see `#pending`). */
  get pending(): boolean {
    return this.#pending;
  }

  /** By when the alarm must run to send what is pending (ms), or null when nothing is; see the module comment. */
  dueAt(now: number): number | null {
    if (!this.pending) return null;
    return this.#failedAt === null ? now + MIRROR_BACKSTOP_MS : this.#failedAt + MIRROR_RETRY_MS;
  }

  /**
   * Runs `flush` (the inbox's: this mirror's {@link Mirror.flush}, then its alarm) once,
   * `coalesceMs` after the first call of a burst; later calls join it. A timer keeps
   * the object from hibernating until it fires; an eviction before then leaves the reports to the
   * alarm (durable ones) or the sweeper (`sent`).
   */
  flushSoon(flush: () => Promise<void>): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void flush();
    }, this.coalesceMs);
  }

  /**
   * Sends everything pending. Concurrent calls share one flush (and one more round for what
   * arrived meanwhile), so a burst of acks becomes a few messages, not one each. Never throws: a
   * failure is logged and left to the alarm.
   */
  flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      try {
        do {
          this.#again = false;
          await this.#flushRounds();
        } while (this.#again);
        this.#failedAt = null;
      } catch (error) {
        this.#failedAt = Date.now();
        console.error(JSON.stringify({ level: "error", msg: "inbox mirror flush failed, the alarm retries", error: String(error) }));
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  /** The cursor saved in `meta.mirrored` (0, 0 for an inbox that never saved one). */
  #saved(): Cursor {
    const stored = this.meta.text("mirrored");
    return stored === null ? { ackedSeq: 0, stateSeq: 0 } : (JSON.parse(stored) as Cursor);
  }

  /** Moves the cursor to `to` after a send; saves it once it ran {@link CURSOR_SAVE_SEQS} past the saved one. */
  #advance(to: Cursor): void {
    this.#sent = to;
    const saved = this.#saved();
    if (to.ackedSeq - saved.ackedSeq + (to.stateSeq - saved.stateSeq) >= CURSOR_SAVE_SEQS) this.meta.set("mirrored", JSON.stringify(to));
  }

  /**
   * `delivered` and `read` receipts past the cursor, at most {@link FLUSH_ROWS} of each, and the
   * cursor after them (see the module comment).
   */
  #itemReceipts(): { delivered: Receipt[]; read: Receipt[]; cursor: Cursor } {
    const from = (this.#sent ??= this.#saved());
    const cursor = { ackedSeq: this.meta.number("ackedSeq"), stateSeq: this.meta.number("stateSeq") };
    const take = (sql: string, after: number, upTo: number) => (upTo > after ? this.sql.exec<{ n: number; id: string; at: number }>(sql, after, upTo, FLUSH_ROWS).toArray() : []);
    const delivered = take(`SELECT seq AS n, id, delivered_at AS at FROM inbox WHERE seq > ?1 AND seq <= ?2 AND delivered_at IS NOT NULL ORDER BY seq LIMIT ?3`, from.ackedSeq, cursor.ackedSeq);
    const read = take(`SELECT state_seq AS n, id, read_at AS at FROM inbox WHERE state_seq > ?1 AND state_seq <= ?2 AND read_at IS NOT NULL ORDER BY state_seq LIMIT ?3`, from.stateSeq, cursor.stateSeq);
    // A full page stops the cursor at its last item: the next round takes the rest.
    if (delivered.length === FLUSH_ROWS) cursor.ackedSeq = delivered[FLUSH_ROWS - 1]!.n;
    if (read.length === FLUSH_ROWS) cursor.stateSeq = read[FLUSH_ROWS - 1]!.n;
    const receipts = (rows: { id: string; at: number }[]) => rows.map((r): Receipt => [r.id, r.at]);
    return { delivered: receipts(delivered), read: receipts(read), cursor };
  }

  async #flushRounds(): Promise<void> {
    for (;;) {
      const recorded = this.#recorded;
      const rows = this.sql.exec<{ rowid: number; id: string; status: ReceiptStatus; at: number }>(`SELECT rowid, id, status, at FROM outbox ORDER BY rowid LIMIT ?`, FLUSH_ROWS).toArray();
      const items = this.#itemReceipts();
      const cursorMoved = JSON.stringify(items.cursor) !== JSON.stringify(this.#sent);
      const presence = this.meta.text("presencePending");
      const handed = this.#handedOver.slice(0, FLUSH_ROWS);
      if (rows.length === 0 && presence === null && !cursorMoved && handed.length === 0) {
        this.#pending = false;
        return;
      }
      this.#pending = true;

      const byStatus = new Map<ReceiptStatus, Receipt[]>([
        ["sent", handed],
        ["delivered", items.delivered],
        ["read", items.read],
      ]);
      for (const row of rows) {
        const receipts = byStatus.get(row.status) ?? [];
        receipts.push([row.id, row.at]);
        byStatus.set(row.status, receipts);
      }
      const sent: MirrorItem[] = [...byStatus].flatMap(([status, receipts]) =>
        chunkByBytes(receipts, ITEM_BYTES).map((chunk): MirrorItem => ({ type: "status", status, receipts: chunk })),
      );
      if (presence !== null) sent.push({ type: "presence", ...(JSON.parse(presence) as PresenceReport) });
      if (sent.length > 0) await sendPacked<MirrorItem, ReceiptMessage>(this.queue, sent, (chunk) => ({ kind: "receipts", items: chunk }));

      // Reports recorded during the send were appended after these.
      this.#handedOver.splice(0, handed.length);
      // Rows recorded during the send have higher rowids: SQLite gives a new row MAX(rowid) + 1.
      if (rows.length > 0) this.sql.exec(`DELETE FROM outbox WHERE rowid <= ?`, rows[rows.length - 1]!.rowid);
      // Acks and reads during the send moved `ackedSeq`/`stateSeq` past this cursor: still pending.
      if (cursorMoved) this.#advance(items.cursor);
      // A newer report recorded during the send stays pending.
      if (presence !== null && this.meta.text("presencePending") === presence) this.meta.delete("presencePending");
      if (rows.length < FLUSH_ROWS && items.delivered.length < FLUSH_ROWS && items.read.length < FLUSH_ROWS && handed.length < FLUSH_ROWS) {
        // Reports recorded during the send are still pending, for the next round or the alarm.
        if (this.#recorded === recorded) this.#pending = false;
        return;
      }
    }
  }
}
