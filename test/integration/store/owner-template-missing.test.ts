/**
 * A missing template for an owner notification (docs/api.md#retries-and-dead-letters, issue 13 §3): the like is applied, the
 * owner notification cannot be rendered, and instead of vanishing into a log line it becomes a
 * dead letter naming the template. Once the template exists, redriving the letter tells the owner, once.
 */
import { describe, expect, it } from "vitest";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../../behaviour-helpers";
import { api, freshId, waitFor } from "../../helpers";

interface Letter {
  id: string;
  source: string;
  sourceId: string | null;
  payload: { kind: string; events: { eventId: string }[] };
  lastError: string | null;
}

async function behaviourLetters(): Promise<Letter[]> {
  const res = await api("/v1/dead-letters?source=behaviour&limit=100");
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Letter[] }).items;
}

describe("an owner notification whose template is missing", () => {
  it("becomes a dead letter naming the template; after the template is created, a redrive notifies the owner once", async () => {
    const template = (await (await api("/v1/templates/behaviour.like")).json()) as { channel: string; subject: string; body: string };
    expect((await api("/v1/templates/behaviour.like", { method: "DELETE" })).status).toBe(204);

    const [actor, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const like = event({ userId: actor, targetId, targetOwnerId: ownerId });
    const result = await consume([message([like])]);
    expect(result.ackAll).toBe(true);
    expect(await storedBehaviours(actor)).toEqual([expect.objectContaining({ active: 1, owner_notification_id: null })]);
    expect((await ownerNotifications(ownerId)).notifications).toEqual([]);

    const letters = (await behaviourLetters()).filter((l) => l.payload.events.some((e) => e.eventId === like.eventId));
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter).toMatchObject({ source: "behaviour", sourceId: "behaviour.like", payload: { kind: "behaviours" } });
    expect(letter!.lastError).toContain("behaviour.like");

    const put = await api("/v1/templates/behaviour.like", { method: "PUT", json: { channel: template.channel, subject: template.subject, body: template.body } });
    expect(put.status).toBe(201);
    expect((await api(`/v1/dead-letters/${letter!.id}/redrive`, { method: "POST" })).status).toBe(202);

    const notified = await waitFor(
      async () => {
        const { notifications } = await ownerNotifications(ownerId);
        return notifications.length > 0 && notifications;
      },
      { what: "the owner notification after the redrive", timeoutMs: 10_000 },
    );
    expect(notified).toEqual([expect.objectContaining({ template: "behaviour.like" })]);
    expect((await behaviourLetters()).some((l) => l.id === letter!.id)).toBe(false);

    // A later redelivery of the same like tells nobody again.
    await consume([message([like], crypto.randomUUID(), 2)]);
    expect((await ownerNotifications(ownerId)).notifications).toEqual(notified);
  });
});
