/**
 * One channel step of a run (docs/api.md#workflows): its `if` asked of the recipient's inbox, the
 * user's preferences judged, then a real notification — the same D1 row and dispatch a
 * `POST /v1/notifications` makes — so in-app items reach the UserInbox and email/SMS/push go
 * through the channel queue, its providers, quiet hours and retries.
 *
 * The notification's id is derived from (run id, step index): a step retried after a crash or an
 * eviction inserts the same id, which D1 keeps once (`ON CONFLICT (id) DO NOTHING`), and the
 * inbox and the dispatcher dedupe by id — so a retry can never send a second one.
 */
import { insertDeadLettersStatements } from "../db/dead-letters";
import { loadTemplates } from "../db/templates";
import type { Bindings } from "../env";
import { inboxOf } from "../inbox/user-inbox";
import { ApiError } from "../lib/errors";
import { derivedId } from "../lib/ids";
import { deliverFast, enqueueDispatch } from "../notifications/dispatch";
import { DEFAULT_CATEGORY, type NotificationInput } from "../notifications/input";
import { countedBatch } from "../db/counter-buffer";
import { insertNotificationStatements, prepareNotification } from "../notifications/store";
import { loadJudge } from "../preferences/apply";
import type { ChannelStepDef } from "./definition";
import type { Run, SkipReason } from "./storage";
import { WORKFLOWS_QUEUE, type WorkflowResumeMessage } from "./trigger";

/** What a channel step came to: sent (with its notification), skipped (with why), or failed for good (bad template data, a template gone). */
export type StepOutcome = { status: "completed"; notificationId: string } | { status: "skipped"; reason: SkipReason } | { status: "failed"; error: string };

/** The data templates see: the run's data, plus `actor` when the trigger named one. */
function templateData(run: Run): Record<string, unknown> {
  return run.actor === null ? run.data : { ...run.data, actor: run.actor };
}

/**
 * The id of the in-app notification the run's `if` steps ask about: the latest completed
 * `in_app` step before `idx`, or null (that step was skipped by preferences: nothing to read).
 */
export function inAppNotificationOf(steps: readonly { idx: number; notificationId: string | null }[], run: Run, idx: number): string | null {
  for (let i = idx - 1; i >= 0; i--) {
    if (run.definition.steps[i]?.type !== "in_app") continue;
    return steps.find((s) => s.idx === i)?.notificationId ?? null;
  }
  return null;
}

/**
 * Runs channel step `idx` of `run` for `userId` (see module comment).
 * @param inAppId the notification its `if` asks about ({@link inAppNotificationOf}).
 * @param now ms.
 * @throws on transient failures (D1, the queue, the inbox unreachable): the caller retries the step.
 */
export async function runChannelStep(env: Bindings, userId: string, run: Run, idx: number, step: ChannelStepDef, inAppId: string | null, now: number): Promise<StepOutcome> {
  if (step.if !== "always" && inAppId !== null) {
    // Asked now, of the inbox itself: it is the source of truth for read and delivered (docs/protocol.md).
    const state = await inboxOf(env, userId).itemState(inAppId);
    if (step.if === "unread" && state?.readAt != null) return { status: "skipped", reason: "read" };
    if (step.if === "unseen" && state?.deliveredAt != null) return { status: "skipped", reason: "seen" };
  }
  const templateName = step.template!;
  const templates = await loadTemplates(env.DB, [templateName]);
  const template = templates.get(templateName);
  if (!template || !template.active) return { status: "failed", error: `Template \`${templateName}\` no longer exists or is inactive.` };
  const { definition } = run;
  const category = definition.category ?? template.category ?? DEFAULT_CATEGORY;
  const judge = await loadJudge(env.DB, definition.critical ? [] : [userId]);
  const verdict = judge(userId, { category, critical: definition.critical }, step.type, now);
  if (verdict.kind === "skip") return { status: "skipped", reason: verdict.reason };

  const input = {
    userId,
    template: templateName,
    data: templateData(run),
    channels: [step.type],
    priority: "normal",
    ...(definition.category !== null ? { category: definition.category } : {}),
    critical: definition.critical,
    ...(step.tags ? { tags: step.tags } : {}),
    ...(step.actions ? { actions: step.actions } : {}),
  } satisfies NotificationInput;
  let row;
  try {
    row = prepareNotification(input, templates, { idempotencyKey: null, fingerprint: null, now, id: await derivedId(`${run.id}:${idx}`, run.createdAt) });
  } catch (error) {
    if (error instanceof ApiError) return { status: "failed", error: `steps.${idx}: ${error.detail}` };
    throw error;
  }
  await countedBatch(env.DB, insertNotificationStatements(env.DB, [row]));
  // As `POST /v1/notifications` does: an in-app step straight to the inbox for latency (which
  // reports it `sent`, no dispatch message); the other channels through the queue.
  if (step.type === "in_app") await deliverFast(env, [row]);
  else await enqueueDispatch(env, [row], now);
  return { status: "completed", notificationId: row.id };
}

/**
 * Stores the dead letter of a run that failed at step `idx` (docs/api.md#retries-and-dead-letters): its payload is the
 * `workflow-resume` message a redrive puts back on the queue. The id is derived from the run, the
 * step and the run's last change (unchanged until the run is marked failed), so a store retried
 * after a crash stores one letter.
 */
export async function deadLetterRun(env: Bindings, userId: string, run: Run, idx: number, error: string, now: number): Promise<void> {
  const payload: WorkflowResumeMessage = { kind: "workflow-resume", userId, runId: run.id };
  const id = await derivedId(`${run.id}:${idx}:failed:${run.updatedAt}`, run.updatedAt);
  await env.DB.batch(insertDeadLettersStatements(env.DB, [{ id, source: "workflow_run", sourceId: run.id, queue: WORKFLOWS_QUEUE, payload, attempts: 1, lastError: error }], now));
}
