/**
 * Retention of the notification-side tables (docs/data-model.md#retention, issue 13 §4): each purge removes rows past
 * their age that are finished, leaves younger rows and live work alone, and stops at its limit.
 */
import { env } from "cloudflare:workers";
import { ulid } from "ulidx";
import { describe, expect, it } from "vitest";
import { purgeBehaviourTombstones } from "../../../src/db/behaviours";
import { purgeIdempotencyRecords } from "../../../src/db/idempotency-records";
import { purgeNotifications } from "../../../src/db/notifications";
import { purgePresence } from "../../../src/db/presence";
import { consume, event, message, storedBehaviours } from "../../behaviour-helpers";
import { freshId } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";

const DAY = 86_400_000;

async function existing(table: "notifications" | "deliveries", column: string, ids: string[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`SELECT DISTINCT ${column} AS id FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?1)) ORDER BY 1`)
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

describe("purgeNotifications (90 days after creation)", () => {
  it("removes old finished notifications with their deliveries, never young ones, undispatched ones or ones with a queued delivery", async () => {
    const userId = freshId();
    const old = Date.now() - 91 * DAY;
    const at = (ms: number) => ({ id: ulid(ms), createdAt: ms, dispatchAfter: ms });
    const [finishedA, finishedB, undispatched, queuedEmail, young, queuedInApp] = await storeNotifications([
      { userId, ...at(old) },
      { userId, ...at(old + 1) },
      { userId, ...at(old + 2) },
      { userId, ...at(old + 3), channels: ["in_app", "email"] },
      { userId, ...at(Date.now() - DAY) },
      { userId, ...at(old + 4) },
    ]);
    const ids = [finishedA, finishedB, undispatched, queuedEmail, young, queuedInApp].map((n) => n!.id);
    await env.DB.prepare(`UPDATE notifications SET dispatched_at = created_at + 1000 WHERE id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify([finishedA!.id, finishedB!.id, queuedEmail!.id, young!.id, queuedInApp!.id]))
      .run();
    // The in-app state is the notification's own columns (migration 0014); `queuedInApp` keeps `queued`.
    await env.DB.prepare(`UPDATE notifications SET in_app_status = 'read' WHERE id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify(ids.filter((id) => id !== queuedInApp!.id)))
      .run();

    const before = Date.now() - 90 * DAY;
    expect(await purgeNotifications(env.DB, before, 1)).toBe(1);
    expect(await existing("notifications", "id", ids)).toEqual(ids.slice(1).sort());
    expect(await purgeNotifications(env.DB, before, 100)).toBe(1);
    expect(await purgeNotifications(env.DB, before, 100)).toBe(0);

    const kept = [undispatched!.id, queuedEmail!.id, young!.id, queuedInApp!.id].sort();
    expect(await existing("notifications", "id", ids)).toEqual(kept);
    // Only email, SMS and push have `deliveries` rows: the queued email's is kept with it.
    expect(await existing("deliveries", "notification_id", ids)).toEqual([queuedEmail!.id]);
  });
});

describe("purgeNotifications and idempotency keys", () => {
  it("keeps an old finished notification while it still holds its idempotency key, and purges it once the key expired", async () => {
    const userId = freshId();
    const old = Date.now() - 91 * DAY;
    const [holding, expired] = await storeNotifications([
      { userId, id: ulid(old), createdAt: old, dispatchAfter: old },
      { userId, id: ulid(old + 1), createdAt: old + 1, dispatchAfter: old + 1 },
    ]);
    // Finished, each the record of its own key (migration 0017): one key still held (a retention shorter than the key's TTL), one expired.
    const finish = env.DB.prepare(
      `UPDATE notifications SET dispatched_at = created_at + 1000, in_app_status = 'read', idempotency_key = ?2, key_scope = 'notifications', key_expires_at = ?3 WHERE id = ?1`,
    );
    await env.DB.batch([finish.bind(holding!.id, freshId("key"), Date.now() + 3_600_000), finish.bind(expired!.id, freshId("key"), Date.now() - 1)]);
    expect(await purgeNotifications(env.DB, Date.now() - 90 * DAY, 100)).toBe(1);
    expect(await existing("notifications", "id", [holding!.id, expired!.id])).toEqual([holding!.id]);
  });
});

describe("purgeIdempotencyRecords (past expires_at)", () => {
  it("removes expired records and keeps live ones", async () => {
    const now = Date.now();
    const insert = env.DB.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, locked_until, created_at, expires_at) VALUES ('retention', ?1, 'fp', 'completed', ?2, ?2, ?3)`,
    );
    const [expired, live] = [freshId("k"), freshId("k")];
    await env.DB.batch([insert.bind(expired, now - 2 * DAY, now - DAY), insert.bind(live, now - DAY, now + DAY)]);

    expect(await purgeIdempotencyRecords(env.DB, now, 100)).toBe(1);
    const { results } = await env.DB.prepare(`SELECT key FROM idempotency_records WHERE scope = 'retention'`).all<{ key: string }>();
    expect(results).toEqual([{ key: live }]);
  });
});

describe("purgeBehaviourTombstones (30 days)", () => {
  it("compacts old tombstones and keeps active rows, however old, and young tombstones", async () => {
    const userId = freshId();
    const [oldTombstone, youngTombstone, oldActive] = [freshId("t"), freshId("t"), freshId("t")];
    await consume([
      message([
        event({ userId, targetId: oldTombstone, action: "remove" }),
        event({ userId, targetId: youngTombstone, action: "remove" }),
        event({ userId, targetId: oldActive }),
      ]),
    ]);
    await env.DB.prepare(`UPDATE behaviours SET updated_at = ?3 WHERE user_id = ?1 AND target_id IN (SELECT value FROM json_each(?2))`)
      .bind(userId, JSON.stringify([oldTombstone, oldActive]), Date.now() - 31 * DAY)
      .run();

    expect(await purgeBehaviourTombstones(env.DB, Date.now() - 30 * DAY, 100)).toBe(1);
    expect((await storedBehaviours(userId)).map((r) => [r.target_id, r.active]).sort()).toEqual(
      [
        [oldActive, 1],
        [youngTombstone, 0],
      ].sort(),
    );
  });
});

describe("purgePresence (offline and not seen for 90 days)", () => {
  it("removes rows offline and unseen since the cutoff, and keeps online or recently seen users", async () => {
    const now = Date.now();
    const old = now - 91 * DAY;
    const [offline, vanished, online, recent] = [freshId(), freshId(), freshId(), freshId()];
    const insert = env.DB.prepare(`INSERT INTO presence (user_id, connections, version, last_seen_at, expires_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?3)`);
    await env.DB.batch([
      insert.bind(offline, 0, old, old),
      // An inbox that vanished without reporting: its lease ran out long ago.
      insert.bind(vanished, 2, old, old + 15 * 60_000),
      insert.bind(online, 1, old, now + 15 * 60_000),
      insert.bind(recent, 0, now - DAY, now - DAY),
    ]);

    expect(await purgePresence(env.DB, now - 90 * DAY, 100)).toBe(2);
    const { results } = await env.DB.prepare(`SELECT user_id AS userId FROM presence WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY 1`)
      .bind(JSON.stringify([offline, vanished, online, recent]))
      .all<{ userId: string }>();
    expect(results.map((r) => r.userId)).toEqual([online, recent].sort());
  });
});
