/**
 * Herald under the bench: one fresh local server per scenario (workerd through wrangler's
 * programmatic API, bench/lib/runtime.ts), built once per run and started from a state dir
 * migrated once per run, plus what the scenarios read from it: the D1 file, user tokens, and
 * workerd's memory.
 */
import Database from "better-sqlite3";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "hono/jwt";
import { buildWorker, groupProcesses, migrateLocal, until, type LocalServer } from "../../scripts/local-server.ts";
import { JsonClient } from "./http.ts";
import { startRuntime, type Runtime } from "./runtime.ts";

const HERALD_CONFIG = "wrangler.toml";

/** What every scenario gets from the runner. */
export interface BenchContext {
  /** `--quick`: reduced sizes and repetitions. */
  quick: boolean;
  /** Temp dir of this run; scenarios make subdirs. */
  workDir: string;
  /** Herald bundled once for the whole run. */
  bundle: string;
  /** Local state with the D1 migrations applied, copied for each server. */
  stateTemplate: string;
  /** Registers something to kill if the run is aborted; returns a function that unregisters it. */
  track(child: { kill(): void }): () => void;
  /** Progress line on stderr (stdout carries the table). */
  log(text: string): void;
}

/** Bundles Herald and migrates a template state, once per run. */
export function prepareHerald(workDir: string): { bundle: string; stateTemplate: string } {
  const bundle = buildWorker(join(workDir, "bundle"));
  const stateTemplate = join(workDir, "state-template");
  migrateLocal(stateTemplate);
  return { bundle, stateTemplate };
}

/**
 * For the profiling scripts (bench/profile-*.ts), outside a bench run: bundles Herald into a new
 * temp dir named after `prefix`, starts it on a migrated state, and runs `fn` with the server, its
 * bundle (for the profiler's source map), an API client and workerd's pid; stops the server and
 * removes the dir afterwards, whatever happens.
 */
export async function withHeraldAlone<T>(prefix: string, fn: (run: { server: Runtime; bundle: string; api: JsonClient; pid: number }) => Promise<T>): Promise<T> {
  const workDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const { bundle, stateTemplate } = prepareHerald(workDir);
  const server = await startRuntime({ workDir: join(workDir, "herald"), config: HERALD_CONFIG, script: bundle, stateFrom: stateTemplate });
  const api = new JsonClient(server.base, server.apiKey, 1);
  try {
    return await fn({ server, bundle, api, pid: workerdProcess(server) });
  } finally {
    api.close();
    await server.stop({ force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` against a fresh Herald (or, with `config`, another Worker started from the same
 * migrated state), and stops it afterwards whatever happens. `apiKeyCount` keys are configured;
 * `vars` override the config's `[vars]` (e.g. `COST_TRACE`).
 */
export async function withServer<T>(
  ctx: BenchContext,
  name: string,
  fn: (server: Runtime) => Promise<T>,
  options: { config?: string; apiKeyCount?: number; vars?: Record<string, string> } = {},
): Promise<T> {
  const workDir = join(ctx.workDir, name);
  mkdirSync(workDir, { recursive: true });
  const server = await startRuntime({
    workDir,
    stateFrom: ctx.stateTemplate,
    apiKeyCount: options.apiKeyCount,
    vars: options.vars,
    config: options.config ?? HERALD_CONFIG,
    script: options.config ? buildWorker(join(workDir, "bundle"), options.config) : ctx.bundle,
  });
  const untrack = ctx.track(server);
  try {
    return await fn(server);
  } finally {
    // The state is thrown away with the run's temp dir, so there is nothing to shut down cleanly.
    await server.stop({ force: true });
    untrack();
  }
}

/** Mints a user token exactly as `POST /v1/users/{userId}/tokens` does (HS256, `sub`, `typ`, `aud` "herald", `exp` in 1 h). */
export async function userToken(secret: string, userId: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return sign({ sub: userId, typ: "user", aud: "herald", iat, exp: iat + 3600 }, secret, "HS256");
}

/** The local D1 database file of a server's state (miniflare keeps one SQLite file per database). */
export function d1File(persistDir: string): string {
  const dir = join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database file under ${dir}`);
  return join(dir, file);
}

/**
 * Opens a server's D1 file read-only. D1's local database is in WAL mode, so this reader sees
 * committed transactions while workerd keeps writing, and never blocks it.
 */
export function openD1(server: LocalServer): Database.Database {
  return new Database(d1File(server.persistDir), { readonly: true, fileMustExist: true });
}

/** Polls a server's D1 every `intervalMs` until `countSql` (a `SELECT COUNT(*) AS n …`) answers 0, or fails after `timeoutMs`. */
async function waitForNone(server: LocalServer, what: string, countSql: string, timeoutMs: number, intervalMs: number): Promise<void> {
  const db = openD1(server);
  try {
    const pending = db.prepare<[], { n: number }>(countSql);
    await until(what, () => pending.get()!.n === 0, timeoutMs, intervalMs);
  } finally {
    db.close();
  }
}

/**
 * Waits until the dispatch consumer has handled every notification (none left with
 * `dispatched_at` NULL), so background work of one repetition does not run into the next.
 */
export const waitForDispatch = (server: LocalServer, timeoutMs: number): Promise<void> =>
  waitForNone(server, "the dispatch queue to drain", `SELECT COUNT(*) AS n FROM notifications WHERE dispatched_at IS NULL`, timeoutMs, 200);

/**
 * Waits until D1 shows every in-app notification delivered (or read): the receipts of the acks
 * so far have all been written, so they do not run on workerd's one thread during what is
 * measured next.
 */
export const waitForReceipts = (server: LocalServer, timeoutMs: number): Promise<void> =>
  waitForNone(server, "the receipts to settle", `SELECT COUNT(*) AS n FROM notifications WHERE in_app_status NOT IN ('delivered', 'read')`, timeoutMs, 50);

/** Resident set size of a process, in KiB (VmRSS from /proc). */
export function rssKiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/**
 * Durable Object SQLite databases a process holds open (its /proc fd links to `…/do/…/<id>.sqlite`):
 * workerd opens an object's database when the object starts and closes it when the object is
 * evicted, so this counts the objects in memory.
 */
export function openObjectDatabases(pid: number): number {
  let open = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (/\/do\/.+\.sqlite$/.test(readlinkSync(`/proc/${pid}/fd/${fd}`))) open++;
    } catch {
      // Closed while we looked.
    }
  }
  return open;
}

/** The workerd process running a server's Worker (its Durable Objects, D1, queues). */
export function workerdProcess(server: LocalServer): number {
  const pids = groupProcesses(server.pgid).filter((p) => p.comm === "workerd").map((p) => p.pid);
  if (pids.length !== 1) throw new Error(`expected one workerd running Herald, found ${pids.length}`);
  return pids[0]!;
}
