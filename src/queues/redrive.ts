/**
 * Redriving a dead letter: reopen the work it stands for, then put its original body back on
 * the queue it came from. Consumers are idempotent, so a redrive of work that meanwhile
 * succeeded changes nothing.
 */
import { deleteDeadLetter, type DeadLetter } from "../db/dead-letters";
import { reopenFailedSends } from "../db/deliveries";
import { reopenMessageDeliveries } from "../db/message-deliveries";
import { reopenSyncDeliveries } from "../db/sync-deliveries";
import type { Bindings } from "../env";

/** Queue name → producer binding. */
function producer(env: Bindings, queue: string): Queue | undefined {
  const byName: Record<string, Queue> = {
    "herald-behaviours": env.BEHAVIOURS,
    "herald-dispatch": env.DISPATCH,
    "herald-receipts": env.RECEIPTS,
    "herald-sync": env.SYNC,
    "herald-messages": env.MESSAGES,
    "herald-channels": env.CHANNELS,
    "herald-workflows": env.WORKFLOWS,
  };
  return byName[queue];
}

/**
 * Reopens and re-enqueues the dead letter's work, then deletes the letter (in that order: a
 * crash in between leaves the letter to redrive again, never lost work).
 * @throws Error for a letter whose queue Herald no longer has.
 */
export async function redrive(env: Bindings, letter: DeadLetter): Promise<void> {
  const queue = producer(env, letter.queue);
  if (!queue) throw new Error(`dead letter ${letter.id} came from unknown queue ${letter.queue}`);
  const body = letter.payload as { kind?: string; ids?: unknown } | null;
  const ids = Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === "string") : [];
  const now = Date.now();
  // Per-item retry state lives in D1: give the dead work a fresh attempt budget, so the
  // consumer (which only attempts open work) takes it up again. `failed` work (a non-retryable
  // failure: a 4xx, bad template data, no recipient) is reopened like `dead` (exhausted) work.
  if (letter.queue === "herald-sync") await reopenSyncDeliveries(env.DB, ids, now);
  else if (letter.queue === "herald-messages") await reopenMessageDeliveries(env.DB, ids, now);
  else if (letter.queue === "herald-channels") await reopenFailedSends(env.DB, ids, letter.sourceId?.split(":")[1] ?? null, now);
  await queue.send(body);
  await deleteDeadLetter(env.DB, letter.id);
}
