/**
 * Cron sweepers (SPEC §1): nothing accepted is stranded, and expired records go away.
 * Each sweep is bounded per run so a backlog drains over several minutes instead of blowing
 * one invocation's limits.
 */
import type { Bindings } from "./env";
import { enqueueDispatch } from "./notifications/dispatch";
import { MAX_QUEUE_DELAY_SECONDS } from "./lib/queue";

/** Work not dispatched this long after it was due is re-dispatched (SPEC §5). */
export const STRANDED_AFTER_MS = 60_000;
const SWEEP_LIMIT = 1000;

/**
 * Enqueues notifications that are due within the queue's 12 h delay range but were never
 * enqueued (long delays), and re-enqueues ones still undispatched 60 s after they were due and
 * enqueued (a lost send, a consumer that kept failing). The inbox dedupes, so a re-dispatch of
 * something that did arrive is harmless.
 * @returns how many notifications were (re-)enqueued.
 */
export async function sweepUndispatched(env: Pick<Bindings, "DB" | "DISPATCH">, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT id, dispatch_after AS dispatchAfter FROM notifications
     WHERE dispatched_at IS NULL AND dispatch_after <= ?1
       AND (enqueued_at IS NULL OR (dispatch_after <= ?2 AND enqueued_at <= ?2))
     ORDER BY dispatch_after LIMIT ?3`,
  )
    .bind(now + MAX_QUEUE_DELAY_SECONDS * 1000, now - STRANDED_AFTER_MS, SWEEP_LIMIT)
    .all<{ id: string; dispatchAfter: number }>();
  if (results.length === 0) return 0;
  await enqueueDispatch(env, results, now);
  await env.DB.prepare(`UPDATE notifications SET enqueued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(results.map((r) => r.id)), now)
    .run();
  return results.length;
}

/** Deletes idempotency records past `expires_at` (SPEC §5), at most 5,000 per run. */
export async function purgeIdempotencyRecords(db: D1Database, now = Date.now()): Promise<number> {
  const result = await db
    .prepare(`DELETE FROM idempotency_records WHERE rowid IN (SELECT rowid FROM idempotency_records WHERE expires_at <= ?1 LIMIT 5000)`)
    .bind(now)
    .run();
  return result.meta.changes;
}

/** Runs every sweeper; one failing does not stop the others. `now` in ms. */
export async function runSweepers(env: Bindings, now: number): Promise<void> {
  const results = await Promise.allSettled([sweepUndispatched(env, now), purgeIdempotencyRecords(env.DB, now)]);
  console.log(
    JSON.stringify({
      level: results.some((r) => r.status === "rejected") ? "error" : "info",
      msg: "sweep",
      undispatched: results[0].status === "fulfilled" ? results[0].value : String(results[0].reason),
      idempotencyPurged: results[1].status === "fulfilled" ? results[1].value : String(results[1].reason),
    }),
  );
}
