/**
 * D1 migrations that move idempotency data, not just shape:
 * - 0007_retention_and_owners.sql (docs/data-model.md#behaviours): "owner notified once" marks
 *   move from 100-year idempotency records (scope `behaviour`) onto the behaviour rows, and those
 *   records then expire in 24 h;
 * - 0017_notifications_hold_their_keys.sql (docs/cost.md): a notification named by its
 *   `notifications`-scope record becomes that record (`key_scope`, `key_expires_at`) and the
 *   record goes; broadcasts' records and other scopes' stay.
 *
 * Runs in Node on better-sqlite3 (SQLite, as D1 is): the migrations before each build the old
 * shape, the test writes rows the way the old code did, applies it, and reads what it left.
 * A fresh D1 (every workerd test) never holds old rows, so only this test sees the data step run.
 */
import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const MIGRATIONS = resolve(import.meta.dirname, "../../migrations");
const DAY_MS = 86_400_000;
const CENTURY_MS = 100 * 365 * DAY_MS;

/** Applies, in order, the migration files whose names sort from `from` (inclusive) to `to` (exclusive). */
function apply(db: Database.Database, from: string, to: string): void {
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql") && f >= from && f < to).sort()) {
    for (const statement of readFileSync(join(MIGRATIONS, file), "utf8").split("--> statement-breakpoint")) {
      if (statement.trim() !== "") db.exec(statement);
    }
  }
}

/** A notification as the pre-0007 owner notifier wrote it: template `behaviour.<type>`, data naming actor and target. */
function insertOwnerNotification(db: Database.Database, id: string, owner: string, actor: string, target: string, type: string, now: number): void {
  db.prepare(
    `INSERT INTO notifications (id, user_id, template, data, channels, priority, created_at, updated_at, dispatch_after)
     VALUES (?, ?, ?, ?, '["in_app"]', 'normal', ?, ?, ?)`,
  ).run(id, owner, `behaviour.${type}`, JSON.stringify({ actorId: actor, targetId: target }), now, now, now);
}

function insertRecord(db: Database.Database, scope: string, key: string, resourceId: string, now: number, expiresAt: number): void {
  db.prepare(
    `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, resource_id, created_at, expires_at)
     VALUES (?, ?, 'fp', 'completed', 0, ?, ?, ?)`,
  ).run(scope, key, resourceId, now, expiresAt);
}

function insertBehaviour(db: Database.Database, user: string, target: string, type: string, owner: string, now: number): void {
  db.prepare(
    `INSERT INTO behaviours (user_id, target_id, type, active, occurred_at, event_id, target_owner_id, updated_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?)`,
  ).run(user, target, type, now, `evt_${user}_${target}_${type}`, owner, now);
}

describe("migration 0007 on data written before it", () => {
  it("moves each owner-notified mark onto its behaviour row, shortens only behaviour records, and leaves the rest", () => {
    const db = new Database(":memory:");
    apply(db, "0000", "0007");
    const now = Date.now();

    // Ada liked post-1 and Grace followed post-2, both notified (old marks: 100-year records).
    insertOwnerNotification(db, "ntf_like", "owner1", "ada", "post-1", "like", now);
    insertOwnerNotification(db, "ntf_follow", "owner2", "grace", "post-2", "follow", now);
    insertRecord(db, "behaviour", "like:ada:post-1", "ntf_like", now, now + CENTURY_MS);
    insertRecord(db, "behaviour", "follow:grace:post-2", "ntf_follow", now, now + CENTURY_MS);
    // A behaviour record that already expires sooner than 24 h keeps its own expiry (MIN).
    insertRecord(db, "behaviour", "like:linus:post-3", "ntf_gone", now, now + 3_600_000);
    insertBehaviour(db, "ada", "post-1", "like", "owner1", now);
    insertBehaviour(db, "grace", "post-2", "follow", "owner2", now);
    // Same actor and target, another type, never notified: must stay unmarked.
    insertBehaviour(db, "ada", "post-1", "follow", "owner1", now);
    // A client's Idempotency-Key record: another scope, must keep its expiry.
    insertRecord(db, "notification", "client-key-1", "ntf_other", now, now + DAY_MS / 2);
    insertRecord(db, "notification", "client-key-2", "ntf_other2", now, now + 2 * DAY_MS);

    apply(db, "0007", "0008");

    const owners = db.prepare(`SELECT user_id, target_id, type, owner_notification_id FROM behaviours ORDER BY user_id, type`).all();
    expect(owners).toEqual([
      { user_id: "ada", target_id: "post-1", type: "follow", owner_notification_id: null },
      { user_id: "ada", target_id: "post-1", type: "like", owner_notification_id: "ntf_like" },
      { user_id: "grace", target_id: "post-2", type: "follow", owner_notification_id: "ntf_follow" },
    ]);

    const records = db.prepare(`SELECT scope, key, expires_at FROM idempotency_records ORDER BY scope, key`).all() as { scope: string; key: string; expires_at: number }[];
    const after = Date.now();
    expect(records.find((r) => r.key === "like:linus:post-3")?.expires_at).toBe(now + 3_600_000);
    const shortened = records.filter((r) => r.scope === "behaviour" && r.key !== "like:linus:post-3");
    expect(shortened).toHaveLength(2);
    for (const r of shortened) {
      // strftime('%s') has whole seconds: the new expiry is within a second of 24 h from the run.
      expect(r.expires_at).toBeGreaterThanOrEqual(now - 1000 + DAY_MS);
      expect(r.expires_at).toBeLessThanOrEqual(after + DAY_MS);
    }
    expect(records.filter((r) => r.scope === "notification")).toEqual([
      { scope: "notification", key: "client-key-1", expires_at: now + DAY_MS / 2 },
      { scope: "notification", key: "client-key-2", expires_at: now + 2 * DAY_MS },
    ]);

    // Every later migration still applies on top of the migrated data.
    apply(db, "0008", "9999");
    expect(db.prepare(`SELECT count(*) AS n FROM behaviours WHERE owner_notification_id IS NOT NULL`).get()).toEqual({ n: 2 });
    db.close();
  });
});

