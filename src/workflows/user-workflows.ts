/**
 * UserWorkflows: one Durable Object per user that runs that user's workflow runs
 * (docs/api.md#workflows), beside the user's UserInbox and of the same shape (SQLite storage,
 * schema steps, one alarm).
 *
 * A run is a durable state machine in this object's storage (src/workflows/storage.ts): the
 * definition snapshot it started with, a cursor, and when it has work next. The alarm advances due
 * runs one at a time:
 * - a digest step closes its window (src/workflows/digest.ts);
 * - a delay step starts its wait, then completes when it ends;
 * - a channel step asks the inbox (`if`), judges preferences and creates its notification
 *   (src/workflows/run.ts) — the one side effect outside this object, made idempotent by an id
 *   derived from (run, step).
 * Each outcome is written in the storage transaction that moves the cursor past the step, so an
 * eviction, a restart or a redelivered trigger can neither skip nor repeat a recorded step.
 *
 * The alarm never throws: a step that failed transiently is retried later with backoff (a thrown
 * alarm is retried by the runtime only a few times, then dropped, which would strand the run).
 */
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { backoffSeconds } from "../lib/queue";
import type { WorkflowDefinition } from "./definition";
import { closedDigestData, digestKeyOf } from "./digest";
import { costTraceOn, countDurableObjectEvent, traced, tracedState } from "../lib/cost-trace";
import { deadLetterRun, inAppNotificationOf, runChannelStep } from "./run";
import {
  appendEvent,
  cancelRun,
  dueRuns,
  failRun,
  findRun,
  finishStep,
  insertRun,
  listRuns,
  nextWake,
  openDigest,
  openWorkflows,
  purgeFinishedRuns,
  recordTrigger,
  resumeRun,
  retryLater,
  runOfTrigger,
  saveUserId,
  startWait,
  stepsOf,
  type Run,
  type SkipReason,
} from "./storage";

/** Finished runs stay readable this long, then the alarm removes them (docs/data-model.md#userworkflows-storage): 30 days. */
export const RUN_RETENTION_MS = 30 * 86_400_000;
/** Runs advanced per pass of the alarm before it looks for newly due ones. */
const PASS = 50;
/** Most runs one page lists (docs/api.md#pagination). */
const MAX_PAGE = 200;

/** A trigger as the object takes it: the id it dedupes by, the definition snapshot, the data. */
export interface TriggerInput {
  triggerId: string;
  definition: WorkflowDefinition;
  data: Record<string, unknown>;
  actor: string | null;
}

/** A step as `GET /v1/workflow-runs/{id}` shows it. */
export interface StepView {
  index: number;
  type: string;
  status: "completed" | "skipped" | "failed" | "waiting" | "pending" | "cancelled";
  at: string | null;
  notificationId: string | null;
  reason: SkipReason | null;
}

/** A run as the API shows it (times ISO-8601). */
export interface RunView {
  id: string;
  userId: string;
  workflowKey: string;
  version: number;
  status: Run["status"];
  steps: StepView[];
  /** JSON-typed so the RPC can carry it (an `unknown` member makes the stub's return type `never`). */
  data: JsonObject;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Run data as the RPC carries it: JSON members (it came from a request body), typed one level deep. */
export type JsonObject = Record<string, string | number | boolean | null | object>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Run ids name their user (`wr_<ULID>_<userId>`), so `GET /v1/workflow-runs/{id}` finds the one
 * object that holds the run without a D1 index (docs/data-model.md#userworkflows-storage).
 */
export function runIdFor(userId: string): string {
  return `wr_${newId()}_${userId}`;
}

/** The user a run id names, or null for an id not of that shape. */
export function userOfRun(runId: string): string | null {
  return /^wr_[0-9A-HJKMNP-TV-Z]{26}_(.+)$/.exec(runId)?.[1] ?? null;
}

export class UserWorkflows extends DurableObject<Bindings> {
  private readonly sql: SqlStorage;
  private userId: string | null;
  /** The pass advancing due runs, while one runs: steps of this object never run concurrently. */
  private pumping: Promise<void> | null = null;
  /** Work arrived during a pass: run another. */
  private again = false;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, traced(env));
    // The runtime wants the real state in the base constructor; the steps reach storage through
    // `this.ctx`, so with COST_TRACE on it is swapped for one whose storage counts (src/lib/cost-trace.ts).
    if (costTraceOn(env)) Object.defineProperty(this, "ctx", { value: tracedState(ctx, env) });
    this.sql = this.ctx.storage.sql;
    this.userId = openWorkflows(this.sql);
  }

