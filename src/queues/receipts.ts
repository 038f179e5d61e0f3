/**
 * Receipts queue: what the UserInbox objects report, mirrored into D1 in batches (SPEC §1: the
 * inbox is the source of truth, D1 mirrors it asynchronously). Two kinds of report travel here:
 * - in-app delivery states (`delivered`, `read`, `expired`, `recalled`) → D1 `deliveries`;
 * - presence (live connection count per user) → D1 `presence`.
 * This consumer is the only writer of in-app delivery state after `sent`, and of `presence`.
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { backoffSeconds, chunkByBytes } from "../lib/queue";

export type ReceiptStatus = "delivered" | "read" | "expired" | "recalled";

/** One state change of one notification: its id and when it happened (ms). */
export type Receipt = [id: string, at: number];

/** A presence report: `connections` live sockets at `at` (ms), counting for D1 until `leaseUntil` (ms). */
export interface PresenceReport {
  userId: string;
  connections: number;
  /** Grows with every report of this user's inbox; an older report never overwrites a newer one. */
  version: number;
  at: number;
  leaseUntil: number;
}

/** An item of a receipts message. */
export type MirrorItem = { type: "status"; status: ReceiptStatus; receipts: Receipt[] } | ({ type: "presence" } & PresenceReport);

/** Message body: many items, so one message carries everything one inbox flush has to say. */
export interface ReceiptMessage {
  kind: "receipts";
  items: MirrorItem[];
}

const ReceiptStatusSchema = z.enum(["delivered", "read", "expired", "recalled"]);
const ReceiptMessageSchema = z.object({
  kind: z.literal("receipts"),
  items: z.array(
    z.discriminatedUnion("type", [
      z.object({ type: z.literal("status"), status: ReceiptStatusSchema, receipts: z.array(z.tuple([z.string(), z.number().int()])) }),
      z.object({
        type: z.literal("presence"),
        userId: z.string(),
        connections: z.number().int().min(0),
        version: z.number().int(),
        at: z.number().int(),
        leaseUntil: z.number().int(),
      }),
    ]),
  ),
});

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/**
 * Rank of each delivery status: a mirror update applies only when it moves a delivery forward,
 * so receipts arriving out of order or twice (queues are at-least-once, unordered) never
 * regress a status. `recalled` wins over everything.
 */
export const STATUS_RANK_SQL = `CASE %s WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'expired' THEN 3
  WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 WHEN 'recalled' THEN 6 ELSE -1 END`;
const rank = (expr: string) => STATUS_RANK_SQL.replace("%s", expr);

/**
 * The statement moving the in-app deliveries of `receipts` to `status`, each at its own time
 * (ms), monotonic by rank. `sent`/`delivered`/`read` also fill their timestamps (read implies
 * delivered). An id given twice takes its earliest time. Keep `receipts` under ~90 KB of JSON.
 */
export function advanceDeliveriesStatement(db: D1Database, status: string, receipts: readonly Receipt[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET
         status = ?1,
         updated_at = r.at,
         sent_at = COALESCE(sent_at, CASE WHEN ?1 IN ('sent', 'delivered', 'read') THEN r.at END),
         delivered_at = COALESCE(delivered_at, CASE WHEN ?1 IN ('delivered', 'read') THEN r.at END),
         read_at = COALESCE(read_at, CASE WHEN ?1 = 'read' THEN r.at END),
         attempts = CASE WHEN ?1 = 'sent' THEN attempts + 1 ELSE attempts END
       FROM (SELECT value->>0 AS id, MIN(value->>1) AS at FROM json_each(?2) GROUP BY value->>0) AS r
       WHERE deliveries.notification_id = r.id AND deliveries.channel = 'in_app'
         AND ${rank("?1")} > ${rank("deliveries.status")}`,
    )
    .bind(status, JSON.stringify(receipts));
}

/** Statements for `receipts` of one status, chunked under the statement size limit. */
export function advanceDeliveries(db: D1Database, status: string, receipts: readonly Receipt[]): D1PreparedStatement[] {
  return chunkByBytes(receipts, STATEMENT_JSON_BYTES).map((chunk) => advanceDeliveriesStatement(db, status, chunk));
}

/** Upserts presence reports; a report older (by `version`) than the stored one changes nothing. */
function presenceStatement(db: D1Database, reports: PresenceReport[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO presence (user_id, connections, version, last_seen_at, expires_at, updated_at)
       SELECT v->>'userId', v->>'connections', v->>'version', v->>'at', v->>'leaseUntil', ?2
       FROM (SELECT value AS v FROM json_each(?1)) WHERE true
       ON CONFLICT (user_id) DO UPDATE SET connections = excluded.connections, version = excluded.version,
         last_seen_at = excluded.last_seen_at, expires_at = excluded.expires_at, updated_at = excluded.updated_at
       WHERE excluded.version > presence.version`,
    )
    .bind(JSON.stringify(reports), now);
}

/**
 * Applies a batch of receipts messages in one D1 transaction: one statement per status and per
 * ~90 KB of receipts, one for presence. Invalid bodies are acked and logged (retrying cannot fix
 * them); a D1 failure retries the whole batch with backoff, which is safe because every update
 * is monotonic (status rank, presence version).
 */
export async function processReceipts(env: Pick<Bindings, "DB">, batch: MessageBatch<unknown>): Promise<void> {
  const byStatus = new Map<ReceiptStatus, Receipt[]>();
  const presence: PresenceReport[] = [];
  for (const message of batch.messages) {
    const parsed = ReceiptMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "invalid receipt message", id: message.id }));
      message.ack();
      continue;
    }
    for (const item of parsed.data.items) {
      if (item.type === "status") {
        const receipts = byStatus.get(item.status) ?? [];
        receipts.push(...item.receipts);
        byStatus.set(item.status, receipts);
      } else presence.push({ userId: item.userId, connections: item.connections, version: item.version, at: item.at, leaseUntil: item.leaseUntil });
    }
  }
  const statements = [...byStatus].flatMap(([status, receipts]) => advanceDeliveries(env.DB, status, receipts));
  statements.push(...chunkByBytes(presence, STATEMENT_JSON_BYTES).map((chunk) => presenceStatement(env.DB, chunk, Date.now())));
  if (statements.length === 0) return;
  try {
    await env.DB.batch(statements);
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.error(JSON.stringify({ level: "error", msg: "receipts batch failed, retrying", attempts, error: String(error) }));
    batch.retryAll({ delaySeconds: backoffSeconds(attempts) });
  }
}
