/**
 * One Worker on workerd through wrangler's programmatic API, as a child process of the bench
 * (started by bench/lib/runtime.ts): wrangler turns the config into Miniflare options
 * (`unstable_getMiniflareWorkerOptions` — D1, Queues with their consumers, Durable Objects, rate
 * limiters, assets, vars) and Miniflare runs the bundled Worker on workerd with its state under a
 * given directory, exactly as `wrangler dev` does — minus `wrangler dev`'s proxy Worker (a second
 * workerd every request and WebSocket message crosses) and its per-request log printing, which
 * cost more CPU per request than a 404 in Herald itself (measured: 8.3 → 2.6 ms per sequential
 * request) and exist only in development.
 *
 * Usage: `node runtime-process.ts <options JSON>`; prints one line `{"base":…,"inspector":…}`
 * when the Worker answers, then runs until killed. The Worker's console output goes to `logPath`.
 */
import { appendFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

/** What the parent passes (JSON in argv[2]). */
export interface RuntimeOptions {
  /** Wrangler config of the Worker. */
  config: string;
  /** Bundled entry module (from `wrangler deploy --dry-run --outdir`). */
  script: string;
  /** State directory in `wrangler dev --persist-to` layout (D1 migrated by `wrangler d1 migrations apply`). */
  persistDir: string;
  /** Secrets and variables on top of the config's `[vars]`. */
  vars: Record<string, string>;
  logPath: string;
}

const options = JSON.parse(process.argv[2] ?? "") as RuntimeOptions;
const { workerOptions } = unstable_getMiniflareWorkerOptions(options.config);
// The bundle is one ES module; wrangler's module rules are for unbundled sources.
delete (workerOptions as { modulesRules?: unknown }).modulesRules;
const scriptDir = options.script.slice(0, options.script.lastIndexOf("/"));

const mf = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    inspectorPort: 0,
    // `wrangler dev --persist-to <dir>` keeps its state under `<dir>/v3`.
    resourcePersistencePath: `${options.persistDir}/v3`,
    handleStructuredLogs: ({ message }: { message: string }) => appendFileSync(options.logPath, `${message}\n`),
    workers: [
      {
        ...workerOptions,
        name: unstable_readConfig({ config: options.config }).name,
        modules: true,
        scriptPath: options.script,
        modulesRoot: scriptDir,
        bindings: { ...(workerOptions.bindings as Record<string, unknown> | undefined), ...options.vars },
      },
    ],
  } as Parameters<typeof convertV4MiniflareOptions>[0]),
);
const url = await mf.ready;
const inspector = await mf.getInspectorURL();
process.stdout.write(`${JSON.stringify({ base: url.origin, inspector: Number(inspector.port) })}\n`);
const stop = () => void mf.dispose().finally(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
