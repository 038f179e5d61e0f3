/**
 * Cron sweepers (docs/data-model.md): nothing accepted is stranded, recalls and edits reach their inbox, and
 * finished work goes away under every table's retention rule (src/retention/), whose row counts
 * are refreshed every 10 minutes. (Expired notifications need no sweep of their own: the dispatch consumer ends
 * undispatched ones `expired`, and each inbox's alarm removes and reports its own.)
 * Each sweep is bounded per run so a backlog drains over several minutes instead of blowing
 * one invocation's limits.
 */
import type { Bindings } from "./env";
import { sweepExpiredLeases } from "./channels/send";
import { strandedBroadcasts } from "./db/broadcasts";
import { refreshTableSizes } from "./db/table-sizes";
import { confirmInboxVersions, markEnqueued, strandedNotifications, unconfirmedEdits, unsettledRecalls } from "./db/notifications";
import { inboxOf } from "./inbox/user-inbox";
import { enqueueBroadcastPlans } from "./notifications/broadcast";
import { enqueueDispatch } from "./notifications/dispatch";
import { MAX_QUEUE_DELAY_SECONDS } from "./lib/queue";
import { sweepMessages } from "./messaging/engine";
import { syncConfig } from "./sync/config";
import { sweepStalledDeliveries } from "./sync/deliver";
import { reconcileScheduled } from "./sync/reconcile";
import { retentionRules } from "./retention/rules";
import { runRetention } from "./retention/run";
import { sweepWorkflowTriggers } from "./workflows/trigger";

/** Work not dispatched this long after it was due is re-dispatched (docs/api.md#sweepers). */
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
  const results = await strandedNotifications(env.DB, { dueBy: now + MAX_QUEUE_DELAY_SECONDS * 1000, strandedBefore: now - STRANDED_AFTER_MS, limit: SWEEP_LIMIT });
  if (results.length === 0) return 0;
  await enqueueDispatch(env, results, now);
  await markEnqueued(env.DB, results.map((r) => r.id), now);
  return results.length;
}

/** A recall whose in-app delivery is not `recalled` this long after it was made is repeated (ms). */
export const RECALL_SETTLED_AFTER_MS = 60_000;

/**
 * Anti-entropy for recalls (docs/api.md#recall-and-edit): `DELETE /v1/notifications/{id}` commits to D1 before it
 * calls the user's inbox, so a failed inbox call leaves the item live there. Every recall whose
 * in-app delivery still is not `recalled` a minute later is sent to its inbox again — one RPC
 * per user, idempotent — and the inbox's `recalled` receipt settles D1.
 * @returns how many recalls were repeated.
 * @throws when an inbox call failed (the rest were made; the next run repeats the failed ones).
 */
export async function sweepRecalls(env: Pick<Bindings, "DB" | "USER_INBOX">, now = Date.now()): Promise<number> {
  const results = await unsettledRecalls(env.DB, now - RECALL_SETTLED_AFTER_MS, SWEEP_LIMIT);
  const byUser = new Map<string, string[]>();
  for (const row of results) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.id]);
  const calls = await Promise.allSettled([...byUser].map(([userId, ids]) => inboxOf(env, userId).recall(ids)));
  const failed = calls.filter((c) => c.status === "rejected").length;
  if (failed > 0) throw new Error(`${failed} of ${calls.length} inbox recalls failed`);
  return results.length;
}

/** An edit the user's inbox has not confirmed this long after it was made is repeated (ms). */
export const EDIT_SETTLED_AFTER_MS = 60_000;

/**
 * Anti-entropy for edits (docs/api.md#notifications), as {@link sweepRecalls} is for recalls: `PATCH
 * /v1/notifications/{id}` commits to D1 before it calls the user's inbox, and records the version
 * the inbox took (`inbox_version`) only once that call returned. Every edit still unconfirmed a
 * minute later is sent to its inbox again with D1's current content — one RPC per notification,
 * idempotent (the inbox keeps the highest version) — and confirmed.
 * @returns how many edits were repeated.
 * @throws when an inbox call failed (the rest were made and confirmed; the next run repeats the failed ones).
 */
export async function sweepEdits(env: Pick<Bindings, "DB" | "USER_INBOX">, now = Date.now()): Promise<number> {
  const edits = await unconfirmedEdits(env.DB, now - EDIT_SETTLED_AFTER_MS, SWEEP_LIMIT);
  const calls = await Promise.allSettled(
    edits.map(async (e) => {
      await inboxOf(env, e.userId).edit(e.id, { title: e.title, body: e.body, data: e.data, version: e.version });
      return [e.id, e.version] as [string, number];
    }),
  );
  await confirmInboxVersions(env.DB, calls.flatMap((c) => (c.status === "fulfilled" ? [c.value] : [])));
  const failed = calls.filter((c) => c.status === "rejected").length;
  if (failed > 0) throw new Error(`${failed} of ${calls.length} inbox edits failed`);
  return edits.length;
}

/**
 * Re-plans broadcasts still `accepted` 60 s after acceptance: the request enqueues the plan after
 * its commit, and a lost send would otherwise strand the fan-out. A plan that did arrive is
 * harmless to repeat (src/notifications/broadcast.ts).
 * @returns how many broadcasts were re-planned.
 */
export async function sweepBroadcasts(env: Pick<Bindings, "DB" | "DISPATCH">, now = Date.now()): Promise<number> {
  const ids = await strandedBroadcasts(env.DB, now - STRANDED_AFTER_MS, SWEEP_LIMIT);
  await enqueueBroadcastPlans(env, ids);
  return ids.length;
}

/** Users the cron's reconciliation scans per target per run (it resumes from a stored cursor). */
const RECONCILE_BUDGET_PER_RUN = 5000;

/** Runs every sweeper; one failing does not stop the others. `now` in ms. */
export async function runSweepers(env: Bindings, now: number): Promise<void> {
  const sweeps = {
    undispatched: () => sweepUndispatched(env, now),
    broadcastsReplanned: () => sweepBroadcasts(env, now),
    workflowTriggersReplanned: () => sweepWorkflowTriggers(env, now - STRANDED_AFTER_MS),
    // Counted after the purge, so the sizes show what retention left.
    retention: async () => ({ ...(await runRetention(env.DB, retentionRules(env), now)), recounted: (await refreshTableSizes(env.DB, now)) !== null }),
    recallsRepeated: () => sweepRecalls(env, now),
    editsRepeated: () => sweepEdits(env, now),
    syncStalled: () => sweepStalledDeliveries(env, now),
    reconcile: () => reconcileScheduled(env, syncConfig(env).graceSeconds * 1000, RECONCILE_BUDGET_PER_RUN, now),
    messages: () => sweepMessages(env, now),
    channelLeases: () => sweepExpiredLeases(env, now),
  };
  const results = await Promise.allSettled(Object.values(sweeps).map((run) => run()));
  const report = Object.fromEntries(Object.keys(sweeps).map((name, i) => {
    const r = results[i]!;
    return [name, r.status === "fulfilled" ? r.value : `error: ${String(r.reason)}`];
  }));
  console.log(JSON.stringify({ level: results.some((r) => r.status === "rejected") ? "error" : "info", msg: "sweep", ...report }));
}
