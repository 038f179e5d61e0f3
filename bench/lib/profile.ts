/**
 * A V8 CPU profile of a Worker's isolate on local workerd, through the inspector that Miniflare
 * exposes (`inspectorPort`, bench/lib/runtime-process.ts) and the Chrome DevTools protocol
 * (`Profiler.start` / `Profiler.stop`). Samples are attributed to the bundle's modules by the
 * `// path` comments esbuild writes before each module, so the summary says whether time went to
 * Herald's code (`src/…`), a library (`hono`, `zod`, `drizzle-orm`…) or the runtime (native code,
 * garbage collection, the rest of workerd's `(program)`).
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";

/** One function's share of the profile's busy samples (idle left out). */
export interface ProfileEntry {
  /** `name (module:line)`; the module is the bundle's, or `(native)`. */
  fn: string;
  /** Self time as a share of busy samples, in percent. */
  selfPercent: number;
}

/** What a profile shows: busy time, its split by owner, and the top functions by self time. */
export interface CpuProfileSummary {
  /** Sampled busy time (not idle), in ms. */
  busyMs: number;
  /** Share of busy samples per owner (`herald`, a package name, `runtime`), in percent. */
  owners: Record<string, number>;
  top: ProfileEntry[];
  /** Busy ms sampled in each isolate of workerd (the Worker's and the simulators'), busiest first. */
  isolates?: Record<string, number>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Module paths of a bundle by line: esbuild's `// src/x.ts` or `// node_modules/pkg/…` comments. */
function moduleLines(bundlePath: string): { line: number; path: string }[] {
  const starts: { line: number; path: string }[] = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((text, line) => {
      const match = /^\/\/ ((?:src|node_modules|packages|bench)\/\S+)$/.exec(text);
      if (match) starts.push({ line, path: match[1]! });
    });
  return starts;
}

/** Who owns a module path of the bundle: `herald` for our sources, the package for node_modules. */
function ownerOf(path: string | null): string {
  if (path === null) return "herald";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return pkg ? pkg[1]! : "herald";
}

/** One inspector target (an isolate of workerd: the Worker, or one of Miniflare's simulators). */
interface Target {
  id: string;
  webSocketDebuggerUrl: string;
}

/** A CDP session with one target. */
async function session(target: Target): Promise<{ call<T>(method: string, params?: Record<string, unknown>): Promise<T>; close(): void }> {
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return {
    call: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/**
 * Starts profiling every isolate behind `inspectorPort` (what its `/json` lists): the Worker
 * (`core:user:<name>`) and Miniflare's own — the request entry, the D1, Queues and rate-limit
 * simulators — so the summary shows where workerd's time goes.
 * @returns `stop(bundlePath)`, which ends the profiles and summarises them; the Worker's samples
 *          are attributed to the bundle's modules (line → module).
 */
export async function startProfile(inspectorPort: number): Promise<{ stop(bundlePath?: string): Promise<CpuProfileSummary> }> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Target[];
  const sessions = await Promise.all(targets.map(async (target) => ({ target, cdp: await session(target) })));
  for (const { cdp } of sessions) {
    await cdp.call("Profiler.enable");
    // 100 µs: fine enough for functions that run a few µs per notification, over thousands of them.
    await cdp.call("Profiler.setSamplingInterval", { interval: 100 });
  }
  await Promise.all(sessions.map(({ cdp }) => cdp.call("Profiler.start")));
  return {
    async stop(bundlePath?: string) {
      const profiles = await Promise.all(sessions.map(async ({ target, cdp }) => ({ target, profile: (await cdp.call<{ profile: Profile }>("Profiler.stop")).profile })));
      for (const { cdp } of sessions) cdp.close();
      const modules = bundlePath ? moduleLines(bundlePath) : [];
      const isolates: Record<string, number> = {};
      let worker: CpuProfileSummary | null = null;
      for (const { target, profile } of profiles) {
        const summary = summarise(profile, target.id.startsWith("core:user:") ? modules : []);
        if (summary.busyMs > 0) isolates[target.id] = summary.busyMs;
        if (target.id.startsWith("core:user:")) worker = summary;
      }
      if (!worker) throw new Error("no core:user: target among the inspector's");
      return { ...worker, isolates: Object.fromEntries(Object.entries(isolates).sort(([, a], [, b]) => b - a)) };
    },
  };
}

function summarise(profile: Profile, modules: { line: number; path: string }[]): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const moduleAt = (line: number): string | null => {
    let found: string | null = null;
    for (const m of modules) {
      if (m.line > line) break;
      found = m.path;
    }
    return found;
  };
  const perFn = new Map<string, number>();
  const owners: Record<string, number> = {};
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") continue;
    busy += us;
    // Only the bundle's own lines map to its modules; the runtime's built-in modules (`cloudflare:…`, `node:…`) have URLs of their own.
    const inBundle = frame.url.endsWith("index.js") && !frame.url.includes(":");
    const path = inBundle ? moduleAt(frame.lineNumber) : null;
    const owner = inBundle ? ownerOf(path) : "runtime";
    owners[owner] = (owners[owner] ?? 0) + us;
    const where = path ? path.replace(/^node_modules\//, "") : frame.url || "native";
    const key = `${frame.functionName || "(anonymous)"} (${where}:${frame.lineNumber + 1})`;
    perFn.set(key, (perFn.get(key) ?? 0) + us);
  }
  const percent = (us: number) => Math.round((1000 * us) / busy) / 10;
  return {
    busyMs: Math.round(busy / 1000),
    owners: Object.fromEntries(Object.entries(owners).sort(([, a], [, b]) => b - a).map(([k, v]) => [k, percent(v)])),
    top: [...perFn].sort(([, a], [, b]) => b - a).slice(0, 40).map(([fn, us]) => ({ fn, selfPercent: percent(us) })),
  };
}
