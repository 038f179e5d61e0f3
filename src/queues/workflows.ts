/**
 * The `herald-workflows` consumer (src/workflows/trigger.ts explains the messages): plans a
 * trigger's fan-out into chunks, starts each chunk's runs in the recipients' UserWorkflows
 * objects, and resumes redriven runs. Every part is safe to redeliver: the objects dedupe by
 * trigger id, a plan only re-enqueues chunks, a resume of a run that is not failed does nothing.
 */
import { loadTriggers, markPlanned } from "../db/workflow-triggers";
import { recipientsOf } from "../db/workflow-trigger-recipients";
import { consumeBatch } from "../delivery/consumer";
import type { Bindings } from "../env";
import { enqueueTriggerStarts, WORKFLOWS_QUEUE, WorkflowQueueBody } from "../workflows/trigger";
import { workflowsOf } from "../workflows/user-workflows";

/**
 * Processes one batch through the consumer skeleton (src/delivery/consumer.ts), each message
 * settled on its own: a chunk in which some object could not be reached is retried alone (its
 * other recipients' runs exist already and are found by trigger id).
 */
export function processWorkflows(env: Bindings, batch: MessageBatch<unknown>): Promise<void> {
  return consumeBatch(env, batch, {
    queue: WORKFLOWS_QUEUE,
    source: "workflow_run",
    schema: WorkflowQueueBody,
    settle: "message",
    process: async (env, bodies, messages) => {
      const retry: Message<unknown>[] = [];
      const triggers = await loadTriggers(env.DB, [...new Set(bodies.flatMap((b) => (b.kind === "workflow-resume" ? [] : [b.triggerId])))]);
      await Promise.all(
        bodies.map(async (body, i) => {
          try {
            await handle(env, body, triggers);
          } catch (error) {
            console.error(JSON.stringify({ level: "error", msg: "workflow message failed, retrying", kind: body.kind, error: String(error) }));
            retry.push(messages[i]!);
          }
        }),
      );
      return { retry };
    },
  });
}

async function handle(env: Bindings, body: WorkflowQueueBody, triggers: Awaited<ReturnType<typeof loadTriggers>>): Promise<void> {
  switch (body.kind) {
    case "workflow-plan": {
      // Gone: purged by retention long after it was planned, so this is a late duplicate.
      if (!triggers.has(body.triggerId)) return;
      await enqueueTriggerStarts(env, body.triggerId, await recipientsOf(env.DB, body.triggerId));
      await markPlanned(env.DB, body.triggerId, Date.now());
      return;
    }
    case "workflow-start": {
      const trigger = triggers.get(body.triggerId);
      if (!trigger) return;
      const input = { triggerId: trigger.id, definition: trigger.definition, data: trigger.data, actor: trigger.actor };
      const calls = await Promise.allSettled(body.userIds.map((userId) => workflowsOf(env, userId).start(userId, input)));
      const failed = calls.filter((c) => c.status === "rejected");
      if (failed.length > 0) throw new Error(`${failed.length} of ${calls.length} runs could not start: ${String((failed[0] as PromiseRejectedResult).reason)}`);
      return;
    }
    case "workflow-resume":
      await workflowsOf(env, body.userId).resume(body.runId);
  }
}
