/**
 * The consistency checker (docs/api.md#reconciliation): anti-entropy in the manner of Dynamo/Cassandra repair —
 * never trust that every delivery happened; periodically compare what each target acknowledged
 * with what each user is, and repair what drifted. It scans users in id order, in bounded
 * chunks with a cursor, so it scales to millions of users across many invocations.
 */
import { upsertSnapshotsStatement } from "../db/sync-deliveries";
import { enabledTargets, storeReconcileCursor } from "../db/sync-targets";
import { scanUsersForTarget, type UserScanRow } from "../db/users";
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { chunkByBytes, sendPacked } from "../lib/queue";
import { webhookBody, type SyncMessage } from "./deliver";
import { toUserView } from "./users";

/** Users read per statement. */
const SCAN_CHUNK = 500;
const JSON_CHUNK_BYTES = 90 * 1024;

export interface ReconcileResult {
  scanned: number;
  repairsEnqueued: number;
  /** Where the next pass continues; null once every user was scanned. */
  cursor: string | null;
}

/**
 * Scans up to `budget` users of one target after `cursor` and enqueues a `user.snapshot` repair
 * for each whose acknowledged version lags its version — users created before the target
 * existed included — unless it changed within the grace period or a delivery to this target
 * is still pending (normal delivery is still at work). Deleted users the target never heard
 * of are skipped. A repair for a (user, version) already tried and failed is reopened.
 */
export async function reconcileTarget(env: Bindings, targetId: string, opts: { cursor: string | null; graceMs: number; budget: number; now?: number }): Promise<ReconcileResult> {
  const now = opts.now ?? Date.now();
  let cursor = opts.cursor ?? "";
  let scanned = 0;
  let repairsEnqueued = 0;
  while (scanned < opts.budget) {
    const results = await scanUsersForTarget(env.DB, targetId, cursor, Math.min(SCAN_CHUNK, opts.budget - scanned));
    if (results.length === 0) return { scanned, repairsEnqueued, cursor: null };
    scanned += results.length;
    cursor = results[results.length - 1]!.id;
    const lagging = results.filter(
      (u) => (u.acked ?? 0) < u.version && u.updatedAt <= now - opts.graceMs && !u.pending && !(u.deletedAt !== null && u.acked === null),
    );
    repairsEnqueued += await enqueueSnapshots(env, targetId, lagging, now);
    if (results.length < SCAN_CHUNK) return { scanned, repairsEnqueued, cursor: null };
  }
  return { scanned, repairsEnqueued, cursor };
}

async function enqueueSnapshots(env: Bindings, targetId: string, users: UserScanRow[], now: number): Promise<number> {
  if (users.length === 0) return 0;
  const rows = users.map((u) => {
    const user = toUserView(u);
    return { id: `msg_${newId()}`, userId: u.id, version: u.version, payload: webhookBody({ type: "user.snapshot", userId: u.id, version: u.version, user, at: now }) };
  });
  const chunks = chunkByBytes(rows, JSON_CHUNK_BYTES);
  const results = await env.DB.batch<{ id: string }>(chunks.map((chunk) => upsertSnapshotsStatement(env.DB, targetId, JSON.stringify(chunk), now)));
  const ids = results.flatMap((r) => r.results.map((row) => row.id));
  await sendPacked<string, SyncMessage>(env.SYNC, ids, (chunk) => ({ kind: "deliver", ids: chunk }));
  return ids.length;
}

/**
 * `POST /v1/sync/reconcile`: one bounded pass per target from the start; what the budget did
 * not reach continues on the queue. The cron calls {@link reconcileScheduled} instead.
 */
export async function reconcileNow(env: Bindings, opts: { targetId?: string; graceMs: number; budget: number }) {
  const targets = await enabledTargetIds(env.DB, opts.targetId);
  let scanned = 0;
  let repairsEnqueued = 0;
  let complete = true;
  for (const targetId of targets) {
    const result = await reconcileTarget(env, targetId, { cursor: null, graceMs: opts.graceMs, budget: opts.budget });
    scanned += result.scanned;
    repairsEnqueued += result.repairsEnqueued;
    if (result.cursor !== null) {
      complete = false;
      await env.SYNC.send({ kind: "reconcile", targetId, cursor: result.cursor, graceMs: opts.graceMs } satisfies SyncMessage);
    }
  }
  return { targets: targets.length, scanned, repairsEnqueued, complete };
}

/** The cron's pass: each enabled target continues from its stored cursor and stores the next. */
export async function reconcileScheduled(env: Bindings, graceMs: number, budgetPerTarget: number, now = Date.now()) {
  const results = await enabledTargets(env.DB);
  let scanned = 0;
  let repairsEnqueued = 0;
  for (const target of results) {
    const result = await reconcileTarget(env, target.id, { cursor: target.reconcileCursor, graceMs, budget: budgetPerTarget, now });
    scanned += result.scanned;
    repairsEnqueued += result.repairsEnqueued;
    await storeReconcileCursor(env.DB, target.id, result.cursor);
  }
  return { scanned, repairsEnqueued };
}

async function enabledTargetIds(db: D1Database, only?: string): Promise<string[]> {
  return (await enabledTargets(db)).map((t) => t.id).filter((id) => only === undefined || id === only);
}
