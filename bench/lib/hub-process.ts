/**
 * Starting and stopping the baseline hub (bench/hub.ts) as a child process of the bench.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { until } from "../../scripts/local-server.ts";

const HUB_SCRIPT = fileURLToPath(new URL("../hub.ts", import.meta.url));
const SOCKETIO_HUB_SCRIPT = fileURLToPath(new URL("../socketio-hub.ts", import.meta.url));

export interface HubProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
  /** Synchronous SIGKILL, for exit handlers. */
  kill(): void;
}

/**
 * Starts the hub on a free 127.0.0.1 port.
 * @param db a SQLite file with the hub's `inbox` table, replayed on connect; omitted: memory only.
 * @throws Error when the hub does not report its port within 10 s.
 */
export function startHub(db?: string): Promise<HubProcess> {
  return startHubScript(HUB_SCRIPT, db ? ["--db", db] : []);
}

/**
 * Starts the Socket.IO baseline (bench/socketio-hub.ts) on a free 127.0.0.1 port.
 * @param windowMs its connection-state recovery window; omitted: Socket.IO's default (2 min).
 */
export function startSocketIoHub(windowMs?: number): Promise<HubProcess> {
  return startHubScript(SOCKETIO_HUB_SCRIPT, windowMs === undefined ? [] : ["--window-ms", String(windowMs)]);
}

async function startHubScript(script: string, args: string[]): Promise<HubProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  let port = 0;
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    const match = text.match(/\{"port":(\d+)\}/);
    if (match) port = Number(match[1]);
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(kill, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await until("the hub to listen", () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`hub exited with ${child.exitCode}`), { fatal: true });
      return port;
    }, 10_000, 20);
  } catch (error) {
    kill();
    throw error;
  }
  return { base: `http://127.0.0.1:${port}`, pid: child.pid!, stop, kill };
}
