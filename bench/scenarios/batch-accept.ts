/**
 * Scenario 1, batch accept (README.md#benchmarks, issue 8): batches of 1,000 new notifications over
 * `POST /v1/notifications/batch`, one after another, then the same batches replayed (every item
 * a duplicate). Items/s against two baselines measured in the same run:
 *
 * - raw SQLite: better-sqlite3 on a file with Herald's migrations (same columns, same unique key
 *   index), the same row per item — the notification with its in-app state, holding its
 *   idempotency key (migration 0017) — one transaction per 1,000 items; a replayed item is an
 *   insert that loses plus a read of the holder;
 * - check-then-insert: the seed's SELECT-then-INSERT per item, in a bench-only Worker on the same
 *   local D1 (bench/seed-worker).
 *
 * Targets: new and replayed items/s each ≥ 0.30 × raw SQLite and ≥ 100 × check-then-insert.
 *
 * On the same Herald, a second set of users, each with a preference document (issue 15: a
 * category off, email off, quiet hours), gets the same new batches: repetitions alternate between
 * the two sets, so both see the same database growth, and the items/s with preferences must stay
 * ≥ 0.9 × the items/s without.
 */
import Database from "better-sqlite3";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { JsonClient } from "../lib/http.ts";
import { waitForDispatch, withServer, type BenchContext } from "../lib/herald.ts";
import { resultRow, type ResultRow } from "../lib/report.ts";
import { now } from "../lib/stats.ts";

const ITEMS_PER_BATCH = 1000;
const SCOPE = "notifications";
const SEED_WORKER = fileURLToPath(new URL("../seed-worker/index.ts", import.meta.url));
const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));
const HERALD_CONFIG = fileURLToPath(new URL("../../wrangler.toml", import.meta.url));

interface Item {
  idempotencyKey: string;
  userId: string;
  title: string;
  body: string;
  data: { orderId: string; amount: number };
}

/**
 * Sizes per mode: batches per repetition, repetitions, and a time budget per phase (ms) after
 * which a phase stops at the end of its current batch, so a slow contender bounds the run's time,
 * not its correctness (items/s is over the batches done). The check-then-insert baseline costs
 * the same per item whatever the batch size, so the quick run gives it smaller batches.
 */
function sizes(quick: boolean) {
  return quick
    ? { batches: 2, usersPerBatch: 100, repetitions: 2, budgetMs: 4000, soloBatches: 1, seedBatches: 1, seedItems: 300, seedRepetitions: 1, drainMs: 20_000 }
    : { batches: 20, usersPerBatch: 1000, repetitions: 3, budgetMs: 20_000, soloBatches: 5, seedBatches: 2, seedItems: ITEMS_PER_BATCH, seedRepetitions: 3, drainMs: 90_000 };
}

type Accept = (items: Item[]) => Promise<Record<string, number>>;

/**
 * The batches of one repetition: 1,000 items each, spread round-robin over `users` users (a
 * campaign-style send: the in-app fast path then calls that many inboxes per batch, as it would
 * in production). `users = 1` sends a whole batch to one user, which isolates that fan-out.
 */
function makeBatches(prefix: string, count: number, users: number, itemsPerBatch = ITEMS_PER_BATCH, userPrefix = "user"): Item[][] {
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: itemsPerBatch }, (_, i) => ({
      idempotencyKey: `${prefix}-${b}-${i}`,
      userId: users === 1 ? `${prefix}-solo-${b}` : `${userPrefix}-${i % users}`,
      title: "Your order has shipped",
      body: `Order ${prefix}-${b}-${i} is on its way and arrives tomorrow.`,
      data: { orderId: `${prefix}-${b}-${i}`, amount: i },
    })),
  );
}

/**
 * Sends `batches` one after another through `accept`, which must report `expect` for every item,
 * until all are sent or `budgetMs` has passed.
 * @returns items/s over the batches sent, and how many were sent.
 */
