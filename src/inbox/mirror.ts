/**
 * The inbox's outbox to D1 (SPEC §1: D1 mirrors the inbox asynchronously, in batches): delivery
 * states (delivered, read, expired, recalled) and presence go to the receipts queue, and D1
 * converges on what the inbox holds.
 *
 * A report is first written to the object's own SQLite — in the same storage transaction as the
 * state change it describes — and only then sent to the queue; rows leave the outbox once the
 * queue accepted them. A failed or interrupted send (a queue error, an eviction mid-send) is
 * retried by the inbox alarm, so no report is lost, and none needs a D1 scan to be found again
 * (transactional outbox). Sending twice is harmless: the consumer's updates are monotonic.
 */
import { sendPacked, chunkByBytes } from "../lib/queue";
import type { MirrorItem, PresenceReport, Receipt, ReceiptMessage, ReceiptStatus } from "../queues/receipts";
import { deleteMeta, metaNumber, metaText, setMeta } from "./schema";

/** How soon the alarm retries a flush that did not get through (ms). */
export const MIRROR_RETRY_MS = 5_000;
/** While a user is online, the inbox re-reports presence this often (ms)… */
export const PRESENCE_REFRESH_MS = 5 * 60_000;
/** …and each report counts as online in D1 for this long (ms), so a missed refresh is tolerated. */
export const PRESENCE_LEASE_MS = 3 * PRESENCE_REFRESH_MS;

/** Most outbox rows one flush round sends; a bigger backlog goes in further rounds. */
const FLUSH_ROWS = 5_000;
/** Receipts per queue item, in bytes of JSON: several items fit one 100 KB message. */
const ITEM_BYTES = 30 * 1024;

/** The outbox of one inbox: `receipts`/`presence` record (synchronously, durably), `flush` sends. */
export class Mirror {
  #flushing: Promise<void> | null = null;
  #again = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue,
  ) {}

  /** Records that `ids` reached `status` at `at` (ms). Durable with the caller's own writes. */
  receipts(status: ReceiptStatus, ids: string[], at: number): void {
    if (ids.length === 0) return;
    this.sql.exec(
      `INSERT INTO outbox (id, status, at) SELECT value, ?2, ?3 FROM json_each(?1) WHERE true ON CONFLICT (id, status) DO NOTHING`,
      JSON.stringify(ids),
      status,
      at,
    );
  }

  /** Records the user's live connection count at `at` (ms); only the newest unsent report is kept. */
  presence(userId: string, connections: number, at: number): void {
    const version = metaNumber(this.sql, "presenceVersion") + 1;
    const report: PresenceReport = { userId, connections, version, at, leaseUntil: at + PRESENCE_LEASE_MS };
    setMeta(this.sql, "presenceVersion", version);
    setMeta(this.sql, "presenceConnections", connections);
    setMeta(this.sql, "presenceAt", at);
    setMeta(this.sql, "presencePending", JSON.stringify(report));
  }

  /** The connection count last reported (what D1 believes, or will once the report lands). */
  get reportedConnections(): number {
    return metaNumber(this.sql, "presenceConnections");
  }

  /** When presence was last reported (ms; 0 never). */
  get reportedAt(): number {
    return metaNumber(this.sql, "presenceAt");
  }

  /** Whether anything waits to be sent. */
  get pending(): boolean {
    return metaText(this.sql, "presencePending") !== null || this.sql.exec(`SELECT 1 FROM outbox LIMIT 1`).toArray().length > 0;
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
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "inbox mirror flush failed, the alarm retries", error: String(error) }));
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  async #flushRounds(): Promise<void> {
    for (;;) {
      const rows = this.sql.exec<{ rowid: number; id: string; status: ReceiptStatus; at: number }>(`SELECT rowid, id, status, at FROM outbox ORDER BY rowid LIMIT ?`, FLUSH_ROWS).toArray();
      const presence = metaText(this.sql, "presencePending");
      if (rows.length === 0 && presence === null) return;

      const byStatus = new Map<ReceiptStatus, Receipt[]>();
      for (const row of rows) {
        const receipts = byStatus.get(row.status) ?? [];
        receipts.push([row.id, row.at]);
        byStatus.set(row.status, receipts);
      }
      const items: MirrorItem[] = [...byStatus].flatMap(([status, receipts]) =>
        chunkByBytes(receipts, ITEM_BYTES).map((chunk): MirrorItem => ({ type: "status", status, receipts: chunk })),
      );
      if (presence !== null) items.push({ type: "presence", ...(JSON.parse(presence) as PresenceReport) });
      await sendPacked<MirrorItem, ReceiptMessage>(this.queue, items, (chunk) => ({ kind: "receipts", items: chunk }));

      this.sql.exec(`DELETE FROM outbox WHERE rowid IN (SELECT value FROM json_each(?1))`, JSON.stringify(rows.map((r) => r.rowid)));
      // A newer report recorded during the send stays pending.
      if (presence !== null && metaText(this.sql, "presencePending") === presence) deleteMeta(this.sql, "presencePending");
      if (rows.length < FLUSH_ROWS) return;
    }
  }
}
