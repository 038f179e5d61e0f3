/**
 * The runtime floor of a one-object-per-user fan-out (docs/api.md#audiences, "Fan-out rate"): how many
 * per-user SQLite Durable Objects per second local workerd takes one INSERT each into, with no
 * Herald code. The Worker (bench/floor-fanout/index.ts) is started exactly as the bench starts
 * Herald (bench/lib/runtime.ts: Miniflare on workerd, state on disk), and driven in chunks of
 * `--chunk` users (default 250, Herald's `CHUNK_RECIPIENTS`) with every call of a chunk in flight,
 * one chunk at a time (Miniflare runs one queue batch at a time, and a batch runs its chunks in
 * turn); `--parallel=K` sends K chunks at once instead.
 *
 * Each size runs four passes on the same users: first every object is new (created with its SQLite
 * file); then again (objects idle since the first pass may have been evicted, so this pass reopens
 * them); then again right after, when they are live; then a call that writes nothing.
 *
 * `--objects=storage` runs the same on Herald's inbox schema and insert alone (`StorageInbox`);
 * `--objects=plain` on the same schema with a plain single-row INSERT (`deliverPlain`).
 *
 * Usage: `node bench/floor-fanout/run.ts [--n=2000,20000] [--chunk=250] [--parallel=1] [--objects=floor|storage|plain]`
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWorker } from "../../scripts/local-server.ts";
import { runtimeCpuSeconds } from "./cpu.ts";
import { startRuntime } from "../lib/runtime.ts";

const CONFIG = fileURLToPath(new URL("./wrangler.toml", import.meta.url));
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const sizes = arg("n", "2000,20000").split(",").map(Number);
const chunk = Number(arg("chunk", "250"));
const parallel = Number(arg("parallel", "1"));
const objects = arg("objects", "floor");

/** Calls `deliver` on users `<prefix>-u0 … u<n-1>`, chunk by chunk. @returns objects/s and failed calls. */
async function pass(base: string, prefix: string, n: number, item: string, readOnly = false): Promise<{ perSecond: number; perCpuSecond: number; failed: number }> {
  const started = performance.now();
  const cpuBefore = runtimeCpuSeconds(runtime.pgid);
  let next = 0;
  let failed = 0;
  const sender = async () => {
    while (next < n) {
      const from = next;
      next += chunk;
      const res = await fetch(`${base}/chunk`, {
        method: "POST",
        body: JSON.stringify({ prefix, from, count: Math.min(chunk, n - from), concurrency: chunk, item, readOnly, objects }),
      });
      if (res.status !== 200) throw new Error(`chunk at ${from}: ${res.status} ${await res.text()}`);
      failed += ((await res.json()) as { failed: number }).failed;
    }
  };
  await Promise.all(Array.from({ length: parallel }, sender));
  return { perSecond: n / ((performance.now() - started) / 1000), perCpuSecond: n / Math.max(0.01, runtimeCpuSeconds(runtime.pgid) - cpuBefore), failed };
}

const workDir = mkdtempSync(join(tmpdir(), "floor-fanout-"));
const emptyState = join(workDir, "empty-state");
mkdirSync(emptyState);
const runtime = await startRuntime({ workDir, config: CONFIG, script: buildWorker(join(workDir, "bundle"), CONFIG), stateFrom: emptyState });
try {
  // Warm-up: the Worker and the class compiled, off the clock.
  await pass(runtime.base, "warmup", 200, "w");
  for (const n of sizes) {
    const prefix = `n${n}`;
    const fresh = await pass(runtime.base, prefix, n, "b1");
    const again = await pass(runtime.base, prefix, n, "b2");
    const live = await pass(runtime.base, prefix, n, "b3");
    const liveRead = await pass(runtime.base, prefix, n, "", true);
    const load = loadavg()[0]!.toFixed(2);
    const figure = (p: { perSecond: number; perCpuSecond: number }) => `${Math.round(p.perSecond)}/s (${Math.round(p.perCpuSecond)} per runtime CPU-second)`;
    console.log(
      `${objects} N=${n} chunk=${chunk} parallel=${parallel}: fresh ${figure(fresh)}, again ${figure(again)}, live ${figure(live)}, live without the write ${figure(liveRead)}; ` +
        `${fresh.failed + again.failed + live.failed + liveRead.failed} calls failed; 1-min load ${load}`,
    );
  }
} finally {
  await runtime.stop({ force: true });
  rmSync(workDir, { recursive: true, force: true });
}