  /**
   * Takes a trigger for this user: starts a run, or joins the open digest window of its
   * (workflow, rendered key). A trigger id taken before (a redelivered queue chunk, a retried
   * call) returns the run it started and changes nothing.
   * @returns the run and whether the trigger joined an open digest.
   */
  async start(userId: string, trigger: TriggerInput): Promise<{ runId: string; joined: boolean }> {
    const known = runOfTrigger(this.sql, trigger.triggerId);
    if (known !== null) return { runId: known, joined: false };
    if (this.userId !== userId) {
      saveUserId(this.sql, userId);
      this.userId = userId;
    }
    const now = Date.now();
    const first = trigger.definition.steps[0]!;
    // From here to the end of the write nothing awaits: the join or the new run and the trigger id are one atomic write.
    if (first.type === "digest") {
      const key = digestKeyOf(first, trigger.data);
      const open = openDigest(this.sql, trigger.definition.key, key, now, new TextEncoder().encode(JSON.stringify(trigger.data)).byteLength);
      if (open !== null) {
        appendEvent(this.sql, open, trigger.data, now);
        recordTrigger(this.sql, trigger.triggerId, open, now);
        return { runId: open, joined: true };
      }
      const runId = runIdFor(userId);
      insertRun(this.sql, { id: runId, definition: trigger.definition, data: trigger.data, actor: trigger.actor, digestKey: key, events: [trigger.data], waiting: true, wakeAt: now + first.windowSeconds * 1000 }, now);
      recordTrigger(this.sql, trigger.triggerId, runId, now);
      await this.scheduleAlarm();
      return { runId, joined: false };
    }
    const runId = runIdFor(userId);
    insertRun(this.sql, { id: runId, definition: trigger.definition, data: trigger.data, actor: trigger.actor, digestKey: null, events: null, waiting: false, wakeAt: now }, now);
    recordTrigger(this.sql, trigger.triggerId, runId, now);
    await this.scheduleAlarm();
    return { runId, joined: false };
  }

  /** One run with its step timeline, or null. */
  async run(runId: string): Promise<RunView | null> {
    const run = findRun(this.sql, runId);
    return run ? this.view(run) : null;
  }