describe("migration 0017 on data written before it", () => {
  it("makes each notification its notifications-scope record's holder, drops those records, and leaves broadcasts' and other scopes'", () => {
    const db = new Database(":memory:");
    apply(db, "0000", "0017");
    const now = Date.now();
    const insertKeyed = (id: string, key: string) =>
      db
        .prepare(
          `INSERT INTO notifications (id, user_id, idempotency_key, fingerprint, channels, priority, created_at, updated_at, dispatch_after, in_app_status)
           VALUES (?, 'u1', ?, 'fp', '["in_app"]', 'normal', ?, ?, ?, 'queued')`,
        )
        .run(id, key, now, now, now);
    insertKeyed("ntf_a", "key-a");
    insertKeyed("ntf_b", "key-b");
    // key-c was taken over after its first notification's record expired: the record names the second.
    insertKeyed("ntf_c1", "key-c");
    insertKeyed("ntf_c2", "key-c");
    insertKeyed("ntf_owner", "like:ada:post-1");
    insertRecord(db, "notifications", "key-a", "ntf_a", now, now + DAY_MS);
    insertRecord(db, "notifications", "key-b", "ntf_b", now, now - 1);
    insertRecord(db, "notifications", "key-c", "ntf_c2", now, now + DAY_MS);
    insertRecord(db, "notifications", "key-broadcast", "brd_1", now, now + DAY_MS);
    insertRecord(db, "behaviour", "like:ada:post-1", "ntf_owner", now, now + DAY_MS);

    apply(db, "0017", "0018");

    expect(db.prepare(`SELECT id, key_scope AS keyScope, key_expires_at AS keyExpiresAt FROM notifications ORDER BY id`).all()).toEqual([
      { id: "ntf_a", keyScope: "notifications", keyExpiresAt: now + DAY_MS },
      { id: "ntf_b", keyScope: "notifications", keyExpiresAt: now - 1 },
      { id: "ntf_c1", keyScope: null, keyExpiresAt: null },
      { id: "ntf_c2", keyScope: "notifications", keyExpiresAt: now + DAY_MS },
      { id: "ntf_owner", keyScope: null, keyExpiresAt: null },
    ]);
    expect(db.prepare(`SELECT scope, key FROM idempotency_records ORDER BY scope, key`).all()).toEqual([
      { scope: "behaviour", key: "like:ada:post-1" },
      { scope: "notifications", key: "key-broadcast" },
    ]);
    // The unique index holds: ntf_c1 cannot hold key-c beside ntf_c2.
    expect(() =>
      db.prepare(`UPDATE notifications SET key_scope = 'notifications' WHERE id = 'ntf_c1'`).run(),
    ).toThrow(/UNIQUE/);

    apply(db, "0018", "9999");
    db.close();
  });
});
