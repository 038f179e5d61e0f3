/**
 * The UserInbox's schema steps (src/inbox/schema.ts, docs/data-model.md#userinbox-storage): a new
 * inbox is built from the latest schema at once, and must end up exactly as an older inbox does
 * after the steps; an inbox written by the code of step 6 (items, an edit, a recall, reads, an
 * archive, acks, and the `meta` counters of that time) wakes up migrated with its sequence,
 * delivered prefix, item count and replay intact.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applySteps, openInbox, SCHEMA_VERSION, type Meta } from "../../src/inbox/schema";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import { api, Device, freshId, userToken } from "../helpers";

const DAY_MS = 24 * 3600 * 1000;

/** The inbox's own tables and indexes as SQLite records them, whitespace collapsed. */
function schemaOf(sql: SqlStorage): { name: string; sql: string }[] {
  return sql
    .exec<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name`,
    )
    .toArray()
    .map((row) => ({ name: row.name, sql: row.sql.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")") }));
}

/** Empties the object's database and builds it as the code of step 6 did: `meta` first (a rowid table then), then steps 1–6. */
function buildStep6(sql: SqlStorage): void {
  for (const { name } of sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).toArray()) {
    sql.exec(`DROP TABLE ${name}`);
  }
  sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value)`);
  applySteps(sql, 0, 6);
  sql.exec(`INSERT INTO meta (key, value) VALUES ('schema', 6)`);
}

describe("inbox schema steps", () => {
  it("gives a new inbox the schema an older inbox reaches through the steps", async () => {
    const fresh = await runInDurableObject(inboxOf(env, freshId()), (_instance: UserInbox, state) => schemaOf(state.storage.sql));
    const upgraded = await runInDurableObject(inboxOf(env, freshId()), (_instance: UserInbox, state) => {
      buildStep6(state.storage.sql);
      expect(schemaOf(state.storage.sql).find((t) => t.name === "inbox")?.sql).toContain("AUTOINCREMENT");
      openInbox(state.storage.sql);
      return schemaOf(state.storage.sql);
    });
    expect(upgraded).toEqual(fresh);
    const inbox = fresh.find((t) => t.name === "inbox")!.sql;
    expect(inbox).toContain("seq INTEGER PRIMARY KEY,");
    expect(inbox).not.toContain("AUTOINCREMENT");
    expect(fresh.map((t) => t.name)).not.toContain("inbox_unread");
    expect(fresh.find((t) => t.name === "meta")!.sql).toContain("WITHOUT ROWID");
  });

  it("migrates an inbox of step 6 with its sequence, delivered prefix, item count and replay intact", async () => {
    const userId = freshId();
    const stub = inboxOf(env, userId);
    const now = Date.now();
    await runInDurableObject(stub, (_instance: UserInbox, state) => {
      const sql = state.storage.sql;
      buildStep6(sql);
      // As the code of step 6 left it: a (seq 1, delivered, read at seq 6), b (seq 2, delivered,
      // edited at seq 5), c (seq 3, recalled at seq 7), d (seq 4, archived at seq 8), and an item
      // that took seq 9 and expired since: the rows alone would say 8.
      const row = `INSERT INTO inbox (seq, id, title, body, data, priority, created_at, updated_at, arrived_at, purge_at, version,
                     delivered_at, read_at, recalled_at, archived_at, change_seq, state_seq)
                   VALUES (?1, ?2, ?3, NULL, NULL, 'normal', ?4, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`;
      sql.exec(row, 1, "a", "a", now, now + 7 * DAY_MS, 0, now, now, null, null, null, 6);
      sql.exec(row, 2, "b", "b v1", now, now + 30 * DAY_MS, 1, now, null, null, null, 5, null);
      sql.exec(row, 3, "c", null, now, now + 30 * DAY_MS, 0, null, null, now, null, 7, null);
      sql.exec(row, 4, "d", "d", now, now + 7 * DAY_MS, 0, null, null, null, now, null, 8);
      for (const [key, value] of [["seq", 9], ["changeSeq", 7], ["stateSeq", 8], ["items", 4], ["ackedSeq", 2], ["mirrored", `{"ackedSeq":2,"stateSeq":8}`]] as const) {
        sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value);
      }
    });
    await evictDurableObject(stub);

    const migrated = await runInDurableObject(stub, (instance: UserInbox, state) => {
      const meta = (instance as unknown as { meta: Meta }).meta;
      const sql = state.storage.sql;
      return {
        schema: meta.number("schema"),
        counters: ["seq", "changeSeq", "stateSeq", "ackedSeq", "items"].map((key) => meta.number(key)),
        sequences: sql.exec<{ name: string }>(`SELECT name FROM sqlite_sequence`).toArray(),
        rows: sql.exec<{ seq: number; id: string }>(`SELECT seq, id, change_seq, state_seq FROM inbox ORDER BY seq`).toArray(),
      };
    });
    expect(migrated).toEqual({
      schema: SCHEMA_VERSION,
      counters: [9, 7, 8, 2, 4],
      sequences: [],
      rows: [
        { seq: 1, id: "a", change_seq: null, state_seq: 6 },
        { seq: 2, id: "b", change_seq: 5, state_seq: null },
        { seq: 3, id: "c", change_seq: 7, state_seq: null },
        { seq: 4, id: "d", change_seq: null, state_seq: 8 },
      ],
    });
    await evictDurableObject(stub);

    const token = await userToken(userId);
    // Resuming after seq 4: the edit, the read, the recall and the archive, in seq order.
    const resumed = await Device.connect(token, 4);
    expect(await resumed.next("hello")).toMatchObject({ lastSeq: 9 });
    const events = [await resumed.next("updated"), await resumed.next("state"), await resumed.next("recalled"), await resumed.next("state")];
    expect(events).toMatchObject([
      { seq: 5, notification: { id: "b", title: "b v1" } },
      { seq: 6, id: "a" },
      { seq: 7, id: "c" },
      { seq: 8, id: "d" },
    ]);
    expect(events[1]!.readAt).not.toBeNull();
    expect(events[3]!.archivedAt).not.toBeNull();
    resumed.close();
    await evictDurableObject(stub);

    // Without `since`: what no device acked, after the delivered prefix (seq 2).
    const fresh = await Device.connect(token);
    await fresh.next("hello");
    expect(await fresh.next("notification")).toMatchObject({ seq: 4, notification: { id: "d" } });
    expect(await fresh.next("updated")).toMatchObject({ seq: 5 });
    expect(await fresh.next("state")).toMatchObject({ seq: 6, id: "a" });

    // The sequence goes on after 9, and the cap's counter counts the new item.
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "after the migration" } });
    expect(res.status).toBe(202);
    expect(await fresh.next("notification")).toMatchObject({ seq: 10, notification: { title: "after the migration" } });
    expect(await fresh.quiet(200, "state")).toEqual([]);
    fresh.close();
    const items = await runInDurableObject(stub, (instance: UserInbox) => (instance as unknown as { meta: Meta }).meta.number("items"));
    expect(items).toBe(5);
  });
});
