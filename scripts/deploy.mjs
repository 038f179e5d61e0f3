/**
 * `npm run deploy`: deploys Herald to the Cloudflare account wrangler is logged in to, creating
 * what is missing first, so the same command works on a fresh account and on the hundredth deploy.
 *
 * 1. Reads the D1 databases and queues wrangler.toml binds.
 * 2. Lists what the account has (`wrangler d1 list --json`, `wrangler queues list`, every page)
 *    and plans: each database or queue not there is created, nothing else is touched.
 * 3. Creates them (`wrangler d1 create`, `wrangler queues create`).
 * 4. Writes the config it deploys, `.wrangler/herald-deploy/wrangler.toml` (git-ignored):
 *    wrangler.toml with each database's real `database_id` and its paths made absolute. The
 *    committed wrangler.toml keeps its placeholder id, which local dev and the tests use.
 * 5. Applies the remote migrations (`wrangler d1 migrations apply <db> --remote`) and deploys
 *    (`wrangler deploy`), both with `--config` pointing at that file.
 *
 * `npm run deploy -- --plan` stops after step 2 and prints the plan. Secrets are not touched:
 * README.md "Deploying to Cloudflare" lists the `wrangler secret put` commands.
 * Wrangler is run from PATH (npm puts node_modules/.bin there), which is how
 * test/e2e/deploy.test.ts swaps in a fake one.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Where the deployed config is written, under the project root. Not `.wrangler/deploy/`: a `config.json` there would redirect every wrangler command. */
export const DEPLOY_CONFIG_PATH = ".wrangler/herald-deploy/wrangler.toml";

/** Pages of `wrangler queues list` read at most; the API pages by 1,000-ish, so this is far past any real account. */
const MAX_QUEUE_PAGES = 100;

/** Config keys whose values are paths relative to the config file's folder. */
const PATH_KEYS = ["main", "directory", "migrations_dir", "watch_dir"];

/**
 * The resources wrangler.toml binds: D1 `database_name`s and every queue named by a producer, a
 * consumer or a consumer's `dead_letter_queue`, each once, in file order.
 * @param {string} toml the text of wrangler.toml (only its flat `key = "value"` lines are read).
 * @returns {{ databases: string[], queues: string[] }}
 */
export function resourcesOf(toml) {
  const values = (key) => [...toml.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, "gm"))].map((m) => m[1]);
  return {
    databases: [...new Set(values("database_name"))],
    queues: [...new Set([...values("queue"), ...values("dead_letter_queue")])],
  };
}

/**
 * The databases of `wrangler d1 list --json` (an array of `{uuid, name, ...}`), by name → id.
 * @param {string} stdout
 * @returns {Record<string, string>}
 * @throws Error when the output holds no JSON array.
 */
export function parseD1List(stdout) {
  const start = stdout.indexOf("[");
  const end = stdout.lastIndexOf("]");
  if (start === -1 || end < start) throw new Error(`wrangler d1 list --json printed no JSON array:\n${stdout}`);
  return Object.fromEntries(JSON.parse(stdout.slice(start, end + 1)).map((db) => [db.name, db.uuid]));
}

/**
 * The queue names in one page of `wrangler queues list`, a box-drawn table (cli-table3) whose
 * header row has a `name` column. Banner and warning lines around it are ignored.
 * @param {string} stdout
 * @returns {string[]}
 */
export function parseQueuesList(stdout) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes, should a terminal have forced them on.
  const rows = stdout.replace(/\u001b\[[0-9;]*m/g, "").split(/\r?\n/).filter((line) => line.trimStart().startsWith("│"));
  const cells = rows.map((line) => line.split("│").slice(1, -1).map((cell) => cell.trim()));
  const column = cells[0]?.indexOf("name") ?? -1;
  if (column === -1) return [];
  return cells.slice(1).map((row) => row[column]).filter(Boolean);
}

/**
 * What to create: the databases and queues wrangler.toml binds that the account lacks. Pure.
 * @param {{ databases: string[], queues: string[] }} wanted from {@link resourcesOf}
 * @param {{ databases: Record<string, string>, queues: string[] }} existing what the account has
 * @returns {{ createDatabases: string[], createQueues: string[] }}
 */
export function planDeploy(wanted, existing) {
  const queues = new Set(existing.queues);
  return {
    createDatabases: wanted.databases.filter((name) => !Object.hasOwn(existing.databases, name)),
    createQueues: wanted.queues.filter((name) => !queues.has(name)),
  };
}

/**
 * The config to deploy: `toml` with each `[[d1_databases]]` table's `database_id` set from
 * `databaseIds` (by its `database_name`), every path key made absolute against `root` and the
 * build's `cwd` set to `root`, so the file works from any folder. Tables of databases not in `databaseIds` are left as they are.
 * @param {string} toml
 * @param {{ root: string, databaseIds: Record<string, string> }} options
 * @returns {string}
 */
