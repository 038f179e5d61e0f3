/**
 * The dead-letter queue consumer never drops a letter (issue 13 §3): large letters are stored in
 * chunks under D1's statement limits, and a batch D1 refuses goes back to the queue and is stored
 * on a later delivery — each letter once, however many deliveries it took.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import worker from "../../../src/index";
import { failingWrites, instrumentD1 } from "../../d1-proxy";
import { bindingsWith } from "../../security-helpers";

const bindings = env as unknown as Bindings;

/** `count` dead messages of the messages queue, each ~`kb` KB, with fixed queue message ids (a redelivery keeps them). */
function deadMessages(marker: string, count: number, kb: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `m_${marker}_${i}`,
    timestamp: new Date(Date.now() - 60_000),
    attempts: 11,
    body: { kind: "attempt", ids: [`mdl_${marker}_${i}`], filler: "x".repeat(kb * 1024) },
  }));
}

/** Delivers `messages` to the dlq consumer as the runtime would, on their `attempts`-th delivery. */
async function deliver(messages: ReturnType<typeof deadMessages>, over: Bindings, attempts: number) {
  const batch = createMessageBatch("herald-dlq", messages.map((m) => ({ ...m, attempts })));
  await worker.queue(batch, over);
  return getQueueResult(batch, createExecutionContext());
}

const stored = async (marker: string) =>
  (
    await env.DB.prepare(`SELECT source_id, source, queue, attempts, last_error, length(payload) AS bytes FROM dead_letters WHERE source_id LIKE ?1 ORDER BY source_id`)
      .bind(`m_${marker}_%`)
      .all<{ source_id: string; source: string; queue: string; attempts: number; last_error: string; bytes: number }>()
  ).results;

describe("dead-letter queue consumer", () => {
  it("stores 100 letters of ~100 KB each, one batch", async () => {
    const marker = crypto.randomUUID().slice(0, 8);
    const messages = deadMessages(marker, 100, 100);
    const result = await deliver(messages, bindings, 1);
    expect(result.ackAll).toBe(true);
    expect(result.retryBatch.retry).toBe(false);
    const rows = await stored(marker);
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.source_id)).size).toBe(100);
    for (const row of rows) {
      expect(row).toMatchObject({ source: "message", queue: "herald-messages", attempts: 1, last_error: "retries exhausted" });
      expect(row.bytes).toBeGreaterThan(100 * 1024);
    }
  });

  it("gives the batch back while D1 fails, and stores every letter once when it recovers", async () => {
    const marker = crypto.randomUUID().slice(0, 8);
    const messages = deadMessages(marker, 40, 30);
    // D1 refuses the first five inserts: some chunks of the first delivery fail, the others land.
    const { hooks, state } = failingWrites(/INSERT INTO dead_letters/, 5);
    const faulty = bindingsWith({ DB: instrumentD1(env.DB, hooks) });

    const first = await deliver(messages, faulty, 1);
    expect(state.failed).toBe(5);
    expect(first.retryBatch.retry).toBe(true);
    const partial = (await stored(marker)).length;
    expect(partial).toBeLessThan(40);

    const second = await deliver(messages, faulty, 2);
    expect(second.ackAll).toBe(true);
    const rows = await stored(marker);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.source_id)).size).toBe(40);
  });

  it("keeps retrying while D1 is down for several deliveries", async () => {
    const marker = crypto.randomUUID().slice(0, 8);
    const messages = deadMessages(marker, 10, 1);
    const { hooks } = failingWrites(/INSERT INTO dead_letters/, 3);
    const faulty = bindingsWith({ DB: instrumentD1(env.DB, hooks) });
    for (const attempts of [1, 2, 3]) expect((await deliver(messages, faulty, attempts)).retryBatch.retry).toBe(true);
    expect(await stored(marker)).toEqual([]);
    expect((await deliver(messages, faulty, 4)).ackAll).toBe(true);
    expect(await stored(marker)).toHaveLength(10);
  });
});
