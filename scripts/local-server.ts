/**
 * Starting Herald (or another Worker config) locally for scripts that drive it over real HTTP and
 * WebSockets: `npm run demo` and `npm run bench`. Each server runs `wrangler dev` on free
 * 127.0.0.1 ports with its own local D1/Queues/Durable Objects under a caller-owned temp dir and
 * random secrets passed by `--env-file`, so it never touches `.wrangler/` or `.dev.vars`.
 *
 * `wrangler dev` and the workerd processes it spawns run in their own process group, so one
 * signal to the group stops them all, and nothing outlives the script.
 *
 * Runs unbundled under Node ≥ 22 type stripping.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** Environment for every wrangler child: no prompts, no telemetry. */
const CHILD_ENV = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };
/** wrangler dev answers SIGTERM by shutting miniflare down, which takes a few seconds. */
const STOP_GRACE_MS = 10_000;

export interface LocalServerOptions {
  /** Directory owned by the caller (created, later removed by it): state, env file and log go here. */
  workDir: string;
  /** Wrangler config file. Default `wrangler.toml` in the current directory. */
  config?: string;
  /**
   * A Worker already bundled by {@link buildWorker}, served as-is (`--no-bundle`): edits to the
   * sources while the server runs then change nothing under it (wrangler would rebuild and
   * restart the Worker, dropping its Durable Objects and sockets).
   */
  script?: string;
  /** A state dir that {@link migrateLocal} prepared, copied instead of migrating again. */
  stateFrom?: string;
  /** Extra variables for the env file, next to the generated `API_KEYS`, `JWT_SECRET` and `SECRET_KEYS`. */
  vars?: Record<string, string>;
  /** How many API keys to generate (default 1); each has its own rate-limit counter (docs/api.md#rate-limits). */
  apiKeyCount?: number;
  /** Ceiling for the first 200 from `/health`, in ms. Default 120,000. */
  startTimeoutMs?: number;
  /** Health path to wait for. Default `/health`. */
  healthPath?: string;
  /** Serve `GET /__scheduled` (wrangler's `--test-scheduled`), which runs the cron handler once on demand. */
  testScheduled?: boolean;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The first configured API key. */
  apiKey: string;
  /** Every configured API key (`apiKeyCount` of them). */
  apiKeys: string[];
  /** HS256 secret for user tokens. */
  jwtSecret: string;
  /** wrangler's stdout and stderr. */
  logPath: string;
  /** Directory holding the local D1/Queues/Durable Object state. */
  persistDir: string;
  /** Process group id of wrangler dev and its workerd processes. */
  pgid: number;
  /**
   * Stops the whole process group: SIGTERM, then SIGKILL after a grace period (at once with
   * `force`, when the state is thrown away anyway). Resolves when no process of it is left.
   */
  stop(options?: { force?: boolean }): Promise<void>;
  /** Synchronous SIGKILL of the group, for exit and signal handlers. */
  kill(): void;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` every `intervalMs` (default 100) until it returns a truthy value.
 * @throws Error naming `what` (and the probe's last error) after `timeoutMs`; an error the probe
 *         throws with `fatal: true` set is rethrown at once.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs: number, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function runWrangler(args: string[], what: string): void {
  const result = spawnSync("npx", ["wrangler", ...args], { env: CHILD_ENV, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

/** Applies the D1 migrations of `config` (database `herald`) to fresh local state under `persistDir`. */
export function migrateLocal(persistDir: string, config = "wrangler.toml"): void {
  runWrangler(["d1", "migrations", "apply", "herald", "--local", "--persist-to", persistDir, "-c", config], "wrangler d1 migrations apply");
}

/**
 * Bundles the Worker of `config` exactly as `wrangler deploy` would, into `outDir`.
 * @returns the path of the bundled entry module.
 */
export function buildWorker(outDir: string, config = "wrangler.toml"): string {
  runWrangler(["deploy", "--dry-run", "--outdir", outDir, "-c", config], "wrangler deploy --dry-run");
  return join(outDir, "index.js");
}

/** Live processes (zombies excluded: they hold nothing) whose process group is `pgid` (Linux /proc), with their command name. */
export function groupProcesses(pgid: number): { pid: number; comm: string }[] {
  const found: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state, ppid, pgrp, …
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") found.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // The process exited while we looked.
    }
  }
  return found;
}

/**
 * Stopping a detached process group (a server and every process it spawned):
 * `stop` sends SIGTERM (SIGKILL at once with `force`), escalates to SIGKILL after `graceMs`, and
 * resolves when no process of the group is left; `kill` is a synchronous SIGKILL for exit handlers.
 * @throws Error from `stop` when the group survives SIGKILL.
 */
export function processGroupControl(pgid: number, graceMs: number): Pick<LocalServer, "stop" | "kill"> {
  const kill = () => {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const stop = async ({ force = false } = {}) => {
    try {
      process.kill(-pgid, force ? "SIGKILL" : "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + graceMs;
    while (groupProcesses(pgid).length > 0) {
      if (Date.now() > deadline) {
        kill();
        await new Promise((r) => setTimeout(r, 200));
        if (groupProcesses(pgid).length === 0) return;
        throw new Error(`process group ${pgid} survived SIGKILL`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { stop, kill };
}

/**
 * Starts `wrangler dev` (see module comment) and waits until `/health` answers 200.
 * @throws Error with the tail of wrangler's log when it exits or does not become healthy in time;
 *         the process group is stopped first.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { workDir, config = "wrangler.toml" } = options;
  const apiKeys = Array.from({ length: options.apiKeyCount ?? 1 }, () => `hk_local_${randomBytes(18).toString("base64url")}`);
  const jwtSecret = randomBytes(32).toString("hex");
  const envFile = join(workDir, "server.env");
  // SECRET_KEYS: the keyring that seals stored webhook secrets (src/lib/secret-box.ts).
  const vars = { API_KEYS: apiKeys.join(","), JWT_SECRET: jwtSecret, SECRET_KEYS: `k1:${randomBytes(32).toString("base64url")}`, ...options.vars };
  writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
  const persistDir = join(workDir, "state");
  if (options.stateFrom) cpSync(options.stateFrom, persistDir, { recursive: true });
  else migrateLocal(persistDir, config);

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const logPath = join(workDir, "wrangler.log");
  const log = openSync(logPath, "w");
  const args = [
    "wrangler", "dev", ...(options.script ? [options.script, "--no-bundle"] : []), "-c", config,
    "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort),
    "--persist-to", persistDir, "--env-file", envFile, "--show-interactive-dev-session=false",
    ...(options.testScheduled ? ["--test-scheduled"] : []),
  ];
  // Own process group (detached), so stop() reaches workerd too, not only the npx wrapper.
  const child: ChildProcess = spawn("npx", args, { env: CHILD_ENV, stdio: ["ignore", log, log], detached: true });
  const pgid = child.pid!;
  const base = `http://127.0.0.1:${port}`;

  const { stop, kill } = processGroupControl(pgid, STOP_GRACE_MS);

  try {
    await until(`${base}${options.healthPath ?? "/health"} to answer 200`, async () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`wrangler dev exited with ${child.exitCode}`), { fatal: true });
      return (await fetch(`${base}${options.healthPath ?? "/health"}`, { signal: AbortSignal.timeout(2000) })).status === 200;
    }, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await stop().catch(kill);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\nLast lines of the wrangler dev log:\n${tail(logPath, 30)}`, { cause: error });
  }
  return { base, apiKey: apiKeys[0]!, apiKeys, jwtSecret, logPath, persistDir, pgid, stop, kill };
}

/** The last `lines` lines of a file, or "" when it cannot be read. */
export function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
