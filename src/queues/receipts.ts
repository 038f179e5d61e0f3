/**
 * Receipts queue: what the UserInbox objects report, mirrored into D1 in batches (docs/glossary.md#mirror: the
 * inbox is the source of truth, D1 mirrors it asynchronously). Two kinds of report travel here:
 * - in-app delivery states (`sent` for what the fast path handed over without a dispatch message,
 *   `delivered`, `read`, `expired`, `recalled`) → the in-app state columns of D1 `notifications`,
 *   and `sent` → the notification's `dispatched_at`, in the same row update;
 * - presence (live connection count per user) → D1 `presence`.
 * This consumer is the only writer of in-app delivery state after `sent`, and of `presence`.
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { waitUntil } from "cloudflare:workers";
import { countAdvanceStatement } from "../db/counters";
import { countedBatch, flushCountersSoon } from "../db/counter-buffer";
import { DeliveryStatus, type AckedReceipt, type Receipt } from "../db/deliveries";
import { advanceInAppStatement } from "../db/notifications";
import { upsertPresenceStatement, type PresenceReport } from "../db/presence";
import { consumeBatch } from "../delivery/consumer";
import { chunkByBytes } from "../lib/queue";

/** The in-app delivery states an inbox reports (the rest are set by the dispatch consumer). */
const ReceiptStatusSchema = DeliveryStatus.extract(["sent", "delivered", "read", "expired", "recalled"]);
export type ReceiptStatus = z.infer<typeof ReceiptStatusSchema>;
export type { PresenceReport, Receipt };

/** An item of a receipts message. */
export type MirrorItem = { type: "status"; status: ReceiptStatus; receipts: Receipt[] } | ({ type: "presence" } & PresenceReport);

/** Message body: many items, so one message carries everything one inbox flush has to say. */
export interface ReceiptMessage {
  kind: "receipts";
  items: MirrorItem[];
}

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
 * Statements for `receipts` of one status, chunked under the statement size limit: per chunk,
 * the counters and the in-app delivery histogram it moves (docs/api.md#stats-and-metrics), then
 * the update. Run them in one transaction.
 */
export function advanceDeliveries(db: D1Database, status: DeliveryStatus, receipts: readonly AckedReceipt[]): D1PreparedStatement[] {
  return chunkByBytes(receipts, STATEMENT_JSON_BYTES).flatMap((chunk) => [countAdvanceStatement(db, status, JSON.stringify(chunk)), advanceInAppStatement(db, status, chunk)]);
}

/**
 * Applies a batch of receipts messages in one D1 transaction: two statements (count, update) per
 * status and per ~90 KB of receipts, one for presence. Runs through the consumer skeleton
 * (src/delivery/consumer.ts): an invalid body becomes a dead letter; a D1 failure retries the
 * whole batch with backoff, which is safe because every update is monotonic (status rank,
 * presence version).
 */
export function processReceipts(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-receipts",
    source: "channel",
    schema: ReceiptMessageSchema,
    process: (env, bodies) => mirrorReceipts(env.DB, bodies),
  });
}

/**
 * Folds each `delivered` receipt whose item is also `read` in the same batch into that read (its
 * time as the read's `deliveredAt`), so the notification's row is written once, not twice (rows written
 * are what D1 bills, docs/cost.md); the row ends as the `delivered` then the `read` update would
 * leave it.
 */
export function coalesceAckAndRead(byStatus: ReadonlyMap<ReceiptStatus, Receipt[]>): Map<ReceiptStatus, AckedReceipt[]> {
  const out = new Map<ReceiptStatus, AckedReceipt[]>(byStatus);
  const read = byStatus.get("read");
  const delivered = byStatus.get("delivered");
  if (!read || !delivered) return out;
  const ackedAt = new Map<string, number>();
  for (const [id, at] of delivered) ackedAt.set(id, Math.min(at, ackedAt.get(id) ?? at));
  // Never delivered after read: a read before its ack (over REST) counts as delivered then.
  out.set("read", read.map(([id, at]): AckedReceipt => (ackedAt.has(id) ? [id, at, Math.min(at, ackedAt.get(id)!)] : [id, at])));
  const readIds = new Set(read.map(([id]) => id));
  const rest = delivered.filter(([id]) => !readIds.has(id));
  if (rest.length > 0) out.set("delivered", rest);
  else out.delete("delivered");
  return out;
}

/**
 * Folds each `sent` receipt whose item is also `delivered` or `read` in the same batch into that
 * receipt (its earliest time as the `sentAt`), so the notification's row is written once, not twice: an
 * item the fast path handed over and its device acked within the inbox's coalescing window
 * (src/inbox/mirror.ts). Run after {@link coalesceAckAndRead}.
 */
export function foldSent(byStatus: ReadonlyMap<ReceiptStatus, AckedReceipt[]>): Map<ReceiptStatus, AckedReceipt[]> {
  const out = new Map<ReceiptStatus, AckedReceipt[]>(byStatus);
  const sent = byStatus.get("sent");
  if (!sent) return out;
  const sentAt = new Map<string, number>();
  for (const [id, at] of sent) sentAt.set(id, Math.min(at, sentAt.get(id) ?? at));
  const folded = new Set<string>();
  for (const status of ["delivered", "read"] as const) {
    const receipts = byStatus.get(status);
    if (!receipts) continue;
    out.set(
      status,
      receipts.map((receipt): AckedReceipt => {
        const at = sentAt.get(receipt[0]);
        if (at === undefined) return receipt;
        folded.add(receipt[0]);
        return [receipt[0], receipt[1], receipt[2] ?? null, at];
      }),
    );
  }
  const rest = sent.filter(([id]) => !folded.has(id));
  if (rest.length > 0) out.set("sent", rest);
  else out.delete("sent");
  return out;
}

/** Writes what `bodies` report into D1, in one transaction. */
async function mirrorReceipts(db: D1Database, bodies: z.infer<typeof ReceiptMessageSchema>[]): Promise<void> {
  const byStatus = new Map<ReceiptStatus, Receipt[]>();
  const presence: PresenceReport[] = [];
  for (const item of bodies.flatMap((b) => b.items)) {
    if (item.type === "status") {
      const receipts = byStatus.get(item.status) ?? [];
      receipts.push(...item.receipts);
      byStatus.set(item.status, receipts);
    } else presence.push({ userId: item.userId, connections: item.connections, version: item.version, at: item.at, leaseUntil: item.leaseUntil });
  }
  // A `sent` (handed over without a dispatch message) also marks the notification dispatched, in
  // the same row update as its in-app state (advanceInAppStatement): the sweeper stops looking.
  const statements = [...foldSent(coalesceAckAndRead(byStatus))].flatMap(([status, receipts]) => advanceDeliveries(db, status, receipts));
  statements.push(...chunkByBytes(presence, STATEMENT_JSON_BYTES).map((chunk) => upsertPresenceStatement(db, chunk, Date.now())));
  if (statements.length > 0) await countedBatch(db, statements);
  flushCountersSoon(db, waitUntil);
}
