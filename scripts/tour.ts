/**
 * README.md's "A tour of the API", run step by step against a Herald that is already running
 * (`npm run demo -- --tour`, after `npm start`): each request and its answer are printed, and
 * where the result is produced in the background (a queue consumer), the step polls until it
 * shows up, then says how long it took. A result that does not arrive within the wait fails the
 * tour with the request, what was expected and the last answer.
 *
 * The steps use the README's ids (`dev-user`, `post-1`, `u-42`…), so a second run on the same
 * server replays instead of creating: idempotency keys answer the first result, the like stays
 * one row, and an unchanged user emits no sync event (the step then shows the earlier one).
 *
 * Runs unbundled under Node ≥ 22 type stripping.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseVars } from "./dev-env.mjs";
import { until } from "./local-server.ts";

/** How long one background result may take to show up, ms (queue batches wait up to 1 s each, and a step may cross two queues). */
const WAIT_MS = 20_000;
/** Poll interval, ms: the README's loops poll at the same pace. */
const POLL_MS = 200;
/** Characters of a response body printed per step. */
const PRINT_CHARS = 240;

export interface TourOptions {
  /** Herald's origin, e.g. `http://localhost:8787`. */
  base: string;
  /** A server API key (`API_KEYS`). */
  apiKey: string;
  /** Ceiling per background wait, ms. Default {@link WAIT_MS}. */
  waitMs?: number;
  /** Where the transcript goes. Default console.log. */
  print?: (line: string) => void;
}

