/**
 * `POST /v1/behaviours` (docs/api.md#behaviours): one event is validated, enqueued (202) and applied by the
 * consumer; defaults are resolved at the edge; bad input is refused with the field's path.
 */
import { describe, expect, it } from "vitest";
import { api, freshId, waitFor } from "../helpers";
import { appWithRecordingQueue, storedBehaviours } from "../behaviour-helpers";

describe("POST /v1/behaviours", () => {
  it("accepts one event with 202 and the consumer applies it", async () => {
    const [userId, targetId] = [freshId(), freshId("post")];
    const res = await api("/v1/behaviours", { method: "POST", json: { userId, targetId, type: "favorite", occurredAt: "2026-01-01T10:00:00+02:00", eventId: "evt-1" } });

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, eventIds: ["evt-1"] });
    const [row] = await waitFor(async () => {
      const rows = await storedBehaviours(userId);
      return rows.length > 0 && rows;
    }, { timeoutMs: 10_000, what: "the event to apply" });
    expect(row).toMatchObject({ target_id: targetId, type: "favorite", active: 1, event_id: "evt-1", occurred_at: Date.parse("2026-01-01T08:00:00Z"), target_owner_id: null });
  });

  it("defaults to an add, now, with a fresh ULID event id", async () => {
    const userId = freshId();
    const { sent, request } = appWithRecordingQueue();
    const before = Date.now();

    const res = await request("/v1/behaviours", { userId, targetId: "t1", type: "view" });

    expect(res.status).toBe(202);
    const { eventIds } = (await res.json()) as { eventIds: string[] };
    expect(eventIds[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(sent).toHaveLength(1);
    const [queued] = sent[0]!.events;
    expect(queued).toMatchObject({ eventId: eventIds[0], userId, targetId: "t1", type: "view", action: "add", targetOwnerId: null });
    expect(queued!.occurredAt).toBeGreaterThanOrEqual(before);
    expect(queued!.occurredAt).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ["an unknown type", { type: "poke" }, "type"],
    ["an unknown action", { action: "toggle" }, "action"],
    ["a non-ISO occurredAt", { occurredAt: "yesterday" }, "occurredAt"],
    ["an occurredAt far in the future", { occurredAt: "2999-01-01T00:00:00Z" }, "occurredAt"],
    // The queue body holds non-negative ms; before this check such an event was accepted here and
    // then refused by the consumer together with every other event of its queue message.
    ["an occurredAt before 1970", { occurredAt: "1969-12-31T23:59:59Z" }, "occurredAt"],
    ["a bad userId", { userId: "has space" }, "userId"],
    ["a targetId over 128 characters", { targetId: "x".repeat(129) }, "targetId"],
    ["an unknown field", { weight: 3 }, ""],
  ])("refuses %s with 400 validation_failed and enqueues nothing", async (_name, change, path) => {
    const { sent, request } = appWithRecordingQueue();
    const res = await request("/v1/behaviours", { userId: freshId(), targetId: "t1", type: "like", ...change });

    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.path)).toEqual([path]);
    expect(sent).toHaveLength(0);
  });

  it("requires an API key", async () => {
    const res = await api("/v1/behaviours", { method: "POST", json: { userId: freshId(), targetId: "t1", type: "like" }, auth: null });
    expect(res.status).toBe(401);
  });
});
