/**
 * Issue 20 section 2's figure: workerd CPU per in-app notification, for Herald (scenario `cpu`,
 * bench/scenarios/cost.ts) and for the runtime's floor (bench/floor/), measured the same way.
 * CPU is read from /proc (utime + stime of the one workerd process), so it includes what the
 * runtime does for the Worker: HTTP, RPC, SQLite, WebSockets, and locally the D1 and Queues simulators.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connectFleet } from "./clients.ts";
import { JsonClient } from "./http.ts";
import { userToken, withServer, workerdProcess, type BenchContext } from "./herald.ts";
import { startProfile, type CpuProfileSummary } from "./profile.ts";
import { sleep } from "./stats.ts";
import { until } from "../../scripts/local-server.ts";

/** Linux clock ticks per second for /proc utime and stime (USER_HZ, 100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Longer than the queues' 1 s batch timeout: what an operation caused has run by then. */
const SETTLE_MS = 3000;

/** CPU time (user + system) a process has used, in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted from the state field (3).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Workerd CPU per in-app notification over `count` closed-loop `POST /v1/notifications` (one request
 * in flight per user) to `users` connected clients that ack every frame, measured from the first
 * send until every frame arrived and the consumers settled. Runs without the cost tracer, whose
 * proxies cost CPU of their own.
 * @param options.name the server's directory under the run's; distinct per call.
 * @param options.config another Worker's wrangler config (the floor) instead of Herald.
 * @param options.profile also take a V8 CPU profile of the Worker's isolate over the same span.
 * @returns ms of workerd CPU per notification, and the profile's summary when asked for.
 */
export async function inAppCpu(
  ctx: BenchContext,
  users: number,
  count: number,
  options: { name: string; config?: string; profile?: boolean },
): Promise<{ cpuMs: number; profile: CpuProfileSummary | null }> {
  return withServer(
    ctx,
    options.name,
    async (server) => {
      const fleetUsers = await Promise.all(Array.from({ length: users }, async (_, i) => ({ userId: `cpu-${i}`, token: await userToken(server.jwtSecret, `cpu-${i}`) })));
      let received = 0;
      const fleet = await connectFleet(server.base, fleetUsers, () => received++, { timeoutMs: 120_000 });
      const api = new JsonClient(server.base, server.apiKey, users);
      const pid = workerdProcess(server);
      try {
        const send = (i: number, k: number) => api.json("POST", "/v1/notifications", 202, { userId: fleetUsers[i]!.userId, title: "Hello", body: `Message ${k}` });
        // Warm-up: every inbox exists and every isolate path is compiled.
        await Promise.all(fleetUsers.map((_, i) => send(i, -1)));
        await until("warm-up frames", () => received >= users, 60_000, 10);
        await sleep(SETTLE_MS);
        received = 0;
        const profiler = options.profile ? await startProfile(server.inspectorPort) : null;
        const before = cpuMs(pid);
        let next = 0;
        await Promise.all(
          fleetUsers.map(async (_, i) => {
            while (next < count) await send(i, next++);
          }),
        );
        await until(`${count} frames`, () => received >= count, 120_000, 10);
        await sleep(SETTLE_MS);
        const cpu = (cpuMs(pid) - before) / count;
        // withServer bundles another config into `<name>/bundle` (bench/lib/herald.ts).
        const bundle = options.config ? join(ctx.workDir, options.name, "bundle", "index.js") : ctx.bundle;
        return { cpuMs: cpu, profile: profiler ? await profiler.stop(bundle) : null };
      } finally {
        fleet.close();
        api.close();
      }
    },
    { config: options.config },
  );
}
