/**
 * Where a reconnect replay's time goes on local workerd (issue 20 §3, reconnect replay): starts
 * Herald as the bench does, stores `--notifications` for one user (batches of 1,000, as
 * bench/scenarios/reconnect-replay.ts does), then replays them `--reps` times to a client that
 * connects with `since=0`, measuring frames/s and workerd's CPU per frame (/proc: all its threads)
 * over each replay, and — unless `--no-profile` — a V8 CPU profile of the Worker's isolate over
 * the last one: its busy ms per isolate, split by owner, and the functions with the most self time.
 *
 * `--settle`: before each replay, wait until D1 shows every notification delivered, i.e. the
 * receipts of the previous replay's acks have all been written (otherwise they run on workerd's
 * one thread during the next replay).
 *
 * Usage: `node bench/profile-replay.ts [--notifications=10000] [--reps=3] [--no-profile] [--settle]`
 */
import { loadavg } from "node:os";
import { connectFleet } from "./lib/clients.ts";
import { userToken, waitForDispatch, waitForReceipts, withHeraldAlone } from "./lib/herald.ts";
import { cpuMs } from "./lib/in-app-cpu.ts";
import { startProfile } from "./lib/profile.ts";
import { now, sleep } from "./lib/stats.ts";
import { until } from "../scripts/local-server.ts";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const notifications = Number(arg("notifications", "10000"));
const reps = Number(arg("reps", "3"));
const profiled = !process.argv.includes("--no-profile");
const settle = process.argv.includes("--settle");
const USER = "replay-user";

await withHeraldAlone("profile-replay", async ({ server, bundle, api, pid }) => {
  for (let start = 0; start < notifications; start += 1000) {
    const items = Array.from({ length: Math.min(1000, notifications - start) }, (_, i) => ({
      idempotencyKey: `replay-${start + i}`,
      userId: USER,
      title: "While you were away",
      body: `Update ${start + i} on your order`,
      data: { k: start + i },
    }));
    await api.json("POST", "/v1/notifications/batch", 200, { items });
  }
  await waitForDispatch(server, 120_000);
  const token = await userToken(server.jwtSecret, USER);
  for (let rep = 1; rep <= reps; rep++) {
    await sleep(500);
    if (settle && rep > 1) {
      const t = now();
      await waitForReceipts(server, 120_000);
      console.log(`  receipts settled ${Math.round(now() - t)} ms after the 500 ms pause`);
    }
    const profiler = profiled && rep === reps ? await startProfile(server.inspectorPort) : null;
    let received = 0;
    let last = 0;
    const cpuBefore = cpuMs(pid);
    const started = now();
    const fleet = await connectFleet(server.base, [{ userId: USER, token }], (_, __, at) => {
      received++;
      last = at;
    }, { since: 0, timeoutMs: 30_000 });
    await until(`${notifications} replayed frames`, () => received >= notifications, 120_000, 5);
    const cpu = cpuMs(pid) - cpuBefore;
    fleet.close();
    const seconds = (last - started) / 1000;
    const summary = profiler ? await profiler.stop(bundle) : null;
    console.log(
      `replay ${rep}/${reps}: ${Math.round(notifications / seconds)} frames/s over ${Math.round(seconds * 1000)} ms; workerd CPU ${cpu} ms = ${((cpu * 1000) / notifications).toFixed(1)} µs per frame (${Math.round((cpu / (seconds * 1000)) * 100)}% of a core); 1-min load ${loadavg()[0]!.toFixed(2)}`,
    );
    if (summary) {
      console.log(`profile: Worker busy ${summary.busyMs} ms; isolates ${JSON.stringify(summary.isolates)}`);
      console.log(`  owners (% of the Worker's busy samples): ${JSON.stringify(summary.owners)}`);
      for (const entry of summary.top.slice(0, 25)) console.log(`  ${entry.selfPercent.toFixed(1).padStart(5)}%  ${entry.fn}`);
    }
  }
});
