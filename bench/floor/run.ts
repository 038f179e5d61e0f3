/**
 * The in-app floor against Herald (docs/cost.md#in-app-cpu-per-notification): workerd CPU per
 * in-app notification for the floor Worker (bench/floor/index.ts: one RPC, one insert, one frame,
 * one update per ack, no Herald code) and for Herald, measured alike (bench/lib/in-app-cpu.ts:
 * 1,000 closed-loop POSTs to 100 clients acking), alternating so both see the same machine load.
 *
 *   node bench/floor/run.ts [--reps=3] [--only=floor|herald] [--variant=inline] [--profile] [--bundle=<label>=<bundle dir>]… [--config=<label>=<wrangler config>]…
 *   node bench/floor/run.ts --variants=inline,d1,d1-queue,d1-inline-queue [--rounds=3] [--users=1000] [--low=1500] [--high=5000] [--high-reps=2]
 *
 * Prints each run with the 1-min load average, then the medians; `--profile` adds one extra run
 * of each with a V8 CPU profile of the isolate (its figure is not counted: profiling costs CPU).
 * `--bundle` adds a side: Herald from another bundle (`wrangler deploy --dry-run --outdir <dir>`
 * at another commit), for before/after figures under the same load; `--config` one from another
 * wrangler config (bundled from it). `--variant` picks the floor's variant (bench/floor/index.ts;
 * default `inline`, the floor above). `--variants` instead runs the table of the local floor of the
 * in-app path against the ws hub and Socket.IO (bench/floor/variants.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { prepareHerald, type BenchContext } from "../lib/herald.ts";
import { inAppCpu } from "../lib/in-app-cpu.ts";
import { quantile } from "../lib/stats.ts";
import { runVariants, variantConfig } from "./variants.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const reps = Number(args.find((a) => a.startsWith("--reps="))?.slice("--reps=".length) ?? 3);
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
/** A Worker measured: the floor (its own config), or Herald from this tree's bundle or another. */
interface Side {
  label: string;
  config?: string;
  bundle?: string;
}
const workDir = mkdtempSync(join(tmpdir(), "herald-floor-"));
const sides: Side[] = [
  { label: "floor", config: variantConfig(flag("variant") ?? "inline", join(workDir, "configs")) },
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
const live = new Set<{ kill(): void }>();
process.once("SIGINT", () => {
  for (const child of live) child.kill();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(130);
});

try {
  const variants = flag("variants")?.split(",");
  // The floor alone needs no Herald bundle and starts from an empty state (its D1 makes its own tables).
  const floorOnly = variants !== undefined || sides.every((s) => s.config !== undefined);
  const { bundle, stateTemplate } = floorOnly ? { bundle: "", stateTemplate: join(workDir, "empty-state") } : prepareHerald(workDir);
  mkdirSync(stateTemplate, { recursive: true });
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
  if (variants) {
    const size = (name: string, fallback: number) => Number(flag(name) ?? fallback);
    await runVariants(ctx, variants, size("rounds", 3), { users: size("users", 1000), low: size("low", 1500), high: size("high", 5000), highReps: size("high-reps", 2) });
  } else {
    await compareCpu(ctx);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

/** CPU per notification of each side, alternating (and a profile of each with `--profile`). */
async function compareCpu(ctx: BenchContext): Promise<void> {
  const measure = (side: Side, name: string, profile = false) =>
    inAppCpu({ ...ctx, bundle: side.bundle ?? ctx.bundle }, 100, 1000, { name, config: side.config, profile });
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
}