async function timeBatches(batches: Item[][], accept: Accept, expect: "created" | "duplicate", budgetMs: number): Promise<{ itemsPerSecond: number; sent: number }> {
  const started = now();
  let sent = 0;
  let items = 0;
  while (sent < batches.length && (sent === 0 || now() - started < budgetMs)) {
    const batch = batches[sent]!;
    const summary = await accept(batch);
    if (summary[expect] !== batch.length) throw new Error(`expected ${batch.length} ${expect}, got ${JSON.stringify(summary)}`);
    sent++;
    items += batch.length;
  }
  return { itemsPerSecond: items / ((now() - started) / 1000), sent };
}

interface Series {
  created: number[];
  replayed: number[];
  /** Herald only: items/s of new batches that each go to a single user. */
  solo: number[];
  /** Batches the new phase managed within its budget, per repetition. */
  sent: number[];
}

/**
 * A warm-up (one batch of `warmupItems`, new and replayed), then repetitions of new-then-replay
 * on fresh keys. `settle` runs after the warm-up, between the new and the replayed batches, and
 * after each repetition; false ends the series early.
 */
async function repetitions(
  label: string,
  plan: { count: number; batches: number; users: number; budgetMs: number; warmupItems: number; itemsPerBatch?: number; soloBatches?: number; userPrefix?: string },
  accept: Accept,
  settle: () => Promise<boolean>,
  log: (text: string) => void,
): Promise<Series> {
  const series: Series = { created: [], replayed: [], solo: [], sent: [] };
  const warm = makeBatches(`${label}-warm`, 1, plan.users, ITEMS_PER_BATCH, plan.userPrefix).map((batch) => batch.slice(0, plan.warmupItems));
  await timeBatches(warm, accept, "created", plan.budgetMs);
  await timeBatches(warm, accept, "duplicate", plan.budgetMs);
  if (!(await settle())) return series;
  for (let r = 0; r < plan.count; r++) {
    const batches = makeBatches(`${label}-r${r}`, plan.batches, plan.users, plan.itemsPerBatch, plan.userPrefix);
    const created = await timeBatches(batches, accept, "created", plan.budgetMs);
    // The replays start once the new batches' dispatch is done, so their items/s measure
    // replaying, not the tail of 20,000 deliveries still running on the same runtime.
    if (!(await settle())) break;
    const replayed = await timeBatches(batches.slice(0, created.sent), accept, "duplicate", plan.budgetMs);
    series.created.push(created.itemsPerSecond);
    series.replayed.push(replayed.itemsPerSecond);
    series.sent.push(created.sent);
    let line = `  ${label} repetition ${r + 1}/${plan.count}: ${Math.round(created.itemsPerSecond)} new items/s (${created.sent} batches), ${Math.round(replayed.itemsPerSecond)} replayed items/s`;
    if (plan.soloBatches) {
      series.solo.push((await timeBatches(makeBatches(`${label}-r${r}-solo`, plan.soloBatches, 1), accept, "created", plan.budgetMs)).itemsPerSecond);
      line += `, ${Math.round(series.solo.at(-1)!)} new items/s with one user per batch`;
    }
    log(line);
    if (!(await settle())) break;
  }
  return series;
}

/**
 * Gives each of the users `{prefix}-0` … `{prefix}-{n-1}` (see {@link makeBatches}) a
 * preference document through `POST /v1/preferences/bulk`, 1,000 users per call: a marketing
 * category off, email off, and quiet hours, as a real audience has. The batches' notifications
 * (category `general`, in-app) still go out.
 */
