/**
 * `npm run demo`: starts Herald locally from an empty state and proves three guarantees over real
 * HTTP and a real WebSocket (HeraldClient), printing a short transcript. Exits 1 on the first
 * wrong step, and always stops the `wrangler dev` it started.
 *
 *  1. a like sent 3× concurrently and once more later → one behaviour row, one owner notification
 *     (docs/api.md#behaviours; seed problem: duplicate user_behaviours rows);
 *  2. five notifications to an offline user arrive in order on connect, are acked, and show
 *     in_app `delivered` (docs/protocol.md; seed problem: offline messages lost, wrong receipt status);
 *  3. after a disconnect, the client resumes with `since` and gets exactly the two it missed;
 *  4. a workflow with a digest and an "email if unread" fallback (docs/api.md#workflows): three
 *     comments become one in-app digest per user; the user who reads it gets no email, the one
 *     who stays offline gets exactly one.
 *
 * Runs unbundled under Node ≥ 22 type stripping, hence the `.ts` import of the client.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeraldClient, type ServerFrame } from "../src/client/index.ts";
import { startLocalServer, tail, until as untilWithin, type LocalServer } from "./local-server.ts";

type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;

/** Whole-run ceiling: a hung step must not leave the demo (or wrangler) running. */
const RUN_DEADLINE_MS = 240_000;
/** Per-wait ceiling for queue-driven state (consumers poll with a 1 s batch timeout). */
const WAIT_MS = 20_000;

const workDir = mkdtempSync(join(tmpdir(), "herald-demo-"));
let server: LocalServer | null = null;

/** Stops wrangler and its workerd processes (SIGKILL: the state is thrown away) and removes the temp state. */
function cleanup(): void {
  server?.kill();
  server = null;
  rmSync(workDir, { recursive: true, force: true });
}

/** The end of wrangler's log once a server started (a failed start puts it in its error already). */
function serverLogTail(): string {
  return server ? tail(server.logPath, 30) : "";
}

function fail(message: string): never {
  throw new Error(message);
}

const step = (text: string) => console.log(`\n${text}`);
const ok = (text: string) => console.log(`  ✓ ${text}`);

/** Polls `probe` every 100 ms until it returns a truthy value; fails with `what` after `timeoutMs`. */
const until = <T>(what: string, probe: () => T | Promise<T>, timeoutMs = WAIT_MS) => untilWithin(what, probe, timeoutMs);

