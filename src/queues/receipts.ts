/**
 * Receipts queue: delivery-state changes reported by UserInbox objects, mirrored into D1
 * `deliveries` in batches. The inbox is the source of truth; this consumer is the only writer
 * of in-app delivery state after `sent`.
 */
import { z } from "zod";
import type { Bindings } from "../env";

export type ReceiptStatus = "delivered" | "read" | "expired" | "recalled";

/** Message body: one status change for many notifications, `at` in ms. */
export interface ReceiptMessage {
  kind: "receipts";
  status: ReceiptStatus;
  at: number;
  ids: string[];
}

const ReceiptMessageSchema = z.object({
  kind: z.literal("receipts"),
  status: z.enum(["delivered", "read", "expired", "recalled"]),
  at: z.number().int(),
  ids: z.array(z.string()),
});

/**
 * Rank of each delivery status: a mirror update applies only when it moves a delivery forward,
 * so receipts arriving out of order or twice (queues are at-least-once, unordered) never
 * regress a status. `recalled` wins over everything.
 */
export const STATUS_RANK_SQL = `CASE %s WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'expired' THEN 3
  WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 WHEN 'recalled' THEN 6 ELSE -1 END`;
const rank = (expr: string) => STATUS_RANK_SQL.replace("%s", expr);

/**
 * The statement moving in-app deliveries of `ids` to `status` at `at` (ms), monotonic by rank.
 * `delivered`/`read` also fill their timestamps (read implies delivered).
 */
export function advanceDeliveriesStatement(db: D1Database, status: string, ids: string[], at: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET
         status = ?1,
         updated_at = ?3,
         sent_at = COALESCE(sent_at, CASE WHEN ?1 IN ('sent', 'delivered', 'read') THEN ?3 END),
         delivered_at = COALESCE(delivered_at, CASE WHEN ?1 IN ('delivered', 'read') THEN ?3 END),
         read_at = COALESCE(read_at, CASE WHEN ?1 = 'read' THEN ?3 END),
         attempts = CASE WHEN ?1 = 'sent' THEN attempts + 1 ELSE attempts END
       WHERE channel = 'in_app' AND notification_id IN (SELECT value FROM json_each(?2))
         AND ${rank("?1")} > ${rank("status")}`,
    )
    .bind(status, JSON.stringify(ids), at);
}

/**
 * Applies a batch of receipts in one D1 transaction. Invalid bodies are acked and logged
 * (retrying cannot fix them); a D1 failure retries the whole batch, which is safe because
 * every update is monotonic.
 */
export async function processReceipts(env: Pick<Bindings, "DB">, batch: MessageBatch<unknown>): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const message of batch.messages) {
    const parsed = ReceiptMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "invalid receipt message", id: message.id }));
      message.ack();
      continue;
    }
    statements.push(advanceDeliveriesStatement(env.DB, parsed.data.status, parsed.data.ids, parsed.data.at));
  }
  if (statements.length > 0) await env.DB.batch(statements);
  batch.ackAll();
}
