/**
 * `npm run deploy` (scripts/deploy.mjs) against a fake `wrangler` on PATH: a small Node script
 * that keeps an account (D1 databases, queues) in a JSON file, answers `d1 list --json` and
 * `queues list --page N` in wrangler's formats (a page holds 3 queues, so paging is exercised),
 * and records every argv. The real account cannot be reached from a test; what is proven here is
 * the plan (create what is missing, nothing else), the order of the commands, and the config
 * the deploy uses. In Node, not workerd: it spawns processes.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploy, deployConfig, DEPLOY_CONFIG_PATH, parseQueuesList, planDeploy, resourcesOf } from "../../scripts/deploy.mjs";

const PROJECT_TOML = readFileSync(resolve(import.meta.dirname, "../../wrangler.toml"), "utf8");
const OUR_QUEUES = ["herald-behaviours", "herald-dispatch", "herald-broadcasts", "herald-receipts", "herald-sync", "herald-messages", "herald-channels", "herald-workflows", "herald-dlq"];

/** The fake: state.json is the account, calls.jsonl the argv of every run. Table layout as cli-table3 draws it. */
const FAKE_WRANGLER = `
const { appendFileSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const dir = __dirname;
const args = process.argv.slice(2);
appendFileSync(join(dir, "calls.jsonl"), JSON.stringify(args) + "\\n");
const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
const save = () => writeFileSync(join(dir, "state.json"), JSON.stringify(state));
const cmd = args[0] === "deploy" ? "deploy" : args.slice(0, 2).join(" ");
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (l, m, r) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
  const row = (cells) => "│" + cells.map((c, i) => " " + c.padEnd(widths[i] - 1)).join("│") + "│";
  return [line("┌", "┬", "┐"), row(head), ...rows.flatMap((r) => [line("├", "┼", "┤"), row(r)]), line("└", "┴", "┘")].join("\\n");
};
if (state.failOn && cmd === state.failOn) { console.error("✘ [ERROR] Not logged in."); process.exit(1); }
if (cmd === "d1 list") {
  console.log(JSON.stringify(state.databases.map((d) => ({ uuid: d.uuid, name: d.name, created_at: "2026-03-01T09:00:00.000Z", version: "production", num_tables: 0, file_size: 0 })), null, 2));
} else if (cmd === "queues list") {
  const page = Number(args[args.indexOf("--page") + 1] || 1);
  const rows = state.queues.slice((page - 1) * 3, page * 3).map((name, i) => ["q" + page + i, name, "2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z", "1", "1"]);
  console.log(" ⛅️ wrangler 4.155.0\\n" + "─".repeat(40));
  console.log(rows.length === 0 ? "┌┐\\n└┘" : table(["id", "name", "created_on", "modified_on", "producers", "consumers"], rows));
} else if (cmd === "d1 create") {
  const uuid = "d1-" + (state.databases.length + 1) + "-" + args[2];
  state.databases.push({ name: args[2], uuid });
  save();
  console.log("✅ Successfully created DB '" + args[2] + "'");
} else if (cmd === "queues create") {
  state.queues.push(args[2]);
  save();
  console.log("✅ Created queue " + args[2]);
} else if (cmd === "d1 migrations" || cmd === "deploy") {
  console.log("ok");
} else {
  console.error("fake wrangler: unexpected " + args.join(" "));
  process.exit(2);
}
`;

let dir: string;
let root: string;
let savedPath: string | undefined;

