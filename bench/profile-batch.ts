/**
 * A V8 CPU profile of `POST /v1/notifications/batch` on local workerd (issue 20 §3, batch accept):
 * starts Herald as the bench does, warms up, then sends `--batches` new batches of 1,000 items to
 * `--users` users one after another (as bench/scenarios/batch-accept.ts does) under the profiler,
 * waits for the dispatch queue to drain, and replays the same batches under a second profile.
 * Prints, per phase, items/s and ms per batch, workerd's busy ms per isolate, the Worker's busy
 * ms split by owner (Herald, a package, the runtime) and its functions with the most self time.
 *
 * Also reports workerd's CPU (all its threads: the Worker, D1, queues) per batch from /proc.
 *
 * Usage: `node bench/profile-batch.ts [--batches=5] [--users=100] [--no-profile]`
 */
import { loadavg } from "node:os";
import { waitForDispatch, withHeraldAlone } from "./lib/herald.ts";
import { cpuMs } from "./lib/in-app-cpu.ts";
import { startProfile, type CpuProfileSummary } from "./lib/profile.ts";
import { now } from "./lib/stats.ts";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const batchCount = Number(arg("batches", "5"));
const users = Number(arg("users", "100"));
/** `--no-profile`: timings and workerd CPU only (the profiler's own cost left out). */
const profiled = !process.argv.includes("--no-profile");

/** The bench's batch (bench/scenarios/batch-accept.ts `makeBatches`): 1,000 items round-robin over `users`. */
const batchOf = (prefix: string, b: number) =>
  Array.from({ length: 1000 }, (_, i) => ({
    idempotencyKey: `${prefix}-${b}-${i}`,
    userId: `user-${i % users}`,
    title: "Your order has shipped",
    body: `Order ${prefix}-${b}-${i} is on its way and arrives tomorrow.`,
    data: { orderId: `${prefix}-${b}-${i}`, amount: i },
  }));

function print(label: string, summary: CpuProfileSummary): void {
  console.log(`${label}: Worker busy ${summary.busyMs} ms; isolates ${JSON.stringify(summary.isolates)}`);
  console.log(`  owners (% of the Worker's busy samples): ${JSON.stringify(summary.owners)}`);
  for (const entry of summary.top.slice(0, 25)) console.log(`  ${entry.selfPercent.toFixed(1).padStart(5)}%  ${entry.fn}`);
}

await withHeraldAlone("profile-batch", async ({ server, bundle, api, pid }) => {
  const send = async (items: unknown[], expect: string) => {
    const { summary } = await api.json<{ summary: Record<string, number> }>("POST", "/v1/notifications/batch", 200, { items });
    if (summary[expect] !== items.length) throw new Error(`expected ${items.length} ${expect}, got ${JSON.stringify(summary)}`);
  };
  for (let b = 0; b < 2; b++) await send(batchOf("warm", b), "created");
  for (let b = 0; b < 2; b++) await send(batchOf("warm", b), "duplicate");
  await waitForDispatch(server, 60_000);
  const batches = Array.from({ length: batchCount }, (_, b) => batchOf("profiled", b));
  for (const [phase, expect] of [["new", "created"], ["replayed", "duplicate"]] as const) {
    const profiler = profiled ? await startProfile(server.inspectorPort) : null;
    const cpuBefore = cpuMs(pid);
    const started = now();
    const each: number[] = [];
    for (const batch of batches) {
      const t = now();
      await send(batch, expect);
      each.push(Math.round(now() - t));
    }
    const elapsed = now() - started;
    const cpu = cpuMs(pid) - cpuBefore;
    const summary = profiler ? await profiler.stop(bundle) : null;
    console.log(
      `${phase}: ${Math.round((batchCount * 1000) / (elapsed / 1000))} items/s, ms per batch ${each.join(" ")}, workerd CPU ${Math.round(cpu / batchCount)} ms per batch, 1-min load ${loadavg()[0]!.toFixed(2)}`,
    );
    if (summary) print(phase, summary);
    await waitForDispatch(server, 120_000);
  }
});
