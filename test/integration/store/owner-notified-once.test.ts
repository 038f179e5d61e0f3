/**
 * Owner notifications are told once per (actor, target, type) (docs/api.md#behaviours), and that fact lives on
 * the behaviour row (`owner_notification_id`), not in an idempotency record kept for a century
 * (issue 13 §4): concurrent duplicates, redeliveries, a remove and re-add, and redeliveries after
 * the idempotency records expired and were purged all leave one notification.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NOTIFY_RECORD_TTL_MS, notifyKey } from "../../../src/behaviours/notify";
import { purgeIdempotencyRecords } from "../../../src/db/idempotency-records";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../../behaviour-helpers";
import { freshId } from "../../helpers";

describe("the owner-notified mark on the behaviour row", () => {
  it("holds against concurrent duplicates and redeliveries, also once the idempotency records are gone", async () => {
    const [actor, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const likes = [0, 1, 2].map((i) => event({ userId: actor, targetId, targetOwnerId: ownerId, occurredAt: Date.now() + i }));
    const first = message([likes[0]!]);
    const before = Date.now();
    await Promise.all([consume([first]), consume([message([likes[1]!])]), consume([message([likes[2]!])]), consume([first])]);

    const { notifications, records } = await ownerNotifications(ownerId);
    expect(notifications).toHaveLength(1);
    const [row] = await storedBehaviours(actor);
    expect(row).toMatchObject({ active: 1, owner_notification_id: notifications[0]!.id });

    // No record with a far-future expiry: the behaviour records live the usual TTL.
    const key = notifyKey({ type: "like", userId: actor, targetId });
    expect(records).toEqual([{ key, resource_id: notifications[0]!.id }]);
    const expiresAt = await env.DB.prepare(`SELECT expires_at FROM idempotency_records WHERE scope = 'behaviour' AND key = ?1`).bind(key).first<number>("expires_at");
    expect(expiresAt).toBeGreaterThanOrEqual(before + NOTIFY_RECORD_TTL_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + NOTIFY_RECORD_TTL_MS);

    // The records expire and are purged; every event is delivered again, concurrently.
    await env.DB.prepare(`UPDATE idempotency_records SET expires_at = 0 WHERE scope = 'behaviour' AND key = ?1`).bind(key).run();
    expect(await purgeIdempotencyRecords(env.DB, Date.now(), 5000)).toBeGreaterThanOrEqual(1);
    await Promise.all([consume([message([likes[2]!], crypto.randomUUID(), 2)]), consume([message(likes, crypto.randomUUID(), 3)])]);
    // A remove and a newer add keep the row, and its mark.
    await consume([message([event({ userId: actor, targetId, action: "remove", occurredAt: Date.now() + 10 })])]);
    await consume([message([event({ userId: actor, targetId, targetOwnerId: ownerId, occurredAt: Date.now() + 20 })])]);

    expect((await ownerNotifications(ownerId)).notifications.map((n) => n.id)).toEqual([notifications[0]!.id]);
    expect(await storedBehaviours(actor)).toEqual([expect.objectContaining({ active: 1, owner_notification_id: notifications[0]!.id })]);
  });
});