/** Sets up the fake's account and puts it first on PATH. */
function account(state: { databases?: { name: string; uuid: string }[]; queues?: string[]; failOn?: string }) {
  writeFileSync(join(dir, "state.json"), JSON.stringify({ databases: [], queues: [], ...state }));
  writeFileSync(join(dir, "calls.jsonl"), "");
}
const calls = () =>
  readFileSync(join(dir, "calls.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as string[]).join(" "));
const run = (planOnly = false) => deploy({ root, planOnly, log: () => {} });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fake-wrangler-"));
  root = mkdtempSync(join(tmpdir(), "herald-deploy-"));
  writeFileSync(join(root, "wrangler.toml"), PROJECT_TOML);
  writeFileSync(join(dir, "wrangler"), `#!${process.execPath}\n${FAKE_WRANGLER}`);
  chmodSync(join(dir, "wrangler"), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath}`;
});
afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

describe("npm run deploy, planning", () => {
  it("reads the database and the nine queues wrangler.toml binds", () => {
    expect(resourcesOf(PROJECT_TOML)).toEqual({ databases: ["herald"], queues: OUR_QUEUES });
  });

  it("plans to create only what the account lacks", () => {
    expect(planDeploy({ databases: ["herald"], queues: ["a", "b", "c"] }, { databases: { other: "x" }, queues: ["b", "z"] })).toEqual({
      createDatabases: ["herald"],
      createQueues: ["a", "c"],
    });
    expect(planDeploy({ databases: ["herald"], queues: ["a"] }, { databases: { herald: "id" }, queues: ["a"] })).toEqual({ createDatabases: [], createQueues: [] });
  });

  it("reads queue names from wrangler's table, skipping the banner and the rules", () => {
    const out = " ⛅️ wrangler 4.155.0\n────\n┌────┬──────────┐\n│ id │ name     │\n├────┼──────────┤\n│ 1  │ herald-a │\n├────┼──────────┤\n│ 2  │ herald-b │\n└────┴──────────┘";
    expect(parseQueuesList(out)).toEqual(["herald-a", "herald-b"]);
    expect(parseQueuesList("┌┐\n└┘")).toEqual([]);
  });

  it("lists the account (every page of queues) and changes nothing with --plan", () => {
    account({ databases: [{ name: "other-db", uuid: "u-other" }], queues: ["other-1", "other-2", "herald-dlq", "other-3", "herald-sync"] });
    const { plan, configPath } = run(true);
    expect(plan).toEqual({ createDatabases: ["herald"], createQueues: OUR_QUEUES.filter((q) => q !== "herald-dlq" && q !== "herald-sync") });
    expect(configPath).toBeNull();
    expect(calls()).toEqual(["d1 list --json", "queues list --page 1", "queues list --page 2", "queues list --page 3"]);
  });
});

describe("npm run deploy, against a fake wrangler", () => {
  it("on a fresh account creates the database and the queues, migrates, then deploys with the real database_id", () => {
    account({ queues: ["herald-dlq"] });
    const { plan, configPath } = run();
    expect(plan.createDatabases).toEqual(["herald"]);
    expect(plan.createQueues).toEqual(OUR_QUEUES.filter((q) => q !== "herald-dlq"));
    expect(configPath).toBe(join(root, DEPLOY_CONFIG_PATH));
    expect(calls()).toEqual([
      "d1 list --json",
      "queues list --page 1",
      "queues list --page 2",
      "d1 create herald",
      ...OUR_QUEUES.filter((q) => q !== "herald-dlq").map((q) => `queues create ${q}`),
      "d1 list --json",
      `d1 migrations apply herald --remote --config ${configPath}`,
      `deploy --config ${configPath}`,
    ]);
    const config = readFileSync(configPath!, "utf8");
    expect(config).toContain('database_id = "d1-1-herald"');
    expect(config).toContain(`main = ${JSON.stringify(join(root, "src/index.ts"))}`);
    expect(config).toContain(`migrations_dir = ${JSON.stringify(join(root, "migrations"))}`);
    // The committed wrangler.toml is left as it was.
    expect(readFileSync(join(root, "wrangler.toml"), "utf8")).toBe(PROJECT_TOML);
  });

  it("run again, creates nothing and deploys the same config", () => {
    account({ queues: ["herald-dlq"] });
    const first = readFileSync(run().configPath!, "utf8");
    writeFileSync(join(dir, "calls.jsonl"), "");
    const { plan, configPath } = run();
    expect(plan).toEqual({ createDatabases: [], createQueues: [] });
    expect(calls().filter((c) => c.includes("create"))).toEqual([]);
    expect(calls().at(-1)).toBe(`deploy --config ${configPath}`);
    expect(readFileSync(configPath!, "utf8")).toBe(first);
  });

  it("stops at the first failing wrangler command, having created nothing", () => {
    account({ failOn: "d1 list" });
    expect(() => run()).toThrow(/wrangler d1 list --json exited with 1/);
    expect(calls()).toEqual(["d1 list --json"]);
  });
});

describe("the deployed config", () => {
  it("sets database_id by database_name, makes paths absolute and runs the build in the project", () => {
    const config = deployConfig(PROJECT_TOML, { root: "/srv/herald", databaseIds: { herald: "real-id", unrelated: "x" } });
    expect(config).toContain('database_id = "real-id"');
    expect(config).not.toContain("00000000-0000-4000-8000-000000000000");
    expect(config).toContain('directory = "/srv/herald/public"');
    expect(config).toMatch(/\[build\]\ncwd = "\/srv\/herald"\n/);
    // Everything else is wrangler.toml line for line.
    const changed = config.split("\n").filter((line) => !PROJECT_TOML.split("\n").includes(line));
    expect(changed).toEqual([
      'main = "/srv/herald/src/index.ts"',
      'cwd = "/srv/herald"',
      'watch_dir = "/srv/herald/packages/client/src"',
      'directory = "/srv/herald/public"',
      'database_id = "real-id"',
      'migrations_dir = "/srv/herald/migrations"',
    ]);
  });

  it("adds a database_id to a table that has none", () => {
    const toml = '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "herald"\n';
    expect(deployConfig(toml, { root: "/r", databaseIds: { herald: "id-1" } })).toBe('[[d1_databases]]\nbinding = "DB"\ndatabase_name = "herald"\ndatabase_id = "id-1"\n');
  });
});
