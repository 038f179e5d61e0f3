/**
 * CPU per workflow run step, measured on workerd (docs/api.md#workflows):
 * `node bench/workflow-cpu.ts [runs] [channels|delays]`.
 *
 * Starts Herald as the bench does (bench/lib/herald.ts: bundled once, workerd through wrangler's
 * programmatic API), saves a three-step workflow — in-app, a 1 s delay, email if unread — and
 * users with email addresses, then triggers it for `runs` users (default 200) in one request.
 * The workerd process's CPU time (user + system, from /proc/<pid>/stat) is read before the
 * trigger and after every run's email reached the outbox, minus the CPU the same process burns
 * idle over the same wall time (measured just before). The figure covers everything a run costs:
 * the trigger request, the queue fan-out, the UserWorkflows object's steps and alarms, the D1
 * writes, the in-app delivery to each UserInbox, and the email through the channel queue to the
 * outbox. `delays` measures the step machine alone instead: three 1 s delays per run, done when
 * every run completed. Prints one JSON line.
 *
 * Measured at 2026-11-29 on the 2-core development machine (200 runs each): `channels` 15.6–17.1 ms
 * of workerd CPU per run, 5.2–5.7 ms per step; `delays` 5.4 ms per run, 1.8 ms per step.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../scripts/local-server.ts";
import { openD1, prepareHerald, withServer, workerdProcess, type BenchContext } from "./lib/herald.ts";

const RUNS = Number(process.argv[2] ?? 200);
const MODE = process.argv[3] === "delays" ? "delays" : "channels";
const STEPS_PER_RUN = 3;
/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time a process used so far, in ms (utime + stime). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const workDir = mkdtempSync(join(tmpdir(), "herald-wf-cpu-"));
const children: { kill(): void }[] = [];
const ctx: BenchContext = {
  quick: false,
  workDir,
  ...prepareHerald(workDir),
  track(child) {
    children.push(child);
    return () => children.splice(children.indexOf(child), 1);
  },
  log: (text) => process.stderr.write(`${text}\n`),
};

try {
  await withServer(ctx, "workflow-cpu", async (server) => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };
    await call("PUT", "/v1/templates/cpu_in_app", { channel: "in_app", subject: "New comment", body: "{{who}} commented" });
    await call("PUT", "/v1/templates/cpu_email", { channel: "email", subject: "You missed a comment", body: "<p>{{who}} commented</p>" });
    await call("PUT", "/v1/workflows/cpu", {
      steps:
        MODE === "delays"
          ? [{ type: "delay", seconds: 1 }, { type: "delay", seconds: 1 }, { type: "delay", seconds: 1 }]
          : [{ type: "in_app", template: "cpu_in_app" }, { type: "delay", seconds: 1 }, { type: "email", template: "cpu_email", if: "unread" }],
    });
    const users = Array.from({ length: RUNS }, (_, i) => `cpu_user_${i}`);
    for (const u of users) await call("PUT", `/v1/users/${u}`, { email: `${u}@example.com` });

    const pid = workerdProcess(server);
    // Idle baseline over the same wall time as a typical run of the measurement.
    const idleStart = cpuMs(pid);
    const idleWall = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const idlePerMs = (cpuMs(pid) - idleStart) / (Date.now() - idleWall);

    const db = openD1(server);
    const emails = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE channel = 'email'`);
    const start = cpuMs(pid);
    const wallStart = Date.now();
    await call("POST", "/v1/workflows/cpu/trigger", { to: users, data: { who: "Ada" } });
    // CPU is read before each completion check, so the reads of the check are not counted (the
    // first check comes late enough to pass, normally); the email count is read from the D1 file.
    let end = { cpu: 0, at: 0 };
    const completed = async () => {
      end = { cpu: cpuMs(pid), at: Date.now() };
      if (MODE === "channels") return emails.get()!.n >= RUNS;
      let done = 0;
      for (let i = 0; i < users.length; i += 50) {
        const pages = await Promise.all(users.slice(i, i + 50).map((u) => call("GET", `/v1/users/${u}/workflow-runs`) as Promise<{ items: { status: string }[] }>));
        done += pages.filter((p) => p.items[0]?.status === "completed").length;
      }
      return done === RUNS;
    };
    if (MODE === "delays") await new Promise((r) => setTimeout(r, 15_000));
    await until(MODE === "delays" ? `${RUNS} completed runs` : `${RUNS} emails in the outbox`, completed, 300_000, MODE === "delays" ? 5000 : 100);
    const wallMs = end.at - wallStart;
    const totalMs = end.cpu - start - idlePerMs * wallMs;
    db.close();
    process.stdout.write(
      `${JSON.stringify({
        mode: MODE,
        runs: RUNS,
        stepsPerRun: STEPS_PER_RUN,
        wallMs,
        workerdCpuMs: Math.round(totalMs),
        idleCpuMsSubtracted: Math.round(idlePerMs * wallMs),
        cpuMsPerRun: Number((totalMs / RUNS).toFixed(2)),
        cpuMsPerStep: Number((totalMs / (RUNS * STEPS_PER_RUN)).toFixed(2)),
      })}\n`,
    );
  });
} finally {
  for (const child of children) child.kill();
  rmSync(workDir, { recursive: true, force: true });
}
