/**
 * The in-app floor against Herald (docs/cost.md#in-app-cpu-per-notification): workerd CPU per
 * in-app notification for the floor Worker (bench/floor/index.ts: one RPC, one insert, one frame,
 * one update per ack, no Herald code) and for Herald, measured alike (bench/lib/in-app-cpu.ts:
 * 1,000 closed-loop POSTs to 100 clients acking), alternating so both see the same machine load.
 *
 *   node bench/floor/run.ts [--reps=3] [--only=floor|herald] [--profile] [--bundle=<label>=<bundle dir>]… [--config=<label>=<wrangler config>]…
 *
 * Prints each run with the 1-min load average, then the medians; `--profile` adds one extra run
 * of each with a V8 CPU profile of the isolate (its figure is not counted: profiling costs CPU).
 * `--bundle` adds a side: Herald from another bundle (`wrangler deploy --dry-run --outdir <dir>`
 * at another commit), for before/after figures under the same load; `--config` one from another
 * wrangler config (bundled from it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareHerald, type BenchContext } from "../lib/herald.ts";
import { inAppCpu } from "../lib/in-app-cpu.ts";
import { quantile } from "../lib/stats.ts";

const FLOOR_CONFIG = fileURLToPath(new URL("./wrangler.toml", import.meta.url));

const args = process.argv.slice(2);
const reps = Number(args.find((a) => a.startsWith("--reps="))?.slice("--reps=".length) ?? 3);
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
/** A Worker measured: the floor (its own config), or Herald from this tree's bundle or another. */
interface Side {
  label: string;
  config?: string;
  bundle?: string;
}
const sides: Side[] = [
  { label: "floor", config: FLOOR_CONFIG },
  { label: "herald" },
  ...args.filter((a) => a.startsWith("--bundle=")).map((a) => {
    const [label, dir] = a.slice("--bundle=".length).split("=");
    return { label: label!, bundle: join(dir!, "index.js") };
  }),
  ...args.filter((a) => a.startsWith("--config=")).map((a) => {
    const [label, config] = a.slice("--config=".length).split("=");
    return { label: label!, config: config! };
  }),
].filter((s) => !only || only.split(",").includes(s.label));
const workDir = mkdtempSync(join(tmpdir(), "herald-floor-"));
const live = new Set<{ kill(): void }>();
process.once("SIGINT", () => {
  for (const child of live) child.kill();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(130);
});

try {
  const { bundle, stateTemplate } = prepareHerald(workDir);
  const ctx: BenchContext = {
    quick: true,
    workDir,
    bundle,
    stateTemplate,
    track: (child) => {
      live.add(child);
      return () => live.delete(child);
    },
    log: (text) => console.error(text),
  };
  const measure = (side: Side, name: string, profile = false) =>
    inAppCpu({ ...ctx, bundle: side.bundle ?? bundle }, 100, 1000, { name, config: side.config, profile });
  const figures = new Map<string, number[]>(sides.map((s) => [s.label, []]));
  let run = 0;
  for (let rep = 0; rep < reps; rep++) {
    for (const side of rep % 2 === 0 ? sides : [...sides].reverse()) {
      const { cpuMs } = await measure(side, `${side.label}-${run++}`);
      figures.get(side.label)!.push(cpuMs);
      console.log(`${side.label}: ${cpuMs.toFixed(2)} ms/notification (load ${loadavg()[0]!.toFixed(2)})`);
    }
  }
  if (reps > 0) for (const [label, values] of figures) console.log(`${label} median: ${quantile(values, 0.5).toFixed(2)} ms/notification over ${reps} runs (${values.map((v) => v.toFixed(2)).join(", ")})`);
  if (args.includes("--profile")) {
    for (const side of sides) {
      const { profile } = await measure(side, `${side.label}-profile`, true);
      console.log(`${side.label} profile (% of busy samples): ${JSON.stringify(profile, null, 1)}`);
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
