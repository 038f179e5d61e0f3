/**
 * The UserWorkflows object's SQLite schema and every statement over it (docs/data-model.md#userworkflows-storage).
 *
 * - `runs`: one row per run — the definition snapshot it started with, its data, the index of its
 *   next step (`cursor`), whether that step is waiting (a delay or an open digest window) and when
 *   the run has work next (`wake_at`, the alarm's index);
 * - `run_steps`: each finished step, written once, in the same storage transaction that moves the
 *   cursor past it — so no step is recorded twice or repeated after an eviction;
 * - `run_triggers`: every trigger id this user's object has taken, with the run it started or
 *   joined — a redelivered queue chunk finds its trigger here and starts nothing.
 *
 * As for the inbox (src/inbox/schema.ts), the schema is a list of steps recorded in `meta.schema`:
 * a step is never edited once shipped, a change is a new step.
 */
import { execScript } from "../lib/sql-script";
import type { WorkflowDefinition } from "./definition";

const STEPS: string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     workflow_key TEXT NOT NULL,
     definition TEXT NOT NULL,
     status TEXT NOT NULL,
     cursor INTEGER NOT NULL,
     waiting INTEGER NOT NULL DEFAULT 0,
     data TEXT NOT NULL,
     actor TEXT,
     digest_key TEXT,
     events TEXT,
     wake_at INTEGER,
     failures INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     finished_at INTEGER
   );
   CREATE INDEX runs_wake ON runs (wake_at) WHERE wake_at IS NOT NULL;
   CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;
   CREATE INDEX runs_open_digest ON runs (workflow_key, digest_key) WHERE status = 'running' AND cursor = 0 AND digest_key IS NOT NULL;
   CREATE TABLE run_steps (
     run_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     status TEXT NOT NULL,
     at INTEGER NOT NULL,
     notification_id TEXT,
     reason TEXT,
     PRIMARY KEY (run_id, idx)
   );
   CREATE TABLE run_triggers (trigger_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX run_triggers_run ON run_triggers (run_id);`,
];

/** Applies the schema steps not applied yet (inside the constructor, so atomically) and returns the object's user id, if known. */
export function openWorkflows(sql: SqlStorage): string | null {
  sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)`);
  const meta = new Map(sql.exec<{ key: string; value: SqlStorageValue }>(`SELECT key, value FROM meta`).toArray().map((r) => [r.key, r.value]));
  for (let step = Number(meta.get("schema") ?? 0); step < STEPS.length; step++) {
    execScript(sql, STEPS[step]!);
    sql.exec(`INSERT INTO meta (key, value) VALUES ('schema', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1`, step + 1);
  }
  const userId = meta.get("userId");
  return typeof userId === "string" ? userId : null;
}

/** Remembers the object's user id (the alarm has no caller to tell it). */
export function saveUserId(sql: SqlStorage, userId: string): void {
  sql.exec(`INSERT INTO meta (key, value) VALUES ('userId', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1`, userId);
}

export type RunStatus = "running" | "completed" | "cancelled" | "failed";
export type StepStatus = "completed" | "skipped";
/** Why a step was skipped: the user's preferences (docs/api.md#preferences), or its `if` was answered no. */
export type SkipReason = "preference" | "unsubscribed" | "read" | "seen";

