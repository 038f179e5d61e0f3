/**
 * Sizes (docs/data-model.md#sizes): the cron counts every table's rows at most every 10 minutes
 * into `table_sizes`; `/health` says `degraded` — still 200 — above 80% of D1's size limit.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { readTableSizes, refreshTableSizes, RECOUNT_EVERY_MS, TABLE_NAMES } from "../../../src/db/table-sizes";
import { BASE } from "../../helpers";

describe("table sizes", () => {
  it("counts every table of the schema, and recounts only after 10 minutes", async () => {
    expect(TABLE_NAMES).toEqual(expect.arrayContaining(["notifications", "deliveries", "idempotency_records", "dead_letters", "messages", "outbox", "table_sizes"]));
    const now = Date.now();
    await env.DB.prepare(`INSERT INTO topics (name, created_at) VALUES (?1, ?2)`).bind(`sizes_${now}`, now).run();
    const counted = await refreshTableSizes(env.DB, now);
    const topics = await env.DB.prepare(`SELECT COUNT(*) AS n FROM topics`).first<number>("n");
    expect(counted).not.toBeNull();
    expect(Object.keys(counted!).sort()).toEqual([...TABLE_NAMES]);
    expect(counted!.topics).toBe(topics);

    expect(await refreshTableSizes(env.DB, now + RECOUNT_EVERY_MS - 1)).toBeNull();
    const stored = await readTableSizes(env.DB);
    expect(stored).toEqual({ tables: counted, countedAt: now });

    await env.DB.prepare(`INSERT INTO topics (name, created_at) VALUES (?1, ?2)`).bind(`sizes_${now}_2`, now).run();
    const recounted = await refreshTableSizes(env.DB, now + RECOUNT_EVERY_MS);
    expect(recounted!.topics).toBe(topics! + 1);
  });
});

describe("/health storage check", () => {
  const health = (bindings: object) => createApp().fetch(new Request(`${BASE}/health`), bindings);

  it("is ok well under the limit", async () => {
    const res = await health(env);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", checks: { storage: "ok" } });
  });

  it("says degraded, still answering 200, above 80% of the limit", async () => {
    const res = await health({ ...env, D1_LIMIT_BYTES: "1000" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("degraded");
    expect(body.checks.d1).toBe("ok");
    expect(body.checks.storage).toMatch(/^degraded: \d+ of 1000 bytes used \(\d+%\)$/);
  });
});
