/**
 * The inbox's delivery guarantees under faults (issue 4, "the fault test"; docs/protocol.md):
 * 2,000 notifications to 20 users while their clients drop and reconnect at random, one dispatch
 * batch in ten fails once and is redelivered, and inbox objects are evicted mid-stream. At the
 * end every client holds exactly its notifications — none missing, none twice after seq dedupe,
 * in seq order — and every D1 in-app status is `delivered`. It prints the counts it checked
 * (`npx vitest run test/integration/inbox-faults.test.ts --silent=false`).
 *
 * The test is the dispatch queue: it runs each batch through the Worker's queue handler the way
 * the runtime does, so it can fail the chosen batches and redeliver them like the runtime would
 * (whole batch after a crash, `retry()`d messages otherwise). Faults are injected through the
 * bindings handed to the handler, never through production code. Receipts go through the real
 * receipts queue.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { harness, type Harness } from "../client-harness";
import { freshId, userToken, waitFor } from "../helpers";
import { inAppStatuses, runDispatchBatch, storeNotifications } from "../inbox-helpers";

const USERS = 20;
const PER_USER = 100;
const IDS_PER_MESSAGE = 5;
const MESSAGES_PER_BATCH = 4;
/** Batches run at once, as several consumer invocations would… */
const CONCURRENCY = 2;
/** …each waiting up to this long (ms) for its next batch, so the stream lasts a few seconds of chaos. */
const BATCH_GAP_MS = 80;