/** A run as stored; times in ms. */
export interface Run {
  id: string;
  workflowKey: string;
  definition: WorkflowDefinition;
  status: RunStatus;
  cursor: number;
  waiting: boolean;
  data: Record<string, unknown>;
  actor: string | null;
  digestKey: string | null;
  events: Record<string, unknown>[] | null;
  wakeAt: number | null;
  failures: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** A finished step as stored; `at` in ms. */
export interface StepRecord {
  idx: number;
  status: StepStatus;
  at: number;
  notificationId: string | null;
  reason: SkipReason | null;
}

type RunRow = {
  id: string;
  workflow_key: string;
  definition: string;
  status: RunStatus;
  cursor: number;
  waiting: number;
  data: string;
  actor: string | null;
  digest_key: string | null;
  events: string | null;
  wake_at: number | null;
  failures: number;
  error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
};

const toRun = (r: RunRow): Run => ({
  id: r.id,
  workflowKey: r.workflow_key,
  definition: JSON.parse(r.definition) as WorkflowDefinition,
  status: r.status,
  cursor: r.cursor,
  waiting: r.waiting === 1,
  data: JSON.parse(r.data) as Record<string, unknown>,
  actor: r.actor,
  digestKey: r.digest_key,
  events: r.events === null ? null : (JSON.parse(r.events) as Record<string, unknown>[]),
  wakeAt: r.wake_at,
  failures: r.failures,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** The run that trigger `triggerId` started or joined, if this object took it already. */
export function runOfTrigger(sql: SqlStorage, triggerId: string): string | null {
  return sql.exec<{ run_id: string }>(`SELECT run_id FROM run_triggers WHERE trigger_id = ?1`, triggerId).toArray()[0]?.run_id ?? null;
}

/** Records that `triggerId` started or joined `runId`. */
export function recordTrigger(sql: SqlStorage, triggerId: string, runId: string, now: number): void {
  sql.exec(`INSERT INTO run_triggers (trigger_id, run_id, at) VALUES (?1, ?2, ?3)`, triggerId, runId, now);
}

/** A new run, due at `wakeAt` (ms). A digest run starts waiting, its window open, with the first trigger's data as its first event. */
export function insertRun(
  sql: SqlStorage,
  run: Pick<Run, "id" | "definition" | "data" | "actor" | "digestKey" | "wakeAt" | "waiting"> & { events: Record<string, unknown>[] | null },
  now: number,
): void {
  sql.exec(
    `INSERT INTO runs (id, workflow_key, definition, status, cursor, waiting, data, actor, digest_key, events, wake_at, created_at, updated_at)
     VALUES (?1, ?2, ?3, 'running', 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)`,
    run.id,
    run.definition.key,
    JSON.stringify(run.definition),
    run.waiting ? 1 : 0,
    JSON.stringify(run.data),
    run.actor,
    run.digestKey,
    run.events === null ? null : JSON.stringify(run.events),
    run.wakeAt,
    now,
  );
}

/**
 * Most JSON bytes a digest's events may hold (1 MiB), under the 2 MB a Durable Object's SQLite
 * value may have: a trigger that would take a digest past it opens the next window instead.
 */
export const MAX_DIGEST_BYTES = 1024 * 1024;

/**
 * The running run whose digest window for (workflow, rendered key) is still open at `now` (ms)
 * and has room for `eventBytes` more bytes of events ({@link MAX_DIGEST_BYTES}), if any.
 */
export function openDigest(sql: SqlStorage, workflowKey: string, digestKey: string, now: number, eventBytes: number): string | null {
  return (
    sql
      .exec<{ id: string }>(
        `SELECT id FROM runs WHERE workflow_key = ?1 AND digest_key = ?2 AND status = 'running' AND cursor = 0 AND digest_key IS NOT NULL AND wake_at > ?3
           AND length(CAST(events AS BLOB)) + ?4 <= ?5
         ORDER BY id LIMIT 1`,
        workflowKey,
        digestKey,
        now,
        eventBytes + 1,
        MAX_DIGEST_BYTES,
      )
      .toArray()[0]?.id ?? null
  );
}

/** Appends one trigger's data to an open digest's events (arrival order). */
export function appendEvent(sql: SqlStorage, runId: string, data: Record<string, unknown>, now: number): void {
  sql.exec(`UPDATE runs SET events = json_insert(events, '$[#]', json(?2)), updated_at = ?3 WHERE id = ?1`, runId, JSON.stringify(data), now);
}

/** One run, or null. */
export function findRun(sql: SqlStorage, runId: string): Run | null {
  const row = sql.exec<RunRow>(`SELECT * FROM runs WHERE id = ?1`, runId).toArray()[0];
  return row ? toRun(row) : null;
}

/** The finished steps of a run, by index. */
export function stepsOf(sql: SqlStorage, runId: string): StepRecord[] {
  return sql
    .exec<{ idx: number; status: StepStatus; at: number; notification_id: string | null; reason: SkipReason | null }>(
      `SELECT idx, status, at, notification_id, reason FROM run_steps WHERE run_id = ?1 ORDER BY idx`,
      runId,
    )
    .toArray()
    .map((r) => ({ idx: r.idx, status: r.status, at: r.at, notificationId: r.notification_id, reason: r.reason }));
}

/** Runs newest first, ids below `before`, at most `limit`. */
export function listRuns(sql: SqlStorage, before: string | null, limit: number): Run[] {
  return sql
    .exec<RunRow>(`SELECT * FROM runs WHERE id < ?1 ORDER BY id DESC LIMIT ?2`, before ?? "\u{10FFFF}", limit)
    .toArray()
    .map(toRun);
}

/** Ids of running runs due by `now` (ms), soonest first, at most `limit`. */
export function dueRuns(sql: SqlStorage, now: number, limit: number): string[] {
  return sql
    .exec<{ id: string }>(`SELECT id FROM runs WHERE wake_at IS NOT NULL AND wake_at <= ?1 ORDER BY wake_at LIMIT ?2`, now, limit)
    .toArray()
    .map((r) => r.id);
}

/**
 * Finishes step `idx` of a running run whose cursor is there: records its outcome and moves the
 * cursor past it (the run completes after its last step), in one storage transaction. A run that
 * was cancelled, or whose step was recorded meanwhile, changes nothing.
 * @param next what follows: `data` for the steps after (a closed digest), `wakeAt` (ms) when the next step is due.
 * @returns whether the step was recorded.
 */
export function finishStep(
  storage: DurableObjectStorage,
  runId: string,
  idx: number,
  outcome: { status: StepStatus; notificationId?: string | null; reason?: SkipReason | null },
  next: { data?: Record<string, unknown>; last: boolean },
  now: number,
): boolean {
  return storage.transactionSync(() => {
    const moved = storage.sql.exec(
      `UPDATE runs SET cursor = cursor + 1, waiting = 0, failures = 0, updated_at = ?3,
         data = COALESCE(?4, data), events = CASE WHEN ?4 IS NULL THEN events ELSE NULL END,
         status = CASE WHEN ?5 THEN 'completed' ELSE status END,
         finished_at = CASE WHEN ?5 THEN ?3 ELSE NULL END,
         wake_at = CASE WHEN ?5 THEN NULL ELSE ?3 END
       WHERE id = ?1 AND status = 'running' AND cursor = ?2`,
      runId,
      idx,
      now,
      next.data === undefined ? null : JSON.stringify(next.data),
      next.last ? 1 : 0,
    ).rowsWritten;
    if (moved === 0) return false;
    storage.sql.exec(
      `INSERT INTO run_steps (run_id, idx, status, at, notification_id, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
      runId,
      idx,
      outcome.status,
      now,
      outcome.notificationId ?? null,
      outcome.reason ?? null,
    );
    return true;
  });
}

/** Starts the wait of the run's current step (a delay): due at `wakeAt` (ms). */
export function startWait(sql: SqlStorage, runId: string, idx: number, wakeAt: number, now: number): void {
  sql.exec(`UPDATE runs SET waiting = 1, wake_at = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'running' AND cursor = ?2`, runId, idx, wakeAt, now);
}

/** A transient failure (D1 or a queue unreachable): the step is tried again at `retryAt` (ms), nothing recorded. */
export function retryLater(sql: SqlStorage, runId: string, retryAt: number, now: number): void {
  sql.exec(`UPDATE runs SET wake_at = ?2, failures = failures + 1, updated_at = ?3 WHERE id = ?1 AND status = 'running'`, runId, retryAt, now);
}

/** Ends a running run `failed` with `error` (its dead letter is stored already); the failed step stays the cursor, for a redrive. */
export function failRun(sql: SqlStorage, runId: string, error: string, now: number): void {
  sql.exec(`UPDATE runs SET status = 'failed', error = ?2, wake_at = NULL, finished_at = ?3, updated_at = ?3 WHERE id = ?1 AND status = 'running'`, runId, error, now);
}

/** Cancels a running run: nothing more is sent. @returns whether it was running. */
export function cancelRun(sql: SqlStorage, runId: string, now: number): boolean {
  return sql.exec(`UPDATE runs SET status = 'cancelled', wake_at = NULL, finished_at = ?2, updated_at = ?2 WHERE id = ?1 AND status = 'running'`, runId, now).rowsWritten > 0;
}

/** Resumes a failed run at the step that failed, due now. @returns whether it was failed. */
export function resumeRun(sql: SqlStorage, runId: string, now: number): boolean {
  return (
    sql.exec(
      `UPDATE runs SET status = 'running', error = NULL, failures = 0, wake_at = ?2, finished_at = NULL, updated_at = ?2 WHERE id = ?1 AND status = 'failed'`,
      runId,
      now,
    ).rowsWritten > 0
  );
}

/** When the alarm has work next (ms): the soonest due run, or the retention of the oldest finished one; null when neither. */
export function nextWake(sql: SqlStorage, retentionMs: number): number | null {
  const row = sql
    .exec<{ wake: number | null; finished: number | null }>(
      `SELECT (SELECT MIN(wake_at) FROM runs WHERE wake_at IS NOT NULL) AS wake, (SELECT MIN(finished_at) FROM runs WHERE finished_at IS NOT NULL) AS finished`,
    )
    .one();
  const candidates = [row.wake, row.finished === null ? null : row.finished + retentionMs].filter((t): t is number => t !== null);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/**
 * Retention (docs/data-model.md#userworkflows-storage): removes runs finished before `before` (ms),
 * with their steps and trigger ids, at most `limit` runs. Running runs are never removed.
 * @returns runs removed.
 */
export function purgeFinishedRuns(storage: DurableObjectStorage, before: number, limit: number): number {
  return storage.transactionSync(() => {
    const ids = storage.sql
      .exec<{ id: string }>(`SELECT id FROM runs WHERE finished_at IS NOT NULL AND finished_at < ?1 LIMIT ?2`, before, limit)
      .toArray()
      .map((r) => r.id);
    if (ids.length === 0) return 0;
    const json = JSON.stringify(ids);
    storage.sql.exec(`DELETE FROM run_steps WHERE run_id IN (SELECT value FROM json_each(?1))`, json);
    storage.sql.exec(`DELETE FROM run_triggers WHERE run_id IN (SELECT value FROM json_each(?1))`, json);
    storage.sql.exec(`DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?1))`, json);
    return ids.length;
  });
}
