/**
 * Digests (docs/api.md#workflows): every trigger for one (recipient, workflow, rendered key) within
 * `windowSeconds` of the first joins one run; when the window closes the run goes on, once, with
 * `data.events` (each trigger's data, in arrival order) and `data.count`.
 *
 * Exactly once needs no lock: the recipient's UserWorkflows object runs one request at a time, and
 * a join is one synchronous storage write (find the open window, append, record the trigger id),
 * so concurrent triggers line up, a redelivered one finds its trigger id, and the closing is the
 * alarm's `finishStep` — a storage transaction that moves the cursor once, whatever evicts the
 * object in between.
 */
import Mustache from "mustache";
import type { WorkflowStep } from "./definition";
import type { Run } from "./storage";

type DigestStep = Extract<WorkflowStep, { type: "digest" }>;

/** The rendered digest key of a trigger's data (Mustache, unescaped; a missing variable renders empty). Without `key`, one digest per workflow. */
export function digestKeyOf(step: DigestStep, data: Record<string, unknown>): string {
  return step.key === undefined ? "" : Mustache.render(step.key, data, undefined, { escape: (text: string) => text });
}

/** The data the steps after a closed digest see: the first trigger's data, `events` and `count`. */
export function closedDigestData(run: Run): Record<string, unknown> {
  const events = run.events ?? [];
  return { ...run.data, events, count: events.length };
}
