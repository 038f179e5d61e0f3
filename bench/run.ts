/**
 * `npm run bench`: Herald against its baselines, side by side in one run (README.md#benchmarks, issue 8).
 *
 *   npm run bench                      full run (≈ 6 min on 2 cores)  → bench/results.json
 *   npm run bench -- --quick           reduced sizes, under 2 min     → bench/results.local.json
 *   npm run bench -- --only=batch,replay   some scenarios only         → bench/results.local.json
 *   npm run bench -- --keep            keeps the temp dir (runtime logs, D1 files) for a closer look
 *
 * Every scenario starts its own Herald (workerd through wrangler's programmatic API, from one
 * bundle built at the start so edits to src/ during a run change nothing), warms up, runs several repetitions and
 * reports medians with their spread, as ratios to a baseline measured in the same run. The table
 * goes to stdout, progress to stderr. `npm run bench:readme` copies the full results into the
 * README. Exit status 0 when every scenario ran (met or not), 1 when one failed to run.
 *
 * Only 127.0.0.1 is ever contacted; every wait and loop has a ceiling, and the whole run one too.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareHerald, type BenchContext } from "./lib/herald.ts";
import { formatTable, machineInfo, type BenchResults, type ResultRow } from "./lib/report.ts";
import { audienceFanOut } from "./scenarios/audience-fan-out.ts";
import { batchAccept } from "./scenarios/batch-accept.ts";
import { behaviourIngest } from "./scenarios/behaviour-ingest.ts";
import { costPerOperation, inAppCpuScenario } from "./scenarios/cost.ts";
import { idleMemory } from "./scenarios/idle-memory.ts";
import { inAppLatency } from "./scenarios/in-app-latency.ts";
import { reconnectReplay } from "./scenarios/reconnect-replay.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const SCENARIOS: { name: string; run: (ctx: BenchContext) => Promise<{ rows: ResultRow[]; notes: string[] }> }[] = [
  { name: "batch", run: batchAccept },
  { name: "latency", run: inAppLatency },
  { name: "ingest", run: behaviourIngest },
  { name: "audience", run: audienceFanOut },
  { name: "replay", run: reconnectReplay },
  { name: "memory", run: idleMemory },
  { name: "cost", run: costPerOperation },
  { name: "cpu", run: inAppCpuScenario },
];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const keep = args.includes("--keep");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0 || args.some((a) => a !== "--quick" && a !== "--keep" && !a.startsWith("--only="))) {
  console.error(`usage: npm run bench [-- --quick] [-- --keep] [-- --only=${SCENARIOS.map((s) => s.name).join(",")}]`);
  process.exit(2);
}
/** Whole-run ceiling: a stuck scenario must not leave servers running. */
const RUN_DEADLINE_MS = quick ? 240_000 : 1_500_000;

const workDir = mkdtempSync(join(tmpdir(), "herald-bench-"));
const live = new Set<{ kill(): void }>();
function abort(code: number): never {
  for (const child of live) child.kill();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}
for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15]] as const) process.on(signal, () => abort(128 + number));
const deadline = setTimeout(() => {
  console.error(`\n✗ the bench did not finish within ${RUN_DEADLINE_MS / 1000} s`);
  abort(1);
}, RUN_DEADLINE_MS);

const log = (text: string) => console.error(text);
const started = Date.now();
const loadAtStart = loadavg()[0]!;
// Read before building: the code measured is the code at the start, whatever is committed meanwhile.
const measuredCommit = commit();
const rows: ResultRow[] = [];
const notes: string[] = [];
let failed = false;
try {
  log(`Herald bench (${quick ? "quick" : "full"}): building the Worker and a migrated local state…`);
  const { bundle, stateTemplate } = prepareHerald(workDir);
  const ctx: BenchContext = {
    quick,
    workDir,
    bundle,
    stateTemplate,
    track: (child) => {
      live.add(child);
      return () => live.delete(child);
    },
    log,
  };
  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    const scenarioStarted = Date.now();
    try {
      const result = await scenario.run(ctx);
      rows.push(...result.rows);
      notes.push(...result.notes);
      log(`${scenario.name}: done in ${Math.round((Date.now() - scenarioStarted) / 1000)} s`);
    } catch (error) {
      failed = true;
      log(`✗ ${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
} catch (error) {
  failed = true;
  log(`✗ ${error instanceof Error ? error.message : String(error)}`);
}

const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  quick,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine: machineInfo(),
  loadAverage: { start: loadAtStart, end: loadavg()[0]! },
  versions: versions(),
  commit: measuredCommit,
  rows,
  notes,
};
const outFile = join(ROOT, "bench", quick || only ? "results.local.json" : "results.json");
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${formatTable(rows)}\n`);
const judged = rows.filter((r) => r.pass !== null);
console.log(
  `${judged.filter((r) => r.pass).length} of ${judged.length} targets met · ${results.machine.cpus} CPUs · load ${results.loadAverage.start.toFixed(1)} → ${results.loadAverage.end.toFixed(1)} · Node ${results.versions.node} · workerd ${results.versions.workerd} · ${results.durationSeconds} s`,
);
for (const note of notes) console.log(`- ${note}`);
console.log(`Results: ${outFile}`);
clearTimeout(deadline);
if (keep) console.log(`Kept: ${workDir}`);
else rmSync(workDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

/** Versions of everything measured, for results.json. */
function versions(): Record<string, string> {
  const workerd = spawnSync(join(ROOT, "node_modules", ".bin", "workerd"), ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^workerd\s+/, "");
  const packageVersion = (name: string) => (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  const memory = new Database(":memory:");
  const sqlite = memory.prepare<[], { v: string }>("SELECT sqlite_version() AS v").get()!.v;
  memory.close();
  return {
    node: process.versions.node,
    workerd: workerd || "unknown",
    wrangler: packageVersion("wrangler"),
    "better-sqlite3": packageVersion("better-sqlite3"),
    sqlite,
    ws: packageVersion("ws"),
  };
}

/** The commit measured, `+dirty` when the work tree had changes (read-only git calls). */
function commit(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() !== "";
  return head ? `${head}${dirty ? "+dirty" : ""}` : "unknown";
}