/** A JSON call to Herald; fails with the request and response when the status is not `expected`. */
async function call<T = unknown>(base: string, auth: string, method: string, path: string, expected: number, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== expected) fail(`${method} ${path} ${body === undefined ? "" : JSON.stringify(body)} → ${res.status} (expected ${expected}): ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const uniqueId = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;

async function main(): Promise<void> {
  console.log("Herald demo: starting wrangler dev with an empty local database…");
  server = await startLocalServer({ workDir });
  const { base, apiKey } = server;
  console.log(`Herald is up at ${base}`);
  const admin = <T = unknown>(method: string, path: string, expected: number, body?: unknown) => call<T>(base, apiKey, method, path, expected, body);

  // 1. Behaviours: duplicates collapse to one row and one notification.
  step("1. A like sent 3 times at once, then once more");
  const actor = uniqueId("actor");
  const owner = uniqueId("owner");
  const targetId = uniqueId("post");
  const like = { userId: actor, targetId, type: "like", targetOwnerId: owner };
  await Promise.all([1, 2, 3].map(() => admin("POST", "/v1/behaviours", 202, like)));
  ok("3 concurrent POST /v1/behaviours → 202");
  const active = () => admin<{ items: unknown[] }>("GET", `/v1/users/${actor}/behaviours`, 200);
  const ownerInbox = () => admin<{ items: { title: string | null }[] }>("GET", `/v1/users/${owner}/notifications`, 200);
  await until("the like to be applied and its owner notified", async () => (await active()).items.length > 0 && (await ownerInbox()).items.length > 0);
  await admin("POST", "/v1/behaviours", 202, like);
  ok("a 4th POST /v1/behaviours → 202");
  // Let the consumer apply the 4th event (batches wait up to 1 s) before counting.
  await new Promise((r) => setTimeout(r, 3000));
  const rows = (await active()).items;
  if (rows.length !== 1) fail(`expected 1 active behaviour for ${actor}, got ${rows.length}: ${JSON.stringify(rows)}`);
  const summary = await admin<Record<string, number>>("GET", `/v1/targets/${targetId}/behaviours/summary`, 200);
  if (summary.like !== 1) fail(`expected summary like=1 for ${targetId}, got ${JSON.stringify(summary)}`);
  ok(`GET /v1/users/${actor}/behaviours → 1 row; summary like=${summary.like}`);
  const notified = (await ownerInbox()).items;
  if (notified.length !== 1) fail(`expected 1 notification for ${owner}, got ${notified.length}: ${JSON.stringify(notified)}`);
  ok(`GET /v1/users/${owner}/notifications → 1 notification ("${notified[0]!.title}")`);

  // 2. Offline inbox: five sent while offline, replayed in order, delivered only once acked.
  step("2. Five notifications to an offline user, then the user connects");
  const userId = uniqueId("user");
  const { token } = await admin<{ token: string }>("POST", `/v1/users/${userId}/tokens`, 201, {});
  const offline: string[] = [];
  for (let i = 1; i <= 5; i++) offline.push((await admin<{ id: string }>("POST", "/v1/notifications", 202, { userId, title: `Offline #${i}`, body: "sent while you were away" })).id);
  ok(`5 × POST /v1/notifications → 202 (${offline.length} ids)`);
  await until("the 5 notifications to reach the user's inbox", async () => (await call<{ items: unknown[] }>(base, token, "GET", "/v1/me/notifications", 200)).items.length === 5);

  const client = new HeraldClient({ baseUrl: base, token });
  const received: NotificationFrame[] = [];
  client.on("notification", (frame) => received.push(frame));
  client.on("error", (frame) => console.log(`  ! server error frame: ${frame.code}: ${frame.detail}`));
  client.connect();
  await until("5 notification frames", () => received.length >= 5);
  const inOrder = received.every((f, i) => f.notification.id === offline[i] && (i === 0 || f.seq > received[i - 1]!.seq));
  if (received.length !== 5 || !inOrder) fail(`expected the 5 in send order, got ${JSON.stringify(received.map((f) => [f.seq, f.notification.id]))}`);
  ok(`WebSocket received seq ${received.map((f) => f.seq).join(", ")} in send order: ${received.map((f) => f.notification.title).join(", ")}`);
  await assertDelivered(base, apiKey, offline);
  ok("acked → GET /v1/notifications/{id} shows in_app delivered for all 5");

  // 3. Resume: disconnect, miss two, reconnect with since.
  step("3. The client disconnects, two more are sent, the client resumes");
  client.close();
  const since = client.lastSeq;
  ok(`disconnected at lastSeq=${since}`);
  const missed: string[] = [];
  for (let i = 1; i <= 2; i++) missed.push((await admin<{ id: string }>("POST", "/v1/notifications", 202, { userId, title: `Missed #${i}`, body: "sent while disconnected" })).id);
  await until("the 2 new notifications to reach the inbox", async () => (await call<{ items: unknown[] }>(base, token, "GET", "/v1/me/notifications", 200)).items.length === 7);
  ok("2 × POST /v1/notifications → 202");
  client.connect();
  await until("2 more notification frames", () => received.length >= 7);
  // Anything extra would arrive right behind the replay; give it a moment to show up.
  await new Promise((r) => setTimeout(r, 1000));
  const resumed = received.slice(5);
  if (resumed.length !== 2 || resumed.some((f, i) => f.notification.id !== missed[i] || f.seq <= since)) {
    fail(`expected exactly the 2 missed after since=${since}, got ${JSON.stringify(resumed.map((f) => [f.seq, f.notification.id]))}`);
  }
  ok(`reconnected with since=${since} → exactly seq ${resumed.map((f) => f.seq).join(", ")} (${resumed.map((f) => f.notification.title).join(", ")}), no duplicates`);
  await assertDelivered(base, apiKey, missed);
  ok("acked → both in_app delivered");
  client.close();

  await workflowStep(base, apiKey);

  console.log("\nAll steps passed.");
}

/**
 * Step 4: a workflow — digest (3 s window, by post) → in-app → delay 3 s → email if unread — is
 * triggered by three comments for two users at once. Ada is connected and reads the digest; Bob
 * stays offline. Each gets one in-app digest of 3 events; only Bob gets the email.
 */
