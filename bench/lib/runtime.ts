/**
 * Starting a Worker for the bench on workerd through wrangler's programmatic API (see
 * bench/lib/runtime-process.ts for why not `wrangler dev`). The child process and its workerd
 * run in their own process group, so one signal stops both and nothing outlives the run. The
 * handle has the same shape as `wrangler dev`'s in scripts/local-server.ts.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateLocal, processGroupControl, tail, until, type LocalServer } from "../../scripts/local-server.ts";
import type { RuntimeOptions } from "./runtime-process.ts";

const RUNTIME_SCRIPT = fileURLToPath(new URL("./runtime-process.ts", import.meta.url));
/** Miniflare's dispose takes a moment; after this the group is killed. */
const STOP_GRACE_MS = 10_000;

/** A Worker on local workerd: its handle plus the workerd inspector port (CPU profiles). */
export interface Runtime extends LocalServer {
  inspectorPort: number;
}

/**
 * Starts the bundled Worker `script` of `config` with random secrets (`apiKeyCount` API keys and a
 * JWT secret) on a state copied from `stateFrom` (or freshly migrated), and waits until
 * `healthPath` answers 200.
 * @throws Error with the tail of the log when the child exits or does not become healthy in 120 s.
 */
export async function startRuntime(options: {
  workDir: string;
  config: string;
  script: string;
  stateFrom?: string;
  apiKeyCount?: number;
  healthPath?: string;
  /** Variables on top of the config's `[vars]`. */
  vars?: Record<string, string>;
}): Promise<Runtime> {
  const { workDir } = options;
  const apiKeys = Array.from({ length: options.apiKeyCount ?? 1 }, () => `hk_local_${randomBytes(18).toString("base64url")}`);
  const jwtSecret = randomBytes(32).toString("hex");
  const persistDir = join(workDir, "state");
  if (options.stateFrom) cpSync(options.stateFrom, persistDir, { recursive: true });
  else migrateLocal(persistDir, options.config);
  const logPath = join(workDir, "runtime.log");
  writeFileSync(logPath, "");
  const runtimeOptions: RuntimeOptions = { config: options.config, script: options.script, persistDir, logPath, vars: { ...options.vars, API_KEYS: apiKeys.join(","), JWT_SECRET: jwtSecret, SECRET_KEYS: `k1:${randomBytes(32).toString("base64url")}` } };

  const child = spawn(process.execPath, [RUNTIME_SCRIPT, JSON.stringify(runtimeOptions)], {
    stdio: ["ignore", "pipe", openSync(logPath, "a")],
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const pgid = child.pid!;
  let ready = null as { base: string; inspector: number } | null;
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const line = text.split("\n").find((l) => l.startsWith('{"base"'));
    if (line) ready = JSON.parse(line) as { base: string; inspector: number };
  });
  const { stop, kill } = processGroupControl(pgid, STOP_GRACE_MS);

  try {
    const { base } = await until("the runtime to start", () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`the runtime exited with ${child.exitCode}`), { fatal: true });
      return ready;
    }, 120_000);
    await until(`${base}${options.healthPath ?? "/health"} to answer 200`, async () =>
      (await fetch(`${base}${options.healthPath ?? "/health"}`, { signal: AbortSignal.timeout(2000) })).status === 200, 60_000);
  } catch (error) {
    kill();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\nLast lines of the runtime log:\n${tail(logPath, 30)}`, { cause: error });
  }
  const { base, inspector } = ready!;
  return { base, apiKey: apiKeys[0]!, apiKeys, jwtSecret, logPath, persistDir, pgid, stop, kill, inspectorPort: inspector };
}
