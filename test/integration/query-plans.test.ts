/**
 * Statements that look rows up by message, delivery or event must read those rows along their own
 * keys, never walk a `status` index (every pending delivery of every message or target) and filter
 * it: SQLite picks the status index for `status = 'pending'` unless the statement keeps it off
 * (`+status`). `EXPLAIN QUERY PLAN` of each statement's own SQL — captured from the function that
 * builds it — on the migrated D1. The recall sweeper's lookup walks an index of unsettled recalls
 * only, not every recalled notification; the overdue sync retry sweep, pending deliveries by due time.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pendingAttempts, pendingDeliveryIdsStatement } from "../../src/db/message-deliveries";
import { rollUpMessagesStatement } from "../../src/db/messages";
import { readKeyHolder, releaseExpiredKeysStatement, unsettledRecalls } from "../../src/db/notifications";
import { markStalledSyncDeliveries, pendingIdsForEventsStatement } from "../../src/db/sync-deliveries";

/** A stand-in D1 that records the SQL a function prepares (its statements answer nothing). */
function capturing(): { db: D1Database; sql: string[] } {
  const sql: string[] = [];
  const statement = { bind: () => statement, all: async () => ({ results: [] }), first: async () => null, run: async () => ({ meta: { changes: 0 } }) };
  const db = { prepare: (text: string) => (sql.push(text), statement) } as unknown as D1Database;
  return { db, sql };
}

/** The plan's lines for `sql`, its `?N` parameters bound to empty JSON arrays and zeros. */
async function planOf(sql: string): Promise<string[]> {
  const count = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
  const bindings = Array.from({ length: count }, (_, i) => (i === 0 ? "[]" : 0));
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...bindings).all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe("query plans", () => {
  it.each([
    ["rolling messages up reads each message's deliveries by message", (db: D1Database) => rollUpMessagesStatement(db, "[]", 0), "message_deliveries_pair"],
    ["the pending deliveries of messages are read by message", (db: D1Database) => pendingDeliveryIdsStatement(db, "[]"), "message_deliveries_pair"],
    ["the sync deliveries of events are read by event", (db: D1Database) => pendingIdsForEventsStatement(db, "[]"), "sync_deliveries_event"],
    ["pending attempts are read by delivery id", (db: D1Database) => pendingAttempts(db, ["d1"]), "sqlite_autoindex_message_deliveries_1"],
    ["the recall sweeper walks only unsettled recalls", (db: D1Database) => unsettledRecalls(db, 0, 100), "notifications_unsettled_recalls"],
    ["the overdue sync retries are read by due time", (db: D1Database) => markStalledSyncDeliveries(db, 0, 0), "sync_deliveries_pending_due"],
    ["a key's holding notification is read by key", (db: D1Database) => readKeyHolder(db, "notifications", "k"), "notifications_idempotency_key"],
    ["an expired key's holder is released by key", (db: D1Database) => releaseExpiredKeysStatement(db, "notifications", "[]", 0), "notifications_idempotency_key"],
  ])("%s", async (_name, build, index) => {
    const { db, sql } = capturing();
    await build(db);
    expect(sql).toHaveLength(1);
    const plan = await planOf(sql[0]!);
    expect(plan.join("\n")).toContain(index);
    expect(plan.filter((line) => /_status\b/.test(line))).toEqual([]);
  });

  it("rolls one message up reading its own deliveries, however many other messages have pending ones", async () => {
    const now = Date.now();
    const [quiet, busy] = [`msg_${crypto.randomUUID()}`, `msg_${crypto.randomUUID()}`];
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, enqueued_at, created_at, updated_at)
         SELECT value, 'plans', '{}', 'processing', 1, 8, ?2, ?2, ?2, ?2 FROM json_each(?1)`,
      ).bind(JSON.stringify([quiet, busy]), now),
      env.DB.prepare(`INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at) VALUES (?1, ?2, 'sub', 'succeeded', 1, ?3, ?3)`).bind(
        `mdl_${quiet}`,
        quiet,
        now,
      ),
      // 500 deliveries of another message, still pending: what the status index would walk.
      env.DB.prepare(
        `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at)
         SELECT 'mdl_busy_' || key, ?1, 'sub_' || key, 'pending', 0, ?2, ?2 FROM json_each(?3)`,
      ).bind(busy, now, JSON.stringify(Array.from({ length: 500 }, () => 0))),
    ]);
    const result = await rollUpMessagesStatement(env.DB, JSON.stringify([quiet]), now).run();
    expect(await env.DB.prepare(`SELECT status FROM messages WHERE id = ?1`).bind(quiet).first("status")).toBe("completed");
    // Its row and its one delivery, once per subquery: not the 500 (≥ 1,000 while two subqueries walked them).
    expect(result.meta.rows_read).toBeLessThan(20);
  });
});