async function setPreferences(api: JsonClient, users: number, prefix: string): Promise<void> {
  const patch = { channels: { email: false }, categories: { marketing: { enabled: false } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin", channels: ["sms", "push"] } };
  for (let first = 0; first < users; first += 1000) {
    const items = Array.from({ length: Math.min(1000, users - first) }, (_, i) => ({ userId: `${prefix}-${first + i}`, patch }));
    const { results } = await api.json<{ results: { status: string }[] }>("POST", "/v1/preferences/bulk", 200, { items });
    const refused = results.filter((r) => r.status !== "updated");
    if (refused.length > 0) throw new Error(`preferences: ${refused.length} of ${items.length} not updated (${JSON.stringify(refused[0])})`);
  }
}

/**
 * Writes the seed Worker's wrangler config into `dir`: wrangler keeps its build droppings
 * (`.wrangler/`) next to the config, so they stay in the run's temp dir. The D1 database id and
 * compatibility date are Herald's own, so the Worker starts from the same migrated local state.
 * @returns the config's path.
 */
function seedWorkerConfig(dir: string): string {
  const herald = readFileSync(HERALD_CONFIG, "utf8");
  const setting = (name: string) => herald.match(new RegExp(`^${name}\\s*=\\s*"([^"]+)"`, "m"))?.[1] ?? fail(`no ${name} in wrangler.toml`);
  const path = join(dir, "seed-worker.json");
  const config = {
    name: "herald-bench-seed",
    main: SEED_WORKER,
    compatibility_date: setting("compatibility_date"),
    d1_databases: [{ binding: "DB", database_name: "herald", database_id: setting("database_id"), migrations_dir: MIGRATIONS }],
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The raw SQLite baseline (see module comment), on a file DB with every Herald migration applied. */
function rawSqlite(path: string): (items: Item[]) => Promise<Record<string, number>> {
  const db = new Database(path);
  // D1's local databases run in WAL mode too.
  db.pragma("journal_mode = WAL");
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql")).sort()) db.exec(readFileSync(join(MIGRATIONS, file), "utf8"));
  const insertNotification = db.prepare(
    `INSERT INTO notifications (id, user_id, idempotency_key, fingerprint, data, title, body, channels, priority, created_at, updated_at, dispatch_after, in_app_status, key_scope, key_expires_at)
     VALUES (?, ?, ?, '', ?, ?, ?, '["in_app"]', 'normal', ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING`,
  );
  const existing = db.prepare<[string, string], { id: string; fingerprint: string }>(
    `SELECT id, fingerprint FROM notifications WHERE idempotency_key = ? AND key_scope = ?`,
  );
  let nextId = 0;
  const acceptAll = db.transaction((items: Item[]) => {
    const summary = { created: 0, duplicate: 0 };
    const at = Date.now();
    for (const item of items) {
      const id = `raw_${++nextId}`;
      if (insertNotification.run(id, item.userId, item.idempotencyKey, JSON.stringify(item.data), item.title, item.body, at, at, at, SCOPE, at + 86_400_000).changes === 1) {
        summary.created++;
      } else if (existing.get(item.idempotencyKey, SCOPE)) {
        summary.duplicate++;
      }
    }
    return summary;
  });
  return async (items) => acceptAll(items);
}

/** Runs scenario 1 and returns its rows and notes. */
export async function batchAccept(ctx: BenchContext): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const size = sizes(ctx.quick);
  const notes: string[] = [];

  ctx.log(`batch accept: Herald, ${size.repetitions} × (≤ ${size.batches} new + as many replayed batches of ${ITEMS_PER_BATCH}, ≤ ${size.budgetMs / 1000} s each)`);
  const herald = await withServer(ctx, "batch-herald", async (server) => {
    const api = new JsonClient(server.base, server.apiKey, 1);
    try {
      const accept: Accept = async (items) =>
        (await api.json<{ summary: Record<string, number> }>("POST", "/v1/notifications/batch", 200, { items })).summary;
      // Each repetition starts once the previous one's dispatch work is done, so none inherits a backlog.
      const settle = () =>
        waitForDispatch(server, size.drainMs).then(
          () => true,
          () => {
            notes.push(`batch accept: Herald's dispatch queue did not drain within ${size.drainMs / 1000} s, so the series stopped early.`);
            return false;
          },
        );
      await setPreferences(api, size.usersPerBatch, "puser");
      const plain: Series = { created: [], replayed: [], solo: [], sent: [] };
      const withPreferences: number[] = [];
      const plan = { count: 1, batches: size.batches, users: size.usersPerBatch, budgetMs: size.budgetMs, warmupItems: ITEMS_PER_BATCH };
      for (let r = 0; r < size.repetitions; r++) {
        const run = await repetitions(`herald-r${r}`, { ...plan, soloBatches: size.soloBatches }, accept, settle, ctx.log);
        for (const key of ["created", "replayed", "solo", "sent"] as const) plain[key].push(...run[key]);
        withPreferences.push(...(await repetitions(`herald-prefs-r${r}`, { ...plan, userPrefix: "puser" }, accept, settle, ctx.log)).created);
      }
      return { ...plain, withPreferences };
    } finally {
      api.close();
    }
  });

  ctx.log("batch accept: raw SQLite (better-sqlite3)");
  const raw = await repetitions("raw", { count: size.repetitions, batches: size.batches, users: size.usersPerBatch, budgetMs: size.budgetMs, warmupItems: ITEMS_PER_BATCH }, rawSqlite(join(ctx.workDir, "batch-raw.sqlite")), async () => true, ctx.log);

  ctx.log(`batch accept: check-then-insert per item, ${size.seedRepetitions} × ${size.seedBatches} batches of ${size.seedItems}`);
  const seed = await withServer(
    ctx,
    "batch-seed",
    async (server) => {
      const api = new JsonClient(server.base, null, 1);
      try {
        const accept: Accept = (items) => api.json<Record<string, number>>("POST", "/batch", 200, { items });
        // A short warm-up: at ~3 ms per item, a full batch would cost seconds and teach nothing more.
        return await repetitions("seed", { count: size.seedRepetitions, batches: size.seedBatches, users: size.usersPerBatch, budgetMs: size.budgetMs, warmupItems: 100, itemsPerBatch: size.seedItems }, accept, async () => true, ctx.log);
      } finally {
        api.close();
      }
    },
    { config: seedWorkerConfig(ctx.workDir) },
  );

  const rawName = "raw SQLite";
  const seedName = "check-then-insert";
  notes.push(
    `batch accept: batches sent one at a time; each new batch addresses ${size.usersPerBatch.toLocaleString("en-US")} different users (Herald's dispatch consumer then calls as many inboxes per batch; the replays start once it is done); ` +
      `Herald sent ${herald.sent.join("/")} new batches per repetition within its ${size.budgetMs / 1000} s budget; the check-then-insert baseline sends ${size.seedBatches} of ${size.seedItems} items per repetition.`,
  );
  return {
    rows: [
      resultRow("batch accept", "new", "items/s", herald.created, { name: rawName, samples: raw.created }, { kind: "ratio", op: ">=", value: 0.3 }),
      resultRow("batch accept", "new", "items/s", herald.created, { name: seedName, samples: seed.created }, { kind: "ratio", op: ">=", value: 100 }),
      resultRow("batch accept", "replayed", "items/s", herald.replayed, { name: rawName, samples: raw.replayed }, { kind: "ratio", op: ">=", value: 0.3 }),
      resultRow("batch accept", "replayed", "items/s", herald.replayed, { name: seedName, samples: seed.replayed }, { kind: "ratio", op: ">=", value: 100 }),
      resultRow("batch accept", "new, one user per batch (no fan-out)", "items/s", herald.solo, { name: rawName, samples: raw.created }, { kind: "report" }),
      resultRow("batch accept", "new, preferences for every user", "items/s", herald.withPreferences, { name: "without preferences", samples: herald.created }, { kind: "ratio", op: ">=", value: 0.9 }),
    ],
    notes,
  };
}