/** What the tour saw, for callers that check it (test/e2e/tour.test.ts). */
export interface TourResult {
  notificationId: string;
  likeSummary: Record<string, number>;
  inboxTitles: string[];
  smsBody: string;
  deadLetter: { id: string; subject: unknown; lastError: string | null };
  syncDelivery: { status: string; attempts: number; lastError: string | null };
  stats: Record<string, unknown>;
  metricsLines: number;
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

class TourError extends Error {}

/**
 * Runs the tour. Steps that read background results poll every {@link POLL_MS} ms.
 * @throws Error naming the step, the request and the last answer when a status is not the one
 *         expected or a background result does not arrive within `waitMs`.
 */
export async function runTour(options: TourOptions): Promise<TourResult> {
  const { base, apiKey, waitMs = WAIT_MS, print = console.log } = options;

  async function call<T = Record<string, unknown>>(method: string, path: string, init: { body?: unknown; auth?: string; headers?: Record<string, string>; quiet?: boolean } = {}): Promise<Answer<T>> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${init.auth ?? apiKey}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!init.quiet) {
      print(`  $ ${method} ${path}${init.body === undefined ? "" : ` ${JSON.stringify(init.body)}`}`);
      print(`    → ${res.status} ${abbreviate(text)}`);
    }
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, headers: res.headers, body: (type.includes("json") && text ? JSON.parse(text) : text) as T };
  }

  async function expect<T = Record<string, unknown>>(status: number, method: string, path: string, init: { body?: unknown; auth?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const answer = await call<T>(method, path, init);
    if (answer.status !== status) throw new TourError(`${method} ${path} answered ${answer.status}, expected ${status}: ${abbreviate(JSON.stringify(answer.body))}`);
    return answer;
  }

  /** GETs `path` until `accept` returns a value; prints the wait and that value (the part of the answer the step looked for). */
  async function poll<T, R>(what: string, path: string, accept: (body: T) => R | undefined | false, auth?: string): Promise<R> {
    print(`  … ${what}: polling GET ${path} every ${POLL_MS} ms`);
    const started = Date.now();
    let last = "";
    try {
      const found = await until(
        what,
        async () => {
          const answer = await call<T>("GET", path, { auth, quiet: true });
          last = `${answer.status} ${JSON.stringify(answer.body)}`;
          return answer.status === 200 ? accept(answer.body) : undefined;
        },
        waitMs,
        POLL_MS,
      );
      print(`    → after ${Date.now() - started} ms: ${abbreviate(JSON.stringify(found))}`);
      return found as R;
    } catch {
      throw new TourError(`${what}: GET ${path} did not show it within ${waitMs} ms; last answer ${abbreviate(last)}`);
    }
  }

  const section = (title: string) => print(`\n# ${title}`);

  section("A notification; the same Idempotency-Key and body replays the first answer.");
  const order = { userId: "dev-user", title: "Order shipped", body: "Your order is on its way", channels: ["in_app"] };
  const first = await call<{ id: string }>("POST", "/v1/notifications", { body: order, headers: { "idempotency-key": "order-1-shipped" } });
  if (first.status !== 202 && first.status !== 200) throw new TourError(`POST /v1/notifications answered ${first.status}`);
  const again = await expect<{ id: string }>(first.status, "POST", "/v1/notifications", { body: order, headers: { "idempotency-key": "order-1-shipped" } });
  if (again.body.id !== first.body.id || again.headers.get("idempotent-replayed") !== "true") throw new TourError(`the replay answered ${again.body.id} (replayed: ${again.headers.get("idempotent-replayed")}), expected ${first.body.id} replayed`);
  print(`    replayed: the same id ${again.body.id}, Idempotent-Replayed: true`);

  section("Up to 1,000 at once, each with its own key and result.");
  const batch = await expect<{ results: { status: string }[] }>(200, "POST", "/v1/notifications/batch", {
    body: { items: [{ idempotencyKey: "a-1", userId: "dev-user", title: "One" }, { idempotencyKey: "a-2", userId: "dev-user", title: "Two" }] },
  });
  if (batch.body.results.some((r) => r.status !== "created" && r.status !== "duplicate")) throw new TourError(`batch results ${JSON.stringify(batch.body.results)}`);

  section("A like: one row however often it is sent; the owner is notified once. Applied in the background by the behaviours queue consumer.");
  await expect(202, "POST", "/v1/behaviours", { body: { userId: "alice", targetId: "post-1", type: "like", targetOwnerId: "dev-user" } });
  const likeSummary = await poll<Record<string, number>, Record<string, number>>("the like counted (behaviours queue)", "/v1/targets/post-1/behaviours/summary", (s) => s.like === 1 && s);

  section("The user's inbox (the REST twin of the WebSocket), read with a user token. The like's owner notification arrives in the background.");
  const { body: minted } = await expect<{ token: string }>(201, "POST", "/v1/users/dev-user/tokens", { body: {} });
  const token = minted.token;
  const inbox = await poll<{ items: { title: string | null }[] }, string[]>(
    "the owner notification \"New like\" in dev-user's inbox (behaviours → dispatch queue)",
    "/v1/me/notifications?unread=true",
    (page) => page.items.some((i) => i.title === "New like") && page.items.some((i) => i.title === order.title) && page.items.map((i) => i.title ?? ""),
    token,
  );

  section("Topic messages: the seed listener turns wallet.recharged into an in-app + SMS notification, in the background (messages → channels queue).");
  await call("PUT", "/v1/users/dev-user", { body: { phone: "+14155550123" } });
  const { body: published } = await expect<{ messageId: string }>(202, "POST", "/v1/topics/wallet.recharged/messages", { body: { payload: { userId: "dev-user", amount: 50, currency: "EUR", balance: 80 } } });
  const notificationId = await poll<{ status: string; deliveries: { notificationId: string | null }[] }, string>(
    "the message completed",
    `/v1/messages/${published.messageId}`,
    (m) => m.status === "completed" && (m.deliveries[0]?.notificationId ?? false),
  );
  const sms = await poll<{ items: { notificationId: string; body: string }[] }, { body: string }>(
    "its SMS in the outbox",
    "/v1/outbox?channel=sms",
    (page) => page.items.find((m) => m.notificationId === notificationId),
  );

  section("What cannot succeed becomes a dead letter at once: wallet.recharged without `balance` (the template needs it).");
  const { body: broken } = await expect<{ messageId: string }>(202, "POST", "/v1/topics/wallet.recharged/messages", { body: { payload: { userId: "dev-user", amount: 5, currency: "EUR" } } });
  const letter = await poll<{ items: { id: string; sourceId: string | null; lastError: string | null; subject?: unknown }[] }, TourResult["deadLetter"]>(
    "its dead letter (messages queue)",
    "/v1/dead-letters?source=message",
    (page) => {
      const found = page.items.find((l) => l.sourceId?.startsWith(`mdl_${broken.messageId}_`));
      return found && { id: found.id, subject: found.subject ?? null, lastError: found.lastError };
    },
  );
  print(`    fix the cause (send \`balance\`, or change the template), then POST /v1/dead-letters/${letter.id}/redrive`);

  section("User sync: register a webhook target (its whsec_ secret is shown once), change a user. Delivered in the background (sync queue), retried with backoff.");
  const { body: target } = await expect<{ id: string }>(201, "POST", "/v1/sync/targets", { body: { name: "crm", url: "https://crm.example.com/hooks/herald" } });
  const user = await call<{ version: number }>("PUT", "/v1/users/u-42", { body: { email: "ada@example.com", name: "Ada" } });
  if (user.status !== 200 && user.status !== 201) throw new TourError(`PUT /v1/users/u-42 answered ${user.status}`);
  // An unchanged user (a second run of the tour) emits no event, so there is nothing new for this target.
  const changed = user.status === 201;
  if (!changed) print("    u-42 is unchanged since an earlier run: no new user event; showing the delivery of the first one");
  const syncDelivery = await poll<{ items: { userId: string; status: string; attempts: number; lastError: string | null }[] }, TourResult["syncDelivery"]>(
    "u-42's user.created delivery attempted",
    changed ? `/v1/sync/deliveries?targetId=${target.id}` : "/v1/sync/deliveries?limit=100",
    (page) => {
      const d = page.items.find((i) => i.userId === "u-42" && i.attempts >= 1);
      return d && { status: d.status, attempts: d.attempts, lastError: d.lastError };
    },
  );
  if (syncDelivery.status === "pending") print(`    crm.example.com did not take it (${syncDelivery.lastError}): it stays pending and is retried with backoff; after SYNC_MAX_ATTEMPTS it becomes a dead letter`);

  section("What is stuck, and the figures.");
  await expect(200, "GET", "/v1/dead-letters");
  const { body: stats } = await expect<Record<string, unknown>>(200, "GET", "/v1/stats");
  const metrics = await expect<string>(200, "GET", "/metrics");
  const metricsLines = metrics.body.split("\n").filter((l) => l && !l.startsWith("#")).length;
  print(`    /metrics: ${metricsLines} samples`);

  return { notificationId: first.body.id, likeSummary, inboxTitles: inbox, smsBody: sms.body, deadLetter: letter, syncDelivery, stats, metricsLines };
}

