/**
 * Redriving a dead letter: reopen the work it stands for, then put its original body back on
 * the queue it came from. Consumers are idempotent, so a redrive of work that meanwhile
 * succeeded changes nothing.
 */
import type { Bindings } from "../env";

export interface DeadLetterRow {
  id: string;
  source: string;
  source_id: string | null;
  queue: string;
  payload: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

/** Queue name → producer binding. */
function producer(env: Bindings, queue: string): Queue | undefined {
  const byName: Record<string, Queue> = {
    "herald-behaviours": env.BEHAVIOURS,
    "herald-dispatch": env.DISPATCH,
    "herald-receipts": env.RECEIPTS,
    "herald-sync": env.SYNC,
    "herald-messages": env.MESSAGES,
    "herald-channels": env.CHANNELS,
  };
  return byName[queue];
}

/**
 * Reopens and re-enqueues the dead letter's work, then deletes the letter (in that order: a
 * crash in between leaves the letter to redrive again, never lost work).
 * @throws Error for a letter whose queue Herald no longer has.
 */
export async function redrive(env: Bindings, letter: DeadLetterRow): Promise<void> {
  const queue = producer(env, letter.queue);
  if (!queue) throw new Error(`dead letter ${letter.id} came from unknown queue ${letter.queue}`);
  const body = JSON.parse(letter.payload) as { kind?: string; ids?: string[] };
  const now = Date.now();
  // Per-item retry state lives in D1: give the dead work a fresh attempt budget, so the
  // consumer (which only attempts open work) takes it up again. `failed` work (a non-retryable
  // failure: a 4xx, bad template data, no recipient) is reopened like `dead` (exhausted) work.
  const ids = Array.isArray(body.ids) ? JSON.stringify(body.ids) : "[]";
  const reopen: Record<string, string> = {
    "herald-sync": `UPDATE sync_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
                    WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('dead', 'failed')`,
    "herald-messages": `UPDATE message_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
                        WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('dead', 'failed')`,
    "herald-channels": `UPDATE deliveries SET status = 'queued', attempts = 0, updated_at = ?2
                        WHERE notification_id IN (SELECT value FROM json_each(?1)) AND channel = ?3 AND status = 'failed'`,
  };
  const statement = reopen[letter.queue];
  if (statement) {
    const channel = letter.source_id?.split(":")[1] ?? null;
    await env.DB.prepare(statement).bind(ids, now, ...(letter.queue === "herald-channels" ? [channel] : [])).run();
  }
  await queue.send(body);
  await env.DB.prepare(`DELETE FROM dead_letters WHERE id = ?1`).bind(letter.id).run();
}
