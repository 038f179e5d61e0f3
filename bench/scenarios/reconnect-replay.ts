/**
 * Scenario 4, reconnect replay (docs/protocol.md#replay, README.md#benchmarks, issue 8): notifications stored for one offline
 * user; the user's client connects with `since=0` and the inbox replays all of them. Frames/s
 * from the `connect()` call to the last frame. Baseline: bench/hub.ts sending the same number of
 * stored rows of the same shape, read from SQLite, to the same client.
 *
 * Target: ≥ 1.0 × the hub's frames/s (issue 20 section 3; it was 0.5×), and ≥ 1.0 × Socket.IO's.
 *
 * Second baseline (issue 20 section 4): Socket.IO 4 with connection-state recovery
 * (bench/socketio-hub.ts). Its client connects, drops its transport, the same notifications are
 * sent while it is away, and it reconnects: frames/s from the reconnect to the last recovered
 * frame. Socket.IO keeps missed packets in memory for its window only, so the scenario also
 * reconnects a client after a 1 s window has passed and reports what it lost.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { connectFleet, connectSocketIoFleet } from "../lib/clients.ts";
import { JsonClient } from "../lib/http.ts";
import { startHub, startSocketIoHub, type HubProcess } from "../lib/hub-process.ts";
import { userToken, waitForDispatch, waitForReceipts, withServer, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { now, sleep } from "../lib/stats.ts";
import { until } from "../../scripts/local-server.ts";
import { HUB_SCHEMA } from "../hub.ts";

const USER = "replay-user";

/**
 * Notifications and repetitions: 10,000 × 5, or 3,000 × 3 with `--quick`. `BENCH_REPLAY_FRAMES`
 * sets the notification count of either (e.g. 10,000 under `--quick`, to measure the full size
 * with the quick run's fewer repetitions and shorter ceiling).
 */
function sizes(quick: boolean) {
  const frames = Number(process.env.BENCH_REPLAY_FRAMES);
  const size = quick ? { notifications: 3000, repetitions: 3 } : { notifications: 10_000, repetitions: 5 };
  return Number.isInteger(frames) && frames > 0 ? { ...size, notifications: frames } : size;
}

/** The k-th stored notification, identical in Herald and the hub. */
const payload = (k: number) => ({ title: "While you were away", body: `Update ${k} on your order`, data: { k } });

/**
 * Connects one client with `since=0` and waits for `count` notification frames.
 * @returns frames/s from the connect call to the last frame.
 */
async function replayOnce(base: string, token: string, count: number): Promise<number> {
  let received = 0;
  let last = 0;
  const started = now();
  const fleet = await connectFleet(base, [{ userId: USER, token }], (_, __, at) => {
    received++;
    last = at;
  }, { since: 0, timeoutMs: 30_000 });
  try {
    await until(`${count} replayed frames`, () => received >= count, 120_000, 5);
  } finally {
    fleet.close();
  }
  if (received !== count) throw new Error(`expected ${count} frames, got ${received}`);
  return count / ((last - started) / 1000);
}

/**
 * A warm-up replay, then the measured ones. `settled` (Herald) waits until the previous replay's
 * acks have reached D1: the warm-up's acks mark every item delivered, and their receipts would
 * otherwise still be written during the next replays, on the same workerd thread (measured with
 * bench/profile-replay.ts: a replay that overlapped them ran at 56,000 frames/s and 17 µs of
 * workerd CPU per frame, the others at 105,000–130,000 and 6–7 µs).
 */
async function repetitions(
  label: string,
  base: string,
  token: string,
  size: ReturnType<typeof sizes>,
  log: (text: string) => void,
  settled: () => Promise<void> = async () => {},
): Promise<number[]> {
  await replayOnce(base, token, size.notifications);
  const results: number[] = [];
  for (let r = 1; r <= size.repetitions; r++) {
    // The previous connection's acks and receipts settle first.
    await sleep(500);
    await settled();
    results.push(await replayOnce(base, token, size.notifications));
    log(`  ${label} repetition ${r}/${size.repetitions}: ${Math.round(results.at(-1)!)} frames/s`);
  }
  return results;
}

/**
 * One Socket.IO recovery: a client connects, its transport drops, `count` notifications are sent
 * while it is away, it waits `awayMs`, then reconnects.
 * @returns frames/s from the reconnect to the last frame, and how many frames it got within 10 s.
 */
