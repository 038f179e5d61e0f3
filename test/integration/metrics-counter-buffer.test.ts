/**
 * The isolate's counter buffer (src/db/counters.ts, docs/cost.md#counters): counts wait in memory
 * and reach D1 as one upsert per counter per flush, so a busy isolate writes each counter about
 * once a second whatever its throughput (an invocation that counts starts one if the last is a
 * second old); a scrape flushes first, so it is exact; a flush that fails keeps its counts for the
 * next one.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounts, COUNTER_FLUSH_MS, flushCounters, flushCountersSoon } from "../../src/db/counter-buffer";
import { costLedger, resetCostLedger, traced } from "../../src/lib/cost-trace";
import { traceCosts } from "../cost-helpers";
import { instrumentD1 } from "../d1-proxy";
import { api, freshId } from "../helpers";

beforeAll(() => traceCosts(true));
afterAll(() => traceCosts(false));

const stored = async (name: string) => (await env.DB.prepare(`SELECT value FROM counters WHERE name = ?1`).bind(name).first<number>("value")) ?? 0;

describe("counter buffer", () => {
  it("writes a thousand increments of two counters as one statement of two upserts", async () => {
    const [a, b] = [freshId("test.a"), freshId("test.b")];
    await flushCounters(env.DB);
    for (let i = 0; i < 500; i++) addCounts([[a, 1], [b, 2]]);
    addCounts([[a, 500]]);
    expect(await stored(a)).toBe(0);

    resetCostLedger();
    await flushCounters(traced(env).DB);
    const ledger = costLedger();
    expect(await stored(a)).toBe(1000);
    expect(await stored(b)).toBe(1000);
    // One round trip; each counter is one table row plus its primary-key index row.
    expect(ledger.d1).toMatchObject({ roundTrips: 1, statements: 1, rowsWritten: 4 });
  });

  it("starts a flush at the end of an invocation only once the last one is a second old", async () => {
    const name = freshId("test.timed");
    await flushCounters(env.DB);
    addCounts([[name, 3]]);
    const early: Promise<unknown>[] = [];
    flushCountersSoon(env.DB, (flush) => early.push(flush));
    expect(early).toEqual([]);
    await new Promise((r) => setTimeout(r, COUNTER_FLUSH_MS + 100));
    expect(await stored(name)).toBe(0);
    addCounts([[name, 1]]);
    const started: Promise<unknown>[] = [];
    flushCountersSoon(env.DB, (flush) => started.push(flush));
    expect(started).toHaveLength(1);
    await Promise.all(started);
    expect(await stored(name)).toBe(4);
  });

  it("shows buffered counts to a scrape and to /v1/stats at once", async () => {
    const stats = async () => ((await (await api("/v1/stats")).json()) as { batch: { items: number } }).batch.items;
    const scraped = async () => Number(/^herald_batch_items_total\{status="created"\} (\d+)$/m.exec(await (await api("/metrics")).text())?.[1]);
    const [items, created] = [await stats(), await scraped()];
    addCounts([["batch.items", 7], ["batch.created", 5]]);
    expect(await stats()).toBe(items + 7);
    addCounts([["batch.created", 1]]);
    expect(await scraped()).toBe(created + 6);
  });

  it("keeps the counts of a failed flush for the next one", async () => {
    const name = freshId("test.retry");
    // Right after a flush, so the count below starts none of its own.
    await flushCounters(env.DB);
    addCounts([[name, 4]]);
    const failing = instrumentD1(env.DB, {
      before: () => {
        throw new Error("D1_ERROR: injected");
      },
    });
    await expect(flushCounters(failing)).rejects.toThrow("injected");
    expect(await stored(name)).toBe(0);
    addCounts([[name, 1]]);
    await flushCounters(env.DB);
    expect(await stored(name)).toBe(5);
  });
});
