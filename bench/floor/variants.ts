/**
 * The local floor of the in-app path (docs/cost.md#the-local-floor-of-the-in-app-path): each
 * variant of bench/floor/index.ts measured against issue 20 section 2's targets, in one run with
 * the two baselines started as the in-app latency scenario starts them (bench/lib/hub-process.ts).
 *
 *   node bench/floor/run.ts --variants=inline,d1,d1-queue,d1-inline-queue [--rounds=3] [--users=1000] [--low=1500] [--high=5000] [--high-reps=2]
 *
 * Per round, sides in alternating order (so drift hits each alike):
 * - the Node ws hub and Socket.IO: one connected client per user (`--users`), a warm-up of one
 *   notification per user, `--low` notifications at 50/s open-loop (p50 and p99 request → frame),
 *   then `--high-reps` streams of `--high` at 1,000/s (delivered frames/s) — the scenario's
 *   stream (bench/scenarios/in-app-latency.ts) with the same clients, payloads and round-robin;
 * - each variant: the same on a fresh workerd — except that the 50/s stream starts only once the
 *   warm-up's inboxes were evicted (see `series`) — plus workerd's CPU per frame over the 1,000/s
 *   streams, and then CPU per notification as bench/lib/in-app-cpu.ts measures Herald (a second
 *   fresh workerd: 1,000 closed-loop POSTs to 100 clients acking).
 * Each line printed carries the 1-min load average when it ended; the table gives medians over rounds.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectFleet, connectSocketIoFleet, type FleetUser } from "../lib/clients.ts";
import { openObjectDatabases, userToken, withServer, workerdProcess, type BenchContext } from "../lib/herald.ts";
import { until } from "../../scripts/local-server.ts";
import { startHub, startSocketIoHub } from "../lib/hub-process.ts";
import { JsonClient } from "../lib/http.ts";
import { cpuMs, inAppCpu } from "../lib/in-app-cpu.ts";
import { runStream, settle, Stream } from "../lib/open-loop.ts";
import { now, quantile } from "../lib/stats.ts";

/** The floor's variants, least work first (bench/floor/index.ts). */
export const VARIANTS = ["inline", "d1", "d1-queue", "d1-inline-queue"] as const;
export type Variant = (typeof VARIANTS)[number];

const FLOOR_DIR = fileURLToPath(new URL(".", import.meta.url));

/**
 * Writes the floor's wrangler config for `variant` into `dir` (its `main` made absolute) and
 * returns its path. `d1-inline-queue` gets Herald's dispatch batch timeout (1 s): its consumer is
 * off the latency path, as Herald's is; `d1-queue` keeps the committed 0 (its consumer delivers).
 * @throws Error for a name not in {@link VARIANTS}.
 */
