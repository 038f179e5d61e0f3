/**
 * Scenario 5, memory (issue 8): resident memory per idle connection. 1,000 users each connect
 * one client and stay idle; the growth of the server's RSS over its idle state before the
 * connections, divided by the connections, next to the hub's. Reported, not judged (Centrifugo
 * reports about 12–30 KB per idle connection).
 *
 * Herald's runtime is one workerd process (bench/lib/runtime.ts): its Worker, one UserInbox
 * Durable Object per connected user, and the local D1 and queues. The Socket.IO baseline
 * (bench/socketio-hub.ts, issue 20 section 4) is measured the same way.
 *
 * Herald is measured twice (issue 20 section 3): once the connections are idle with every inbox
 * object still in memory, and again after {@link HIBERNATION_WAIT_MS}, when workerd has evicted
 * the idle objects and keeps only the hibernated sockets (docs/cost.md#memory-per-idle-connection).
 */
import { connectFleet, connectSocketIoFleet, type FleetUser } from "../lib/clients.ts";
import { startHub, startSocketIoHub } from "../lib/hub-process.ts";
import { openObjectDatabases, rssKiB, userToken, withServer, workerdProcess, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { quantile, sleep } from "../lib/stats.ts";

/**
 * How long the idle connections wait before the second measurement: workerd evicts a Durable
 * Object whose only open work is hibernatable WebSockets after about 10 s without an event, and
 * the runtime's allocator needs a few seconds more to give pages back.
 */
const HIBERNATION_WAIT_MS = 30_000;

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
 * connected and idle for `settleMs`, and — with `hibernateMs` — again after that much more idle time.
 * @returns per group: the growth once connected, and after the wait (null without `hibernateMs`).
 */
async function perConnection(
  base: string,
  users: readonly FleetUser[],
  pidGroups: number[][],
  settleMs: number,
  connect: typeof connectFleet | typeof connectSocketIoFleet = connectFleet,
  hibernateMs?: number,
): Promise<{ connected: number; hibernated: number | null; objects: [connected: number, later: number] }[]> {
  await sleep(settleMs);
  const before = await Promise.all(pidGroups.map(steadyRss));
  const fleet = await connect(base, users, () => {}, { timeoutMs: 120_000 });
  try {
    await sleep(settleMs);
    const after = await Promise.all(pidGroups.map(steadyRss));
    const objects = (): number[] => pidGroups.map((pids) => pids.reduce((sum, pid) => sum + openObjectDatabases(pid), 0));
    const objectsConnected = objects();
    let later: number[] | null = null;
    let objectsLater = objectsConnected;
    if (hibernateMs !== undefined) {
      await sleep(hibernateMs);
      later = await Promise.all(pidGroups.map(steadyRss));
      objectsLater = objects();
    }
    if (fleet.drops > 0) throw new Error(`${fleet.drops} connections dropped while idle`);
    return after.map((kib, i) => ({
      connected: (kib - before[i]!) / users.length,
      hibernated: later ? (later[i]! - before[i]!) / users.length : null,
      objects: [objectsConnected[i]!, objectsLater[i]!],
    }));
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
    const [perConn] = await perConnection(server.base, users, [[workerdProcess(server)]], size.settleMs, connectFleet, HIBERNATION_WAIT_MS);
    return perConn!;
  });

  const hub = await startHub();
  const untrack = ctx.track(hub);
  let baseline: number;
  try {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `mem-${i}`, token: await userToken("hub", `mem-${i}`) })));
    baseline = (await perConnection(hub.base, users, [[hub.pid]], size.settleMs))[0]!.connected;
  } finally {
    await hub.stop();
    untrack();
  }

  const socketIoHub = await startSocketIoHub();
  const untrackSocketIo = ctx.track(socketIoHub);
  let socketIo: number;
  try {
    const users = await Promise.all(Array.from({ length: size.users }, async (_, i) => ({ userId: `mem-${i}`, token: await userToken("hub", `mem-${i}`) })));
    socketIo = (await perConnection(socketIoHub.base, users, [[socketIoHub.pid]], size.settleMs, connectSocketIoFleet))[0]!.connected;
  } finally {
    await socketIoHub.stop();
    untrackSocketIo();
  }

  const hubName = "Node ws hub";
  return {
    rows: [
      resultRow("memory", "per idle connection, workerd running Herald", "KiB", [herald.connected], { name: hubName, samples: [baseline] }, { kind: "report" }),
      resultRow("memory", "per idle connection, workerd running Herald", "KiB", [herald.connected], { name: "Socket.IO 4 (recovery on)", samples: [socketIo] }, { kind: "report" }),
      resultRow("memory", "per idle connection, workerd running Herald, after the objects hibernate", "KiB", [herald.hibernated!], { name: hubName, samples: [baseline] }, { kind: "report" }),
    ],
    notes: [
      `memory: ${size.users} idle clients, one per user; RSS growth over the idle server, single measurement (median of 5 samples); Centrifugo reports 12–30 KB per idle connection.`,
      `memory: "after the objects hibernate" is measured ${HIBERNATION_WAIT_MS / 1000} s later with the same connections open; Durable Object databases open in workerd (one per object in memory): ${herald.objects[0]} connected, ${herald.objects[1]} after the wait. What workerd keeps of a hibernated inbox: docs/cost.md#memory-per-idle-connection.`,
    ],
  };
}
