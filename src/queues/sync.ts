/**
 * `herald-sync` consumer: user events fan out to targets and are attempted at once; `deliver`
 * messages carry retries (delayed by their backoff) and manual retries; `reconcile` messages
 * continue a reconciliation pass past one invocation's budget.
 */
import type { Bindings } from "../env";
import { consumeBatch } from "../delivery/consumer";
import { attemptDeliveries, fanOut, SyncMessageSchema } from "../sync/deliver";
import { reconcileTarget } from "../sync/reconcile";

/** Users a continuation message scans before handing on to the next message. */
const RECONCILE_BUDGET = 5000;

/**
 * Processes one batch. Work is idempotent (unique deliveries, pending-only attempts, acks that
 * only grow), so on an unexpected error the whole batch is retried with backoff.
 */
export function processSync(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: "herald-sync",
    source: "sync",
    schema: SyncMessageSchema,
    async process(env, bodies) {
      const events = bodies.flatMap((b) => (b.kind === "user_events" ? b.events : []));
      const ids = bodies.flatMap((b) => (b.kind === "deliver" ? b.ids : []));
      ids.push(...(await fanOut(env.DB, events)));
      await attemptDeliveries(env, ids);
      for (const r of bodies) {
        if (r.kind !== "reconcile") continue;
        const result = await reconcileTarget(env, r.targetId, { cursor: r.cursor, graceMs: r.graceMs, budget: RECONCILE_BUDGET });
        if (result.cursor !== null) await env.SYNC.send({ kind: "reconcile", targetId: r.targetId, cursor: result.cursor, graceMs: r.graceMs });
      }
    },
  });
}