export function variantConfig(variant: string, dir: string): string {
  if (!(VARIANTS as readonly string[]).includes(variant)) throw new Error(`unknown variant ${variant}; one of ${VARIANTS.join(", ")}`);
  let toml = readFileSync(join(FLOOR_DIR, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(FLOOR_DIR, "index.ts"))}`)
    .replace(/^VARIANT = .*$/m, `VARIANT = ${JSON.stringify(variant)}`);
  if (variant === "d1-inline-queue") toml = toml.replace(/^max_batch_timeout = 0$/m, "max_batch_timeout = 1");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `wrangler-${variant}.toml`);
  writeFileSync(path, toml);
  return path;
}

/** API clients the sender rotates through, as the scenario's keys. */
const API_CLIENTS = 4;
const LOW_RATE = 50;
const HIGH_RATE = 1000;
/** Wait after a stream's last send for its missing frames, in ms (the scenario's full-size drain). */
const DRAIN_MS = 30_000;

interface Sizes {
  users: number;
  low: number;
  high: number;
  highReps: number;
}

/** One side's figures in one round. ms, frames/s; `cpuMs` per notification; `load` the 1-min load average at its end. */
interface Figures {
  p50: number;
  p99: number;
  framesPerSecond: number;
  /** workerd CPU per frame over the 1,000/s streams (floor variants only). */
  cpuAtRate: number | null;
  /** workerd CPU per notification, closed loop (bench/lib/in-app-cpu.ts; floor variants only). */
  cpuMs: number | null;
  load: number;
}

/**
 * Connects the fleet, warms up (one notification per user), runs the 50/s stream and the 1,000/s
 * streams. A 1,000/s stream whose frames did not all arrive ends the series (its backlog would run
 * into the next); frames/s is the median over the streams run.
 * @param workerd the pid whose CPU to read over the 1,000/s streams, or null.
 */
async function series(label: string, base: string, users: readonly FleetUser[], sizes: Sizes, connect: typeof connectFleet | typeof connectSocketIoFleet, workerd: number | null): Promise<Omit<Figures, "cpuMs">> {
  let stream = new Stream(0, users.length);
  const fleet: { readonly drops: number; close(): void } = await connect(base, users, (_, frame, at) => stream.onFrame(frame, at), { timeoutMs: 120_000 });
  const apis = Array.from({ length: API_CLIENTS }, () => new JsonClient(base, null, 64 / API_CLIENTS));
  try {
    const warmUp = await runStream(apis, users, stream, HIGH_RATE, DRAIN_MS);
    await settle(stream, DRAIN_MS);
    console.error(`  ${label} warm-up: ${warmUp.received} of ${users.length} frames, p50 ${warmUp.p50.toFixed(1)} ms (load ${loadavg()[0]!.toFixed(2)})`);
    if (workerd !== null) {
      // The warm-up touched every inbox within a second or two, so workerd evicts them all at once
      // ~10 s later (hibernation), a burst that stalls its one thread for 0.3–3 s (280 ms of CPU per
      // 1,000 objects, measured). Let it pass: at 50/s over 1,000 users each inbox is touched every
      // 20 s, so the steady state is every notification waking its object, evictions spread out.
      const started = now();
      await until("the warm-up's inboxes to be evicted", () => openObjectDatabases(workerd) <= 1, 60_000, 500);
      console.error(`  ${label}: warm-up inboxes evicted after ${((now() - started) / 1000).toFixed(1)} s`);
    }
    stream = new Stream(1, sizes.low);
    const low = await runStream(apis, users, stream, LOW_RATE, DRAIN_MS);
    console.error(`  ${label} at ${LOW_RATE}/s: p50 ${low.p50.toFixed(2)} ms, p99 ${low.p99.toFixed(2)} ms, ${low.received} of ${sizes.low} frames (load ${loadavg()[0]!.toFixed(2)})`);
    await settle(stream, DRAIN_MS);
    const rates: number[] = [];
    let cpu = 0;
    let frames = 0;
    for (let r = 0; r < sizes.highReps; r++) {
      stream = new Stream(2 + r, sizes.high);
      const before = workerd === null ? 0 : cpuMs(workerd);
      const high = await runStream(apis, users, stream, HIGH_RATE, DRAIN_MS);
      await settle(stream, DRAIN_MS);
      if (workerd !== null) cpu += cpuMs(workerd) - before;
      frames += stream.received;
      rates.push(high.framesPerSecond);
      console.error(`  ${label} at ${HIGH_RATE}/s: ${Math.round(high.framesPerSecond)} frames/s, ${high.received} of ${sizes.high} frames, p50 ${high.p50.toFixed(1)} ms (load ${loadavg()[0]!.toFixed(2)})`);
      if (high.received < sizes.high) break;
    }
    if (fleet.drops > 0) throw new Error(`${label}: ${fleet.drops} client connections dropped during the runs`);
    return { p50: low.p50, p99: low.p99, framesPerSecond: quantile(rates, 0.5), cpuAtRate: workerd === null ? null : cpu / frames, load: loadavg()[0]! };
  } finally {
    fleet.close();
    apis.forEach((api) => api.close());
  }
}

const usersOf = (count: number, secret: string) => Promise.all(Array.from({ length: count }, async (_, i) => ({ userId: `lat-${i}`, token: await userToken(secret, `lat-${i}`) })));

/** A baseline side: the ws hub or Socket.IO, started as the scenario starts it. */
async function baseline(ctx: BenchContext, kind: "hub" | "socket.io", sizes: Sizes): Promise<Figures> {
  const hub = kind === "hub" ? await startHub() : await startSocketIoHub();
  const untrack = ctx.track(hub);
  try {
    // The baselines read only the token's subject, so any signing secret will do.
    const users = await usersOf(sizes.users, "hub");
    return { ...(await series(kind, hub.base, users, sizes, kind === "hub" ? connectFleet : connectSocketIoFleet, null)), cpuMs: null };
  } finally {
    await hub.stop();
    untrack();
  }
}

/** A floor side: latency and rate on one fresh workerd, then CPU per notification on another. */
async function floorSide(ctx: BenchContext, variant: Variant, round: number, sizes: Sizes): Promise<Figures> {
  const config = variantConfig(variant, join(ctx.workDir, "configs"));
  const latency = await withServer(
    ctx,
    `latency-${variant}-${round}`,
    async (server) => series(variant, server.base, await usersOf(sizes.users, server.jwtSecret), sizes, connectFleet, workerdProcess(server)),
    { config },
  );
  const { cpuMs: cpu } = await inAppCpu(ctx, 100, 1000, { name: `cpu-${variant}-${round}`, config });
  console.error(`  ${variant}: ${cpu.toFixed(2)} ms CPU per notification (load ${loadavg()[0]!.toFixed(2)})`);
  return { ...latency, cpuMs: cpu, load: loadavg()[0]! };
}

const median = (values: number[]) => quantile(values, 0.5);
const fmt = (value: number, digits: number) => value.toFixed(digits);

/**
 * Runs `rounds` rounds over the two baselines and `variants`, then prints (stdout) one markdown
 * table: per side the medians over rounds of CPU per notification, CPU per frame at 1,000/s, p50
 * and p99 at 50/s with their ratios to the hub's of the same round (and p99's to Socket.IO's),
 * delivered frames/s at 1,000/s offered, the rate workerd could sustain with a whole core to itself
 * (1,000 ms / its CPU ms per frame: workerd runs every isolate — the Worker, the objects, the D1 and
 * Queues simulators — on one thread, measured 99% of its CPU), and the range of load averages its runs ended at.
 */
export async function runVariants(ctx: BenchContext, variants: readonly string[], rounds: number, sizes: Sizes): Promise<void> {
  // A client socket of a server being stopped may be reset after its fleet closed, with nobody left
  // to listen; count it instead of dying. A reset that matters fails a request or loses frames.
  let resets = 0;
  process.on("uncaughtException", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET") throw error;
    resets++;
    console.error(`  (a connection was reset: ${error.message}; ${resets} so far)`);
  });
  for (const v of variants) variantConfig(v, join(ctx.workDir, "configs"));
  const sides = ["hub", "socket.io", ...variants];
  const figures = new Map<string, Figures[]>(sides.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    console.error(`round ${round + 1}/${rounds} (load ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const result = side === "hub" || side === "socket.io" ? await baseline(ctx, side, sizes) : await floorSide(ctx, side as Variant, round, sizes);
      figures.get(side)!.push(result);
    }
  }
  const hub = figures.get("hub")!;
  const sio = figures.get("socket.io")!;
  const ratio = (rows: Figures[], base: Figures[], key: "p50" | "p99") => median(rows.map((f, i) => f[key] / base[i]![key]));
  console.log(`| side | CPU ms/notification (closed loop) | CPU ms/frame at 1,000/s | p50 at 50/s, ms (× hub) | p99 at 50/s, ms (× hub; × Socket.IO) | frames/s at 1,000/s | one-core ceiling, frames/s | 1-min load |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const side of sides) {
    const rows = figures.get(side)!;
    const cpu = rows.every((f) => f.cpuMs !== null) ? fmt(median(rows.map((f) => f.cpuMs!)), 2) : "–";
    const cpuAtRate = rows.every((f) => f.cpuAtRate !== null) ? fmt(median(rows.map((f) => f.cpuAtRate!)), 2) : "–";
    const loads = rows.map((f) => f.load);
    console.log(
      `| ${side} | ${cpu} | ${cpuAtRate} | ${fmt(median(rows.map((f) => f.p50)), 2)} (${fmt(ratio(rows, hub, "p50"), 1)}×) | ` +
        `${fmt(median(rows.map((f) => f.p99)), 2)} (${fmt(ratio(rows, hub, "p99"), 1)}×; ${fmt(ratio(rows, sio, "p99"), 1)}×) | ` +
        `${Math.round(median(rows.map((f) => f.framesPerSecond)))} | ${cpuAtRate === "–" ? "–" : Math.round(1000 / Number(cpuAtRate))} | ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)} |`,
    );
  }
  console.log(`\n${rounds} round(s); per round each side: ${sizes.users} clients, ${sizes.low} notifications at ${LOW_RATE}/s, ${sizes.highReps} × ${sizes.high} at ${HIGH_RATE}/s; medians over rounds, ratios taken within a round.`);
  console.log(`Per round: ${JSON.stringify(Object.fromEntries(figures))}`);
}
