/**
 * Workflow triggers (docs/api.md#workflows): acceptance and the fan-out to each recipient's
 * `UserWorkflows` object, through the `herald-workflows` queue.
 *
 * Acceptance is one D1 transaction: the trigger (with the definition snapshot its runs keep), its
 * recipient snapshot (the `to` list, or the topic's subscribers at that moment, as broadcasts do:
 * src/notifications/broadcast.ts) and the idempotency record. Then the fan-out runs as two
 * message kinds, both safe to redeliver:
 * - `workflow-plan {triggerId}` reads the snapshot and enqueues it as `workflow-start` chunks of
 *   at most `CHUNK_RECIPIENTS` users (the broadcasts' chunking), then marks the trigger planned;
 * - `workflow-start {triggerId, userIds}` starts the trigger's run in each user's object, which
 *   keeps the trigger ids it has seen, so a redelivered chunk never starts a second run.
 * A third kind, `workflow-resume {userId, runId}`, is what a failed run's dead letter holds: a
 * redrive puts it back on the queue and the run resumes at the step that failed.
 */
import { z } from "zod";
import { strandedTriggers } from "../db/workflow-triggers";
import type { Bindings } from "../env";
import { sendPacked } from "../lib/queue";
import { CHUNK_RECIPIENTS } from "../notifications/broadcast";

export const WorkflowPlanMessage = z.object({ kind: z.literal("workflow-plan"), triggerId: z.string().min(1) });
export const WorkflowStartMessage = z.object({
  kind: z.literal("workflow-start"),
  triggerId: z.string().min(1),
  userIds: z.array(z.string().min(1)).min(1).max(CHUNK_RECIPIENTS),
});
export const WorkflowResumeMessage = z.object({ kind: z.literal("workflow-resume"), userId: z.string().min(1), runId: z.string().min(1) });
export const WorkflowQueueBody = z.discriminatedUnion("kind", [WorkflowPlanMessage, WorkflowStartMessage, WorkflowResumeMessage]);
export type WorkflowQueueBody = z.infer<typeof WorkflowQueueBody>;
export type WorkflowResumeMessage = z.infer<typeof WorkflowResumeMessage>;

/** The queue's name, on dead letters (a redrive sends them back there). */
export const WORKFLOWS_QUEUE = "herald-workflows";

/** Enqueues the fan-out plan of a trigger. */
export async function enqueueTriggerPlan(env: Pick<Bindings, "WORKFLOWS">, triggerId: string): Promise<void> {
  await env.WORKFLOWS.send({ kind: "workflow-plan", triggerId } satisfies WorkflowQueueBody, { contentType: "json" });
}

/** Enqueues `userIds` of a trigger as `workflow-start` chunks of at most `CHUNK_RECIPIENTS` users. */
export async function enqueueTriggerStarts(env: Pick<Bindings, "WORKFLOWS">, triggerId: string, userIds: readonly string[]): Promise<void> {
  await sendPacked<string, WorkflowQueueBody>(env.WORKFLOWS, userIds, (chunk) => ({ kind: "workflow-start", triggerId, userIds: chunk }), 0, "json", CHUNK_RECIPIENTS);
}

/**
 * Re-plans triggers accepted before `before` (ms) whose plan never ran: the request enqueues the
 * plan after its commit, and a lost send would otherwise strand the fan-out. A repeated plan is
 * harmless (the objects dedupe by trigger id). @returns how many were re-planned (≤ 1,000 per call).
 */
export async function sweepWorkflowTriggers(env: Pick<Bindings, "DB" | "WORKFLOWS">, before: number): Promise<number> {
  const ids = await strandedTriggers(env.DB, before, 1000);
  for (let i = 0; i < ids.length; i += 100) {
    await env.WORKFLOWS.sendBatch(ids.slice(i, i + 100).map((triggerId) => ({ body: { kind: "workflow-plan", triggerId } satisfies WorkflowQueueBody, contentType: "json" as const })));
  }
  return ids.length;
}
