/**
 * The retention cron's loop (src/retention/run.ts): chunks round-robin until every rule is done,
 * stops at its time budget leaving a named backlog, and one failing rule never stops the others.
 * The rules here are in-memory tables, so the loop is judged on its own.
 */
import { describe, expect, it } from "vitest";
import { runRetention, type RetentionRule } from "../../src/retention/run";

/** A rule over an in-memory table of row ages (ms since the epoch); records each call's cutoff. */
function table(name: string, times: number[], calls: string[]): RetentionRule & { rows: number[] } {
  const rule = {
    name,
    rows: [...times],
    before: (now: number) => now - 1000,
    async purge(_db: D1Database, before: number, limit: number) {
      calls.push(name);
      const old = rule.rows.filter((t) => t < before).slice(0, limit);
      rule.rows = rule.rows.filter((t) => !old.includes(t));
      return old.length;
    },
  };
  return rule;
}

const db = {} as D1Database;

describe("retention loop", () => {
  it("purges every rule's old rows in chunks, round-robin, and leaves young rows", async () => {
    const calls: string[] = [];
    const now = 1_000_000;
    const big = table("big", [...Array.from({ length: 25 }, (_, i) => i), now, now - 10], calls);
    const small = table("small", [1, 2, now - 500], calls);
    const report = await runRetention(db, [big, small], now, { chunk: 10 });
    expect(report).toEqual({ deleted: { big: 25, small: 2 }, backlog: [], errors: {} });
    expect(big.rows).toEqual([now, now - 10]);
    expect(small.rows).toEqual([now - 500]);
    // `small` finished in the first round; `big` went on alone until a chunk came back short.
    expect(calls).toEqual(["big", "small", "big", "big"]);
  });

  it("stops at its budget and names the rules still behind", async () => {
    let clock = 0;
    const calls: string[] = [];
    const rule = table("huge", Array.from({ length: 100 }, (_, i) => i), calls);
    const slow: RetentionRule = { ...rule, purge: async (...args) => ((clock += 400), rule.purge(...args)) };
    const report = await runRetention(db, [slow], 10_000, { chunk: 10, budgetMs: 1000, clock: () => clock });
    expect(report.deleted.huge).toBe(30);
    expect(report.backlog).toEqual(["huge"]);
    expect(rule.rows.length).toBe(70);
  });

  it("runs the other rules when one throws, and reports the error", async () => {
    const calls: string[] = [];
    const ok = table("ok", [1, 2, 3], calls);
    const broken: RetentionRule = { name: "broken", before: (now) => now, purge: () => Promise.reject(new Error("D1 is down")) };
    const report = await runRetention(db, [broken, ok], 10_000, { chunk: 10 });
    expect(report.deleted).toEqual({ broken: 0, ok: 3 });
    expect(report.errors).toEqual({ broken: "Error: D1 is down" });
    expect(report.backlog).toEqual([]);
  });
});
