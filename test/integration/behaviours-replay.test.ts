/**
 * Queues deliver at least once: a batch delivered again — exactly as before, or retried after
 * it had partly committed — changes no row and notifies nobody a second time (docs/api.md#behaviours).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyBehaviours } from "../../src/behaviours/apply";
import { freshId } from "../helpers";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../behaviour-helpers";

/** Deliveries of `notificationIds`: in-app states (columns of the notification, migration 0014) and email/SMS/push rows. */
async function deliveryCount(notificationIds: string[]) {
  const row = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM notifications WHERE in_app_status IS NOT NULL AND id IN (SELECT value FROM json_each(?1)))
          + (SELECT COUNT(*) FROM deliveries WHERE notification_id IN (SELECT value FROM json_each(?1))) AS n`,
  )
    .bind(JSON.stringify(notificationIds))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A structured log line as an object; `null` for anything else printed meanwhile. */
function parseLogLine(text: unknown): Record<string, unknown> | null {
  try {
    return JSON.parse(String(text)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a replayed behaviours batch", () => {
  it("changes nothing: rows byte-identical, no second notification, all counted as duplicates", async () => {
    const [actor, ownerId] = [freshId(), freshId("owner")];
    const [post, profile] = [freshId("post"), freshId("profile")];
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const bodies = [
      [event({ userId: actor, targetId: post, targetOwnerId: ownerId }), event({ userId: actor, targetId: profile, type: "follow", targetOwnerId: ownerId })],
      [
        event({ userId: actor, targetId: post, type: "favorite", targetOwnerId: ownerId }),
        event({ userId: actor, targetId: post, type: "favorite", action: "remove", occurredAt: Date.now() + 1 }),
      ],
    ];
    const messages = bodies.map((events, i) => message(events, ids[i]));
    expect((await consume(messages)).ackAll).toBe(true);
    const rowsBefore = await storedBehaviours(actor);
    const notifiedBefore = await ownerNotifications(ownerId);
    expect(rowsBefore.map((r) => [r.target_id, r.type, r.active])).toEqual([
      [post, "favorite", 0],
      [post, "like", 1],
      [profile, "follow", 1],
    ]);
    // The favourite was removed in the same batch, so only the like and the follow notify.
    expect(notifiedBefore.notifications.map((n) => n.template).sort()).toEqual(["behaviour.follow", "behaviour.like"]);
    const deliveriesBefore = await deliveryCount(notifiedBefore.notifications.map((n) => n.id));
    expect(deliveriesBefore).toBe(2);

    const log = vi.spyOn(console, "log");
    // Redelivery: same message ids and bodies, one more attempt.
    const replay = bodies.map((events, i) => message(events, ids[i], 2));
    expect((await consume(replay)).ackAll).toBe(true);

    expect(await storedBehaviours(actor)).toEqual(rowsBefore);
    expect(await ownerNotifications(ownerId)).toEqual(notifiedBefore);
    expect(await deliveryCount(notifiedBefore.notifications.map((n) => n.id))).toBe(deliveriesBefore);
    const line = log.mock.calls.map(([text]) => parseLogLine(text)).find((l) => l?.msg === "behaviours applied");
    expect(line).toMatchObject({ events: 4, applied: 0, duplicatesSuppressed: 4, notified: 0 });
  });

  it("still notifies once when the first delivery applied the rows but died before notifying", async () => {
    const [actor, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const like = event({ userId: actor, targetId, targetOwnerId: ownerId });
    // What a crash between the apply transaction and the notification step leaves behind.
    await applyBehaviours(env.DB, [like], Date.now());
    expect((await ownerNotifications(ownerId)).notifications).toHaveLength(0);

    const redelivered = message([like], crypto.randomUUID(), 2);
    await consume([redelivered]);
    await consume([redelivered]);

    expect(await storedBehaviours(actor)).toHaveLength(1);
    expect((await ownerNotifications(ownerId)).notifications).toHaveLength(1);
  });
});