export function deployConfig(toml, { root, databaseIds }) {
  // Split before each table header, so a `[[d1_databases]]` table's lines stay together.
  const tables = toml.split(/^(?=\s*\[)/m);
  return tables
    .map((table) => {
      let text = table.replace(new RegExp(`^(\\s*(?:${PATH_KEYS.join("|")})\\s*=\\s*)"([^"]+)"`, "gm"), (_line, key, value) =>
        `${key}${JSON.stringify(isAbsolute(value) ? value : resolve(root, value))}`,
      );
      // The build command runs in the process's folder unless told otherwise.
      if (/^\s*\[build\]/.test(text) && !/^\s*cwd\s*=/m.test(text)) text = text.replace(/^(\s*\[build\].*)$/m, (line) => `${line}\ncwd = ${JSON.stringify(root)}`);
      if (!/^\s*\[\[d1_databases\]\]/.test(text)) return text;
      const name = text.match(/^\s*database_name\s*=\s*"([^"]+)"/m)?.[1];
      const id = name === undefined ? undefined : databaseIds[name];
      if (id === undefined) return text;
      if (/^\s*database_id\s*=/m.test(text)) return text.replace(/^(\s*database_id\s*=\s*)"[^"]*"/m, (_line, key) => `${key}${JSON.stringify(id)}`);
      return text.replace(/^(\s*database_name\s*=.*)$/m, (line) => `${line}\ndatabase_id = ${JSON.stringify(id)}`);
    })
    .join("");
}

/**
 * Runs `wrangler <args>` from PATH. Output is captured when `capture`, else shown as it comes.
 * @param {string[]} args
 * @param {{ capture?: boolean }} [options]
 * @returns {string} the captured stdout ("" when not captured)
 * @throws Error naming the command when wrangler exits non-zero.
 */
export function wrangler(args, { capture = false } = {}) {
  const result = spawnSync("wrangler", args, { encoding: "utf8", stdio: ["inherit", capture ? "pipe" : "inherit", "inherit"] });
  if (result.error) throw new Error(`wrangler ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} exited with ${result.status}${capture && result.stdout.trim() ? `:\n${result.stdout.trim()}` : ""}`);
  return result.stdout ?? "";
}

/** The account's D1 databases, by name → id. */
export const listDatabases = () => parseD1List(wrangler(["d1", "list", "--json"], { capture: true }));

/** Every queue name in the account, reading `wrangler queues list` page by page. */
export function listQueues() {
  const queues = [];
  for (let page = 1; page <= MAX_QUEUE_PAGES; page++) {
    const names = parseQueuesList(wrangler(["queues", "list", "--page", String(page)], { capture: true }));
    // An empty page is the end; a page of names already seen means the API ignored `page`.
    if (names.length === 0 || names.every((name) => queues.includes(name))) break;
    queues.push(...names.filter((name) => !queues.includes(name)));
  }
  return queues;
}

/**
 * The whole deploy (steps 1–5 above) for the project at `root`.
 * @param {{ root: string, planOnly?: boolean, log?: (line: string) => void }} options
 * @returns {{ plan: ReturnType<typeof planDeploy>, configPath: string | null }} `configPath` is null with `planOnly`.
 * @throws Error from the first wrangler command that fails; what ran before it stays done, and a rerun picks up from there.
 */
export function deploy({ root, planOnly = false, log = console.log }) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const wanted = resourcesOf(toml);
  const existing = { databases: listDatabases(), queues: listQueues() };
  const plan = planDeploy(wanted, existing);
  const creates = [...plan.createDatabases.map((n) => `D1 database ${n}`), ...plan.createQueues.map((n) => `queue ${n}`)];
  log(creates.length === 0 ? "Every D1 database and queue exists." : `To create: ${creates.join(", ")}.`);
  if (planOnly) return { plan, configPath: null };

  for (const name of plan.createDatabases) wrangler(["d1", "create", name]);
  for (const name of plan.createQueues) wrangler(["queues", "create", name]);
  // `d1 create` prints the new id in a config snippet whose shape changes between versions; the list is JSON.
  const databases = plan.createDatabases.length === 0 ? existing.databases : listDatabases();
  const missing = wanted.databases.filter((name) => !databases[name]);
  if (missing.length > 0) throw new Error(`D1 database(s) ${missing.join(", ")} still missing after wrangler d1 create.`);

  const configPath = join(root, DEPLOY_CONFIG_PATH);
  mkdirSync(dirname(configPath), { recursive: true });
  writeFileSync(configPath, deployConfig(toml, { root, databaseIds: databases }));
  log(`Wrote ${DEPLOY_CONFIG_PATH} with the database id(s) ${wanted.databases.map((n) => `${n}=${databases[n]}`).join(", ")}.`);

  for (const name of wanted.databases) wrangler(["d1", "migrations", "apply", name, "--remote", "--config", configPath]);
  wrangler(["deploy", "--config", configPath]);
  return { plan, configPath };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    deploy({ root: process.cwd(), planOnly: process.argv.includes("--plan") });
  } catch (error) {
    console.error(`Deploy stopped: ${error instanceof Error ? error.message : String(error)}`);
    console.error("Not logged in? Run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN), then `npm run deploy` again: it picks up where it stopped.");
    process.exit(1);
  }
}
