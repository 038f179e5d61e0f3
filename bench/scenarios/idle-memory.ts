/**
 * Scenario 5, memory (issue 8): resident memory per idle connection. 1,000 users each connect
 * one client and stay idle; the growth of the server's RSS over its idle state before the
 * connections, divided by the connections, next to the hub's. Reported, not judged (Centrifugo
 * reports about 12–30 KB per idle connection).
 *
 * Herald's runtime is one workerd process (bench/lib/runtime.ts): its Worker, one UserInbox
 * Durable Object per connected user, and the local D1 and queues. The Socket.IO baseline
 * (bench/socketio-hub.ts, issue 20 section 4) is measured the same way.
 */
import { connectFleet, connectSocketIoFleet, type FleetUser } from "../lib/clients.ts";
import { startHub, startSocketIoHub } from "../lib/hub-process.ts";
import { rssKiB, userToken, withServer, workerdProcess, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { quantile, sleep } from "../lib/stats.ts";

function sizes(quick: boolean) {
  return quick ? { users: 100, settleMs: 1000 } : { users: 1000, settleMs: 5000 };
}

/** Median of five RSS samples 200 ms apart, in KiB (RSS wobbles with allocator and GC activity). */
async function steadyRss(pids: number[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(pids.reduce((sum, pid) => sum + rssKiB(pid), 0));
    await sleep(200);
  }
  return quantile(samples, 0.5);
}

/**
 * RSS growth per connection in KiB for each group of pids: measured idle, then with every user
 * connected and idle for `settleMs`.
 */
async function perConnection(
  base: string,
  users: readonly FleetUser[],
  pidGroups: number[][],
  settleMs: number,
  connect: typeof connectFleet | typeof connectSocketIoFleet = connectFleet,
): Promise<number[]> {
  await sleep(settleMs);
  const before = await Promise.all(pidGroups.map(steadyRss));
  const fleet = await connect(base, users, () => {}, { timeoutMs: 120_000 });
  try {
    await sleep(settleMs);
    const after = await Promise.all(pidGroups.map(steadyRss));
    if (fleet.drops > 0) throw new Error(`${fleet.drops} connections dropped while idle`);
    return after.map((kib, i) => (kib - before[i]!) / users.length);
  } finally {
    fleet.close();
  }
}

/** Runs scenario 5 and returns its rows and notes. */
export async function idleMemory(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`memory: ${size.users} idle connections`);
  const herald = await withServer(ctx, "memory-herald", async (server) => {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `mem-${i}`, token: await userToken(server.jwtSecret, `mem-${i}`) })));
    const [perConn] = await perConnection(server.base, users, [[workerdProcess(server)]], size.settleMs);
    return perConn!;
  });

  const hub = await startHub();
  const untrack = ctx.track(hub);
  let baseline: number;
  try {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `mem-${i}`, token: await userToken("hub", `mem-${i}`) })));
    [baseline] = (await perConnection(hub.base, users, [[hub.pid]], size.settleMs)) as [number];
  } finally {
    await hub.stop();
    untrack();
  }

  const socketIoHub = await startSocketIoHub();
  const untrackSocketIo = ctx.track(socketIoHub);
  let socketIo: number;
  try {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `mem-${i}`, token: await userToken("hub", `mem-${i}`) })));
    [socketIo] = (await perConnection(socketIoHub.base, users, [[socketIoHub.pid]], size.settleMs, connectSocketIoFleet)) as [number];
  } finally {
    await socketIoHub.stop();
    untrackSocketIo();
  }

  const hubName = "Node ws hub";
  return {
    rows: [
      resultRow("memory", "per idle connection, workerd running Herald", "KiB", [herald], { name: hubName, samples: [baseline] }, { kind: "report" }),
      resultRow("memory", "per idle connection, workerd running Herald", "KiB", [herald], { name: "Socket.IO 4 (recovery on)", samples: [socketIo] }, { kind: "report" }),
    ],
    notes: [`memory: ${size.users} idle clients, one per user; RSS growth over the idle server, single measurement (median of 5 samples); Centrifugo reports 12–30 KB per idle connection.`],
  };
}