/** The three ways a chosen batch fails on its first delivery. */
type Fault = "consumer crash" | "inbox unavailable" | "inbox reply lost";
const FAULTS: Fault[] = ["consumer crash", "inbox unavailable", "inbox reply lost"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T,>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

/**
 * Bindings whose D1 refuses transactions (`consumer crash`: the invocation throws), or whose
 * inboxes fail every `deliver` — before storing (`inbox unavailable`) or after (`inbox reply
 * lost`: stored, but the consumer sees an error and retries).
 */
function faultyBindings(fault: Fault): unknown {
  const failing = new Error(`injected: ${fault}`);
  const db = new Proxy(env.DB, {
    get: (target, prop) => (prop === "batch" ? () => Promise.reject(failing) : Reflect.get(target, prop)),
  });
  const inboxes = {
    idFromName: (name: string) => env.USER_INBOX.idFromName(name),
    get: (id: DurableObjectId) => ({
      deliver: async (...args: Parameters<ReturnType<typeof inboxOf>["deliver"]>) => {
        if (fault === "inbox reply lost") await env.USER_INBOX.get(id).deliver(...args);
        throw failing;
      },
    }),
  };
  return new Proxy(env, {
    get: (target, prop) => (prop === "DB" && fault === "consumer crash" ? db : prop === "USER_INBOX" && fault !== "consumer crash" ? inboxes : Reflect.get(target, prop)),
  });
}

describe("delivery under faults", () => {
  it("delivers 2,000 notifications to 20 flapping clients exactly once, in seq order, and D1 ends all delivered", async () => {
    const started = Date.now();
    const userIds = Array.from({ length: USERS }, () => freshId());
    const clients = new Map<string, Harness>();
    for (const userId of userIds) {
      const h = harness(await userToken(userId), { backoff: { initialMs: 5, maxMs: 100 } });
      h.client.connect();
      clients.set(userId, h);
    }
    await waitFor(() => [...clients.values()].every((h) => h.client.state === "open"), { what: "all clients open" });

    const priorities = ["high", "normal", "low"] as const;
    const rows = await storeNotifications(userIds.flatMap((userId) => Array.from({ length: PER_USER }, () => ({ userId, priority: pick(priorities) }))));
    const sentTo = new Map(userIds.map((u) => [u, new Set(rows.filter((r) => r.userId === u).map((r) => r.id))]));

    // Shuffled ids packed into messages, messages into batches; every tenth batch fails once.
    const ids = rows.map((r) => r.id).sort(() => Math.random() - 0.5);
    const messages: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_MESSAGE) messages.push(ids.slice(i, i + IDS_PER_MESSAGE));
    const batches: string[][][] = [];
    for (let i = 0; i < messages.length; i += MESSAGES_PER_BATCH) batches.push(messages.slice(i, i + MESSAGES_PER_BATCH));
    const counts = { batches: batches.length, failedBatches: 0, redeliveredMessages: 0, drops: 0, restarts: 0, evictions: 0 };

    async function deliverBatch(batch: string[][], index: number): Promise<void> {
      let redeliver = batch;
      let attempts = 1;
      if (index % 10 === 3) {
        counts.failedBatches++;
        attempts = 2;
        try {
          const first = await runDispatchBatch(batch, { bindings: faultyBindings(FAULTS[counts.failedBatches % FAULTS.length]!) });
          redeliver = first.toRetry;
        } catch {
          // The invocation threw: the runtime redelivers the whole batch.
        }
        expect(redeliver.length).toBeGreaterThan(0);
        counts.redeliveredMessages += redeliver.length;
        await sleep(Math.random() * 100);
      }
      const result = await runDispatchBatch(redeliver, { attempts });
      expect(result.retryMessages).toEqual([]);
    }

    let dispatching = true;
    const chaos = (async () => {
      while (dispatching) {
        await sleep(2 + Math.random() * 10);
        const userId = pick(userIds);
        const h = clients.get(userId)!;
        const roll = Math.random();
        if (roll < 0.45) {
          // The network drops the socket; the client reconnects with backoff and resumes with `since`.
          try {
            h.sockets.at(-1)?.close(1001, "chaos: network drop");
            counts.drops++;
          } catch {
            // Already closed.
          }
        } else if (roll < 0.6) {
          // The app restarts its client: it keeps its seq and resumes after a pause.
          h.client.close();
          counts.restarts++;
          setTimeout(() => h.client.connect(), Math.random() * 200);
        } else {
          await evictDurableObject(inboxOf(env, userId)).then(
            () => counts.evictions++,
            () => undefined, // Not running at this moment: nothing to evict.
          );
        }
      }
    })();

    const queue = batches.map((batch, index) => ({ batch, index }));
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await deliverBatch(next.batch, next.index);
          await sleep(Math.random() * BATCH_GAP_MS);
        }
      }),
    );
    dispatching = false;
    await chaos;

    await waitFor(() => [...clients.values()].every((h) => h.received.length >= PER_USER), { what: "every client holds 100", timeoutMs: 30_000 });
    let rawFrames = 0;
    for (const [userId, h] of clients) {
      const got = h.received.map((f) => f.notification.id);
      const seqs = h.received.map((f) => f.seq);
      expect(got).toHaveLength(PER_USER);
      expect(new Set(got)).toEqual(sentTo.get(userId));
      expect(new Set(seqs).size).toBe(PER_USER);
      seqs.forEach((seq, i) => i > 0 && expect(seq).toBeGreaterThan(seqs[i - 1]!));
      rawFrames += h.rawNotifications;
    }

    let statuses = new Map<string, string>();
    await waitFor(async () => {
      statuses = await inAppStatuses(ids);
      return [...statuses.values()].filter((s) => s === "delivered").length === ids.length;
    }, { what: "every D1 in-app status delivered", timeoutMs: 30_000 });
    for (const h of clients.values()) h.client.close();

    const received = [...clients.values()].reduce((n, h) => n + h.received.length, 0);
    console.log(
      [
        "fault test:",
        `  users ${USERS}, notifications sent ${rows.length} (${PER_USER} each)`,
        `  dispatch batches ${counts.batches}, failed once and redelivered ${counts.failedBatches} (${counts.redeliveredMessages} messages)`,
        `  socket drops ${counts.drops}, client restarts ${counts.restarts}, inbox evictions ${counts.evictions}`,
        `  frames on the wire ${rawFrames}, duplicates dropped by seq dedupe ${rawFrames - received}`,
        `  received after dedupe ${received}: missing 0, twice 0, out of seq order 0 (checked per user)`,
        `  D1 in-app delivered ${[...statuses.values()].filter((s) => s === "delivered").length}/${ids.length}`,
        `  ${Date.now() - started} ms`,
      ].join("\n"),
    );
  }, 90_000);
});
