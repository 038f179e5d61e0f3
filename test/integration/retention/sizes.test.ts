/**
 * Sizes (docs/data-model.md#sizes): the cron counts every table's rows at most every 10 minutes
 * into `table_sizes`; `/health` says `degraded` — still 200 — above 80% of D1's size limit.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { readTableSizes, refreshTableSizes, RECOUNT_EVERY_MS, TABLE_NAMES } from "../../../src/db/table-sizes";
import { runSweepers } from "../../../src/sweepers";
import { api, BASE } from "../../helpers";

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

describe("the cron", () => {
  it("purges under every rule and refreshes table sizes; /v1/stats and /metrics report them", async () => {
    const now = Date.now();
    const old = `ob_old_${crypto.randomUUID()}`;
    const young = `ob_young_${crypto.randomUUID()}`;
    await env.DB.prepare(`INSERT INTO outbox (id, notification_id, channel, body, created_at) VALUES (?1, ?1, 'sms', 'old', ?3), (?2, ?2, 'sms', 'young', ?4)`)
      .bind(old, young, now - 8 * 86_400_000, now - 6 * 86_400_000)
      .run();
    // Counted more than 10 minutes ago, so this run recounts.
    await env.DB.prepare(`UPDATE table_sizes SET counted_at = ?1`).bind(now - RECOUNT_EVERY_MS - 1).run();
    await runSweepers(env as never, now);

    const ids = (await env.DB.prepare(`SELECT id FROM outbox WHERE id IN (?1, ?2)`).bind(old, young).all<{ id: string }>()).results.map((r) => r.id);
    expect(ids).toEqual([young]);
    const outboxRows = await env.DB.prepare(`SELECT COUNT(*) AS n FROM outbox`).first<number>("n");

    const stats = (await (await api("/v1/stats")).json()) as { storage: { databaseBytes: number; tables: Record<string, number>; countedAt: string } };
    expect(stats.storage.databaseBytes).toBeGreaterThan(0);
    expect(stats.storage.tables.outbox).toBe(outboxRows);
    expect(Date.parse(stats.storage.countedAt)).toBe(now);
    const metrics = await (await api("/metrics")).text();
    expect(metrics).toMatch(/^herald_d1_database_bytes \d+$/m);
    expect(metrics).toContain(`herald_table_rows{table="outbox"} ${outboxRows}`);
  });
});
