/**
 * A V8 CPU profile of Herald's broadcast path to live inboxes (docs/api.md#audiences, "Fan-out
 * rate"): starts Herald as the bench does, subscribes `--n` fresh users to a topic and sends three
 * broadcasts to it — the first creates every inbox, the second finds them live or reopens those
 * the runtime evicted meanwhile, the third (profiled through workerd's inspector) finds them live —
 * printing each one's recipients/s (wall and per CPU-second of the runtime), then the functions
 * with the most self time. Writes the profile to `--out`
 * (open it in Chrome DevTools).
 *
 * Usage: `node bench/floor-fanout/profile-audience.ts [--n=2000] [--out=/tmp/audience.cpuprofile]`
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { prepareHerald } from "../lib/herald.ts";
import { JsonClient } from "../lib/http.ts";
import { startRuntime } from "../lib/runtime.ts";
import { sleep } from "../lib/stats.ts";
import { runtimeCpuSeconds } from "./cpu.ts";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const n = Number(arg("n", "2000"));
const out = arg("out", "/tmp/audience.cpuprofile");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** One Chrome DevTools Protocol session on a workerd inspector target. */
async function inspector(port: number, target: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${target}`);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  };
  return {
    call<T>(method: string, params: object = {}): Promise<T> {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => waiting.set(id, resolve as (result: unknown) => void));
    },
    close: () => ws.close(),
  };
}

/** One broadcast to `topic`, until completed. @returns recipients/s, and per CPU-second of the runtime's processes. */
async function broadcast(api: JsonClient, topic: string): Promise<string> {
  const started = performance.now();
  const cpuBefore = runtimeCpuSeconds(server.pgid);
  const { broadcastId } = await api.json<{ broadcastId: string }>("POST", "/v1/notifications", 202, { topic, title: "Scheduled maintenance", body: "The status page has the details." });
  for (;;) {
    const { status } = await api.json<{ status: string }>("GET", `/v1/broadcasts/${broadcastId}`, 200);
    if (status === "completed") {
      const perSecond = n / ((performance.now() - started) / 1000);
      return `${Math.round(perSecond)} recipients/s (${Math.round(n / (runtimeCpuSeconds(server.pgid) - cpuBefore))} per runtime CPU-second), 1-min load ${loadavg()[0]!.toFixed(2)}`;
    }
    await sleep(50);
  }
}

const workDir = mkdtempSync(join(tmpdir(), "profile-audience-"));
const { bundle, stateTemplate } = prepareHerald(workDir);
const server = await startRuntime({ workDir: join(workDir, "herald"), config: "wrangler.toml", script: bundle, stateFrom: stateTemplate });
try {
  const api = new JsonClient(server.base, server.apiKey, 4);
  await api.json("PUT", "/v1/topics/profiled", 201, {});
  for (let from = 0; from < n; from += 1000) {
    await api.json("PUT", "/v1/topics/profiled/subscribers", 200, { userIds: Array.from({ length: Math.min(1000, n - from) }, (_, i) => `p-u${from + i}`) });
  }
  console.log(`fresh: ${await broadcast(api, "profiled")}`);
  const session = await inspector(server.inspectorPort, "core:user:herald");
  await session.call("Profiler.enable");
  await session.call("Profiler.setSamplingInterval", { interval: 200 });
  console.log(`warm: ${await broadcast(api, "profiled")}`);
  await session.call("Profiler.start");
  console.log(`warm (profiled): ${await broadcast(api, "profiled")}`);
  const { profile } = await session.call<{ profile: { nodes: ProfileNode[]; samples: number[] } }>("Profiler.stop");
  session.close();
  api.close();
  writeFileSync(out, JSON.stringify(profile));
  const total = profile.samples.length;
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").pop()}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  console.log(`${total} samples; self time:`);
  for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
} finally {
  await server.stop({ force: true });
  rmSync(workDir, { recursive: true, force: true });
}
