/**
 * `herald-sync` consumer: user events fan out to targets and are attempted at once; `deliver`
 * messages carry retries (delayed by their backoff) and manual retries; `reconcile` messages
 * continue a reconciliation pass past one invocation's budget.
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { backoffSeconds } from "../lib/queue";
import { attemptDeliveries, fanOut } from "../sync/deliver";
import { reconcileTarget } from "../sync/reconcile";
import { USER_EVENT_TYPES, UserView, type UserEvent } from "../sync/users";

const UserEventSchema = z.object({ type: z.enum(USER_EVENT_TYPES), userId: z.string(), version: z.number().int().min(1), user: UserView, at: z.number() });
const SyncMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user_events"), events: z.array(UserEventSchema) }),
  z.object({ kind: z.literal("deliver"), ids: z.array(z.string()) }),
  z.object({ kind: z.literal("reconcile"), targetId: z.string(), cursor: z.string().nullable(), graceMs: z.number().min(0) }),
]);

/** Users a continuation message scans before handing on to the next message. */
const RECONCILE_BUDGET = 5000;

/**
 * Processes one batch. Work is idempotent (unique deliveries, pending-only attempts, acks that
 * only grow), so on an unexpected error the whole batch is retried with backoff.
 */
export async function processSync(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  const events: UserEvent[] = [];
  const ids: string[] = [];
  const reconciles: { targetId: string; cursor: string | null; graceMs: number }[] = [];
  for (const message of batch.messages) {
    const parsed = SyncMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "invalid sync message", id: message.id }));
      message.ack();
      continue;
    }
    const body = parsed.data;
    if (body.kind === "user_events") events.push(...body.events);
    else if (body.kind === "deliver") ids.push(...body.ids);
    else reconciles.push(body);
  }
  try {
    ids.push(...(await fanOut(env.DB, events)));
    await attemptDeliveries(env, ids);
    for (const r of reconciles) {
      const result = await reconcileTarget(env, r.targetId, { cursor: r.cursor, graceMs: r.graceMs, budget: RECONCILE_BUDGET });
      if (result.cursor !== null) await env.SYNC.send({ kind: "reconcile", targetId: r.targetId, cursor: result.cursor, graceMs: r.graceMs });
    }
    batch.ackAll();
  } catch (error) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.error(JSON.stringify({ level: "error", msg: "sync batch failed, retrying", attempts, error: String(error) }));
    batch.retryAll({ delaySeconds: backoffSeconds(attempts) });
  }
}