async function workflowStep(base: string, apiKey: string): Promise<void> {
  step("4. A digest workflow with an email if unread, for a reader and an offline user");
  const admin = <T = unknown>(method: string, path: string, expected: number, body?: unknown) => call<T>(base, apiKey, method, path, expected, body);
  const suffix = randomBytes(4).toString("hex");
  const inApp = `demo_digest_${suffix}`;
  const email = `demo_digest_email_${suffix}`;
  await admin("PUT", `/v1/templates/${inApp}`, 201, { channel: "in_app", subject: "{{count}} new comments", body: "On {{postId}}:{{#events}} {{who}}{{/events}}" });
  await admin("PUT", `/v1/templates/${email}`, 201, { channel: "email", subject: "You missed {{count}} comments", body: "<p>On {{postId}}:{{#events}} {{who}}{{/events}}</p>" });
  const key = `demo-comments-${suffix}`;
  await admin("PUT", `/v1/workflows/${key}`, 201, {
    name: "Comment digest",
    steps: [
      { type: "digest", windowSeconds: 3, key: "{{postId}}" },
      { type: "in_app", template: inApp },
      { type: "delay", seconds: 3 },
      { type: "email", template: email, if: "unread" },
    ],
  });
  ok(`PUT /v1/workflows/${key} → 201 (digest → in_app → delay → email if unread)`);

  const ada = uniqueId("ada");
  const bob = uniqueId("bob");
  const bobEmail = `${bob}@example.com`;
  await admin("PUT", `/v1/users/${bob}`, 201, { email: bobEmail });
  const { token } = await admin<{ token: string }>("POST", `/v1/users/${ada}/tokens`, 201, {});
  const client = new HeraldClient({ baseUrl: base, token });
  const frames: NotificationFrame[] = [];
  client.on("notification", (frame) => {
    frames.push(frame);
    client.markRead([frame.notification.id]);
  });
  client.connect();

  await Promise.all(["Grace", "Linus", "Barbara"].map((who) => admin("POST", `/v1/workflows/${key}/trigger`, 202, { to: [ada, bob], data: { postId: "post-1", who } })));
  ok("3 concurrent POST /v1/workflows/{key}/trigger (to Ada and Bob) → 202");
  await until("Ada's digest frame", () => frames.length >= 1);
  ok(`Ada's WebSocket received one digest: "${frames[0]!.notification.title}" — ${frames[0]!.notification.body}; she reads it`);

  type Run = { status: string; data: { count?: number }; steps: { type: string; status: string; reason: string | null }[] };
  const finished = async (userId: string) =>
    until(`${userId}'s run to complete`, async () => {
      const { items } = await admin<{ items: Run[] }>("GET", `/v1/users/${userId}/workflow-runs`, 200);
      return items.length === 1 && items[0]!.status === "completed" ? items[0]! : undefined;
    });
  const timeline = (run: Run) => run.steps.map((s) => `${s.type} ${s.status}${s.reason ? ` (${s.reason})` : ""}`).join(" → ");
  const adaRun = await finished(ada);
  if (adaRun.data.count !== 3 || adaRun.steps[3]!.status !== "skipped") fail(`Ada: expected a digest of 3 and no email, got ${JSON.stringify(adaRun)}`);
  ok(`Ada: one run, count=${adaRun.data.count}: ${timeline(adaRun)}`);
  const bobRun = await finished(bob);
  if (bobRun.data.count !== 3 || bobRun.steps[3]!.status !== "completed") fail(`Bob: expected a digest of 3 and an email, got ${JSON.stringify(bobRun)}`);
  ok(`Bob: one run, count=${bobRun.data.count}: ${timeline(bobRun)}`);
  const outbox = async () => (await admin<{ items: { recipient: string; subject: string | null }[] }>("GET", "/v1/outbox?channel=email&limit=200", 200)).items.filter((i) => i.recipient === bobEmail);
  const mails = await until("Bob's email in the outbox", async () => ((await outbox()).length > 0 ? outbox() : undefined));
  if (mails.length !== 1) fail(`expected exactly one email to Bob, got ${mails.length}`);
  ok(`GET /v1/outbox → exactly one email to Bob: "${mails[0]!.subject}"; none to Ada; ${frames.length} in-app frame for Ada`);
  client.close();
}

/** Waits until every id shows in_app `delivered` in `GET /v1/notifications/{id}`. */
async function assertDelivered(base: string, apiKey: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await until(`${id} to show in_app delivered`, async () => {
      const view = await call<{ deliveries: { channel: string; status: string }[] }>(base, apiKey, "GET", `/v1/notifications/${id}`, 200);
      return view.deliveries.find((d) => d.channel === "in_app")?.status === "delivered";
    });
  }
}

for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(128 + number);
  });
}
const deadline = setTimeout(() => {
  console.error(`\n✗ demo did not finish within ${RUN_DEADLINE_MS / 1000} s`);
  cleanup();
  process.exit(1);
}, RUN_DEADLINE_MS);

try {
  await main();
  cleanup();
  clearTimeout(deadline);
  process.exit(0);
} catch (error) {
  console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  const log = serverLogTail();
  if (log) console.error(`\nLast lines of the wrangler dev log:\n${log}`);
  cleanup();
  process.exit(1);
}
