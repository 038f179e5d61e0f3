/**
 * Seed problem: three writers inserted the same behaviour row three times. The same like,
 * sent concurrently and again later, must leave one row and notify the owner once (docs/api.md#behaviours).
 */
import { describe, expect, it } from "vitest";
import { api, freshId, waitFor } from "../helpers";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../behaviour-helpers";

describe("the same like sent several times", () => {
  it("over HTTP, 3 concurrent + 1 later → one row, one owner notification", async () => {
    const [userId, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const like = { userId, targetId, type: "like", targetOwnerId: ownerId };

    const first = await Promise.all([1, 2, 3].map(() => api("/v1/behaviours", { method: "POST", json: like })));
    expect(first.map((r) => r.status)).toEqual([202, 202, 202]);
    await waitFor(async () => (await ownerNotifications(ownerId)).notifications.length > 0, { timeoutMs: 10_000, what: "the owner notification" });

    const later = await api("/v1/behaviours", { method: "POST", json: like });
    expect(later.status).toBe(202);
    const [laterId] = ((await later.json()) as { eventIds: string[] }).eventIds;
    // The later like is newer, so the row ends up holding it: proof that it was applied.
    await waitFor(async () => (await storedBehaviours(userId))[0]?.event_id === laterId, { timeoutMs: 10_000, what: "the later like to apply" });
    // Its consumer notifies right after applying; give that step time to (wrongly) add a second one.
    await new Promise((r) => setTimeout(r, 500));

    const rows = await storedBehaviours(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target_id: targetId, type: "like", active: 1, target_owner_id: ownerId });
    const { notifications, records } = await ownerNotifications(ownerId);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ template: "behaviour.like", idempotency_key: `like:${userId}:${targetId}` });
    expect(JSON.parse(notifications[0]!.data)).toEqual({ actorId: userId, targetId, type: "like" });
    expect(records).toEqual([{ key: `like:${userId}:${targetId}`, resource_id: notifications[0]!.id }]);
  });

  it("in the consumer, 3 concurrent batches + 1 later → one row, one owner notification", async () => {
    const [userId, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const like = event({ userId, targetId, targetOwnerId: ownerId });
    // Three invocations race with the very same event: each sees it as the winner of the row.
    const results = await Promise.all([1, 2, 3].map(() => consume([message([like])])));
    expect(results.every((r) => r.ackAll)).toBe(true);

    const later = event({ userId, targetId, targetOwnerId: ownerId, occurredAt: like.occurredAt + 1000 });
    expect((await consume([message([later])])).ackAll).toBe(true);

    const rows = await storedBehaviours(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ active: 1, event_id: later.eventId, occurred_at: later.occurredAt });
    const { notifications, records } = await ownerNotifications(ownerId);
    expect(notifications).toHaveLength(1);
    expect(records).toHaveLength(1);
  });

  it("notifies nobody for a like on one's own target", async () => {
    const userId = freshId();
    const targetId = freshId("post");
    await consume([message([event({ userId, targetId, targetOwnerId: userId })])]);
    expect(await storedBehaviours(userId)).toHaveLength(1);
    expect((await ownerNotifications(userId)).notifications).toHaveLength(0);
  });
});