async function socketIoReplayOnce(hub: HubProcess, token: string, count: number, awayMs = 0): Promise<{ framesPerSecond: number; received: number }> {
  let received = 0;
  let last = 0;
  const fleet = await connectSocketIoFleet(hub.base, [{ userId: USER, token }], (_, __, at) => {
    received++;
    last = at;
  }, { reconnection: false, timeoutMs: 30_000 });
  const socket = fleet.sockets[0]!;
  const api = new JsonClient(hub.base, null, 16);
  try {
    // A dropped transport (not a client disconnect, which ends the session): the server keeps the session for its window.
    const gone = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    socket.io.engine.close();
    await gone;
    await sleep(200);
    for (let start = 0; start < count; start += 100) {
      await Promise.all(Array.from({ length: Math.min(100, count - start) }, (_, i) => api.json("POST", "/v1/notifications", 202, { userId: USER, ...payload(start + i) })));
    }
    await sleep(awayMs);
    const started = now();
    socket.connect();
    await until(`${count} recovered frames`, () => received >= count, awayMs > 0 ? 10_000 : 120_000, 5).catch((error: unknown) => {
      if (awayMs === 0) throw error;
    });
    return { framesPerSecond: received / ((last - started) / 1000), received };
  } finally {
    fleet.close();
    api.close();
  }
}

/** Runs scenario 4 and returns its rows and notes. */
export async function reconnectReplay(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  ctx.log(`reconnect replay: ${size.notifications} stored notifications, ${size.repetitions} replays`);

  const herald = await withServer(ctx, "replay-herald", async (server) => {
    const api = new JsonClient(server.base, server.apiKey, 1);
    const user = new JsonClient(server.base, await userToken(server.jwtSecret, USER), 1);
    try {
      for (let start = 0; start < size.notifications; start += 1000) {
        const items = Array.from({ length: Math.min(1000, size.notifications - start) }, (_, i) => ({ idempotencyKey: `replay-${start + i}`, userId: USER, ...payload(start + i) }));
        const { summary } = await api.json<{ summary: { created: number } }>("POST", "/v1/notifications/batch", 200, { items });
        if (summary.created !== items.length) throw new Error(`stored ${summary.created} of ${items.length}`);
      }
      // Polled every 500 ms: user tokens are rate-limited (docs/api.md#rate-limits: 100 requests per 10 s by default).
      await until(`${size.notifications} notifications in the inbox`, async () => (await user.json<{ unreadCount: number }>("GET", "/v1/me/notifications/unread-count", 200)).unreadCount === size.notifications, 120_000, 500);
      await waitForDispatch(server, 120_000);
      return await repetitions("herald", server.base, await userToken(server.jwtSecret, USER), size, ctx.log, () => waitForReceipts(server, 120_000));
    } finally {
      api.close();
      user.close();
    }
  });

  const dbPath = join(ctx.workDir, "replay-hub.sqlite");
  const db = new Database(dbPath);
  db.exec(HUB_SCHEMA);
  const insert = db.prepare(`INSERT INTO inbox (user_id, seq, id, title, body, data, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, 'normal', ?)`);
  db.transaction(() => {
    for (let k = 0; k < size.notifications; k++) {
      const p = payload(k);
      insert.run(USER, k + 1, `hub_${k + 1}`, p.title, p.body, JSON.stringify(p.data), Date.now());
    }
  })();
  db.close();
  const hub = await startHub(dbPath);
  const untrack = ctx.track(hub);
  let baseline: number[];
  try {
    baseline = await repetitions("hub", hub.base, await userToken("hub", USER), size, ctx.log);
  } finally {
    await hub.stop();
    untrack();
  }

  const socketIoHub = await startSocketIoHub();
  const untrackSocketIo = ctx.track(socketIoHub);
  const socketIo: number[] = [];
  try {
    const token = await userToken("hub", USER);
    await socketIoReplayOnce(socketIoHub, token, size.notifications);
    for (let r = 1; r <= size.repetitions; r++) {
      socketIo.push((await socketIoReplayOnce(socketIoHub, token, size.notifications)).framesPerSecond);
      ctx.log(`  socket.io repetition ${r}/${size.repetitions}: ${Math.round(socketIo.at(-1)!)} frames/s`);
    }
  } finally {
    await socketIoHub.stop();
    untrackSocketIo();
  }
  // Beyond the window: a 1 s window, a client away for 2 s.
  const shortWindow = await startSocketIoHub(1000);
  const untrackShort = ctx.track(shortWindow);
  let late: { received: number };
  const missed = 100;
  try {
    late = await socketIoReplayOnce(shortWindow, await userToken("hub", USER), missed, 2000);
  } finally {
    await shortWindow.stop();
    untrackShort();
  }

  return {
    rows: [
      resultRow("reconnect replay", `${size.notifications.toLocaleString("en-US")} stored → one client`, "frames/s", herald, { name: "Node ws hub + SQLite", samples: baseline }, { kind: "ratio", op: ">=", value: 1 }),
      resultRow("reconnect replay", `${size.notifications.toLocaleString("en-US")} missed → one client`, "frames/s", herald, { name: "Socket.IO 4 recovery", samples: socketIo }, { kind: "ratio", op: ">=", value: 1 }),
    ],
    notes: [
      `reconnect replay: Socket.IO recovers only a session that comes back within its window (default 2 min), from the server's memory; ` +
        `a client back after the window (1 s window, 2 s away) got ${late.received} of ${missed} notifications sent meanwhile — it lost ${missed - late.received}, and a device that never connected, or a server restart, loses everything. Herald replays from the inbox's storage whatever the gap.`,
    ],
  };
}