  /** This user's runs, newest first; `cursor` is the run id to continue below. @param limit 1..200. */
  async runs(opts: { limit?: number; cursor?: string }): Promise<{ items: RunView[]; nextCursor: string | null }> {
    const limit = Math.min(MAX_PAGE, Math.max(1, opts.limit ?? 50));
    const rows = listRuns(this.sql, opts.cursor ?? null, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map((r) => this.view(r)), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Cancels a running run: it sends nothing more (a step in flight is not recorded). @returns the run after, or null when unknown. */
  async cancel(runId: string): Promise<RunView | null> {
    cancelRun(this.sql, runId, Date.now());
    await this.scheduleAlarm();
    return this.run(runId);
  }

  /** Resumes a failed run at the step that failed (a redriven dead letter). @returns whether it was failed. */
  async resume(runId: string): Promise<boolean> {
    const resumed = resumeRun(this.sql, runId, Date.now());
    if (resumed) await this.scheduleAlarm();
    return resumed;
  }

  /** Advances every due run, removes runs past their retention, and sets the alarm for what comes next. */
  override async alarm(): Promise<void> {
    countDurableObjectEvent(this.env, "alarm");
    await this.pump();
  }

  /** Runs passes over the due runs until none is due; concurrent callers share the pass in progress. */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          let due: string[];
          while ((due = dueRuns(this.sql, Date.now(), PASS)).length > 0) {
            for (const id of due) await this.advance(id);
          }
        } while (this.again);
        purgeFinishedRuns(this.ctx.storage, Date.now() - RUN_RETENTION_MS, 500);
        await this.scheduleAlarm();
      } finally {
        this.pumping = null;
      }
    })();
    return this.pumping;
  }

  /** Advances one run through every step that is due now, stopping at a wait, the end, or a failure. */
  private async advance(runId: string): Promise<void> {
    for (;;) {
      const run = findRun(this.sql, runId);
      const now = Date.now();
      if (!run || run.status !== "running" || run.wakeAt === null || run.wakeAt > now) return;
      // A running run's cursor is always on a step: finishing the last step completes the run.
      const step = run.definition.steps[run.cursor]!;
      const last = run.cursor === run.definition.steps.length - 1;
      if (step.type === "digest") {
        finishStep(this.ctx.storage, runId, run.cursor, { status: "completed" }, { data: closedDigestData(run), last }, now);
        continue;
      }
      if (step.type === "delay") {
        if (!run.waiting) startWait(this.sql, runId, run.cursor, now + step.seconds * 1000, now);
        else finishStep(this.ctx.storage, runId, run.cursor, { status: "completed" }, { last }, now);
        continue;
      }
      const userId = this.userId!;
      try {
        const outcome = await runChannelStep(this.env, userId, run, run.cursor, step, inAppNotificationOf(stepsOf(this.sql, runId), run, run.cursor), now);
        if (outcome.status === "failed") {
          // The letter first: a crash before the run is marked failed retries the step, and the
          // retried store finds the same letter id.
          await deadLetterRun(this.env, userId, run, run.cursor, outcome.error, now);
          failRun(this.sql, runId, outcome.error, Date.now());
          return;
        }
        finishStep(this.ctx.storage, runId, run.cursor, outcome, { last }, Date.now());
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "workflow step failed, retrying", runId, step: run.cursor, error: String(error) }));
        retryLater(this.sql, runId, Date.now() + backoffSeconds(run.failures + 1, 1, 300) * 1000, Date.now());
        return;
      }
    }
  }

  /** Sets the alarm to the next due run or retention (or deletes it when there is none). */
  private async scheduleAlarm(): Promise<void> {
    const next = nextWake(this.sql, RUN_RETENTION_MS);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else if ((await this.ctx.storage.getAlarm()) !== next) await this.ctx.storage.setAlarm(next);
  }

  private view(run: Run): RunView {
    const recorded = new Map(stepsOf(this.sql, run.id).map((s) => [s.idx, s]));
    const steps = run.definition.steps.map((step, index): StepView => {
      const done = recorded.get(index);
      if (done) return { index, type: step.type, status: done.status, at: iso(done.at), notificationId: done.notificationId, reason: done.reason };
      const current = index === run.cursor;
      const status: StepView["status"] =
        run.status === "failed" && current ? "failed" : run.status === "cancelled" ? "cancelled" : current && run.waiting ? "waiting" : "pending";
      return { index, type: step.type, status, at: status === "failed" || status === "cancelled" ? iso(run.finishedAt) : null, notificationId: null, reason: null };
    });
    return {
      id: run.id,
      userId: userOfRun(run.id) ?? this.userId ?? "",
      workflowKey: run.workflowKey,
      version: run.definition.version,
      status: run.status,
      steps,
      data: (run.status === "running" && run.events !== null ? { ...run.data, events: run.events, count: run.events.length } : run.data) as JsonObject,
      error: run.error,
      createdAt: iso(run.createdAt)!,
      updatedAt: iso(run.updatedAt)!,
      finishedAt: iso(run.finishedAt),
    };
  }
}

/** The stub of `userId`'s workflows object (one per user, named by the user id). */
export function workflowsOf(env: Pick<Bindings, "USER_WORKFLOWS">, userId: string): DurableObjectStub<UserWorkflows> {
  return env.USER_WORKFLOWS.get(env.USER_WORKFLOWS.idFromName(userId));
}