/** One line of at most {@link PRINT_CHARS} characters. */
function abbreviate(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > PRINT_CHARS ? `${line.slice(0, PRINT_CHARS)}…` : line;
}

/**
 * `npm run demo -- --tour [--base=http://localhost:8787] [--wait-ms=20000]`: the tour against
 * the Herald that `npm start` runs. The origin comes from `--base`, else `HERALD_URL`, else `PORT`
 * (as scripts/start.mjs reads it) on localhost; the API key from `HERALD_API_KEY`, else the first
 * of `API_KEYS` in `.dev.vars`; `--wait-ms` is the ceiling per background wait (a slow machine may
 * need more than {@link WAIT_MS}).
 * @returns the process exit code: 0 when every step passed, 1 otherwise (the reason on stderr).
 */
export async function tourCommand(argv: readonly string[]): Promise<number> {
  const base = (argv.find((a) => a.startsWith("--base="))?.slice("--base=".length) ?? process.env.HERALD_URL ?? `http://localhost:${process.env.PORT ?? 8787}`).replace(/\/$/, "");
  const waitArg = argv.find((a) => a.startsWith("--wait-ms="))?.slice("--wait-ms=".length);
  const waitMs = waitArg === undefined ? WAIT_MS : Number(waitArg);
  if (!Number.isInteger(waitMs) || waitMs < 1) {
    console.error(`✗ --wait-ms must be a whole number of milliseconds, at least 1 (got ${waitArg})`);
    return 1;
  }
  let apiKey = process.env.HERALD_API_KEY;
  if (!apiKey) {
    try {
      apiKey = parseVars(readFileSync(resolve(".dev.vars"), "utf8")).API_KEYS?.split(",")[0]?.trim();
    } catch {
      // Reported below.
    }
  }
  if (!apiKey) {
    console.error("✗ no API key: run `npm start` first (it writes .dev.vars), or set HERALD_API_KEY");
    return 1;
  }
  try {
    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
    if (!health.ok) throw new Error(`/health answered ${health.status}`);
  } catch (error) {
    console.error(`✗ no Herald answers at ${base} (${error instanceof Error ? error.message : String(error)}): start one with \`npm start\`, or pass --base=`);
    return 1;
  }
  console.log(`The README tour against ${base}`);
  try {
    await runTour({ base, apiKey, waitMs });
  } catch (error) {
    console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.log("\nEvery step of the tour passed.");
  return 0;
}
