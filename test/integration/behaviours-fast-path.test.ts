/**
 * The hand-written fast paths of behaviour ingest (issue 8) change nothing a client or the
 * consumer sees: the batch parser accepts only what the zod schema accepts, with the same value;
 * the queue-body parser likewise; and events that structured clone makes larger than their JSON
 * (strings past U+00FF) still fit the queue's message limits.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BehavioursMessageSchema } from "../../src/behaviours/events";
import { BehaviourBatchInput, parseBehaviourBatch } from "../../src/behaviours/input";
import { freshId, waitFor } from "../helpers";
import { appWithRecordingQueue, storedBehaviours } from "../behaviour-helpers";

const iso = (ms: number) => new Date(ms).toISOString();

/** Per field, values near each rule's edge: valid ones, then invalid ones. */
const fields = {
  userId: [["u1", "a.b:c@d-e_f", "x".repeat(128)], ["x".repeat(129), "-lead", "has space", "", 7, null]],
  targetId: [["t1", "x".repeat(128), "emoji 🎉 €"], ["x".repeat(129), "", 0, null]],
  type: [["like", "favorite", "follow", "share", "view", "comment"], ["poke", "", 1]],
  action: [["add", "remove"], ["toggle", null]],
  occurredAt: [
    ["2026-01-01T00:00:00Z", "2024-02-29T23:59:59.999+14:00", iso(Date.now() + 30 * 60_000)],
    ["2023-02-29T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "yesterday", iso(Date.now() + 2 * 3_600_000), 1_767_225_600_000],
  ],
  targetOwnerId: [["owner_1"], ["has space", "", null]],
  eventId: [["evt-1", '"quoted\\', "x".repeat(128)], ["x".repeat(129), "with space", "", 5]],
} as const;

/** Mostly valid values, so that whole batches are often valid and the fast path answers. */
const fieldArb = ([valid, invalid]: readonly [readonly unknown[], readonly unknown[]]) =>
  fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const eventArb = fc.record(
  Object.fromEntries(Object.entries(fields).map(([key, values]) => [key, fieldArb(values)])),
  { requiredKeys: [] },
);
const entryArb = fc.oneof(
  { weight: 30, arbitrary: eventArb },
  { weight: 1, arbitrary: eventArb.map((e) => ({ ...e, mood: "happy" })) },
  { weight: 1, arbitrary: fc.constantFrom(null, "event", [], 42) },
);
const bodyArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ events: fc.array(entryArb, { maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ events: fc.array(eventArb, { minLength: 1, maxLength: 3 }), extra: fc.constant(1) }) },
  { weight: 1, arbitrary: fc.constantFrom(null, [], "events", { events: "x" }) },
);

describe("the batch fast path", () => {
  it("accepts only what the schema accepts, and returns what the schema returns", () => {
    let taken = 0;
    fc.assert(
      fc.property(bodyArb, (body) => {
        const fast = parseBehaviourBatch(body, Date.now());
        if (fast === null) return;
        taken++;
        const reference = BehaviourBatchInput.safeParse(body);
        expect(reference.success).toBe(true);
        expect(fast).toStrictEqual(reference.data);
      }),
      { numRuns: 3000, seed: 20261121 },
    );
    // The property says nothing if the fast path never answers.
    expect(taken).toBeGreaterThan(30);
  });

  it("takes a plainly valid batch", () => {
    const events = [
      { userId: "u1", targetId: "t1", type: "like" },
      { userId: "u1", targetId: "t1", type: "like", action: "remove", occurredAt: "2026-01-01T00:00:00.5+02:00", eventId: "e-1", targetOwnerId: "o1" },
    ];
    expect(parseBehaviourBatch({ events }, Date.now())).toStrictEqual(BehaviourBatchInput.parse({ events }));
  });
});

describe("the queue-body fast path", () => {
  const event = { eventId: "e1", userId: "u1", targetId: "t1", type: "like", action: "add", occurredAt: 1_767_225_600_000, targetOwnerId: null };

  it("strips unknown keys as zod does and refuses what zod refuses, with zod's issues", () => {
    const parsed = BehavioursMessageSchema.safeParse({ kind: "behaviours", events: [{ ...event, extra: 1 }], extra: 2 });
    expect(parsed).toStrictEqual({ success: true, data: { kind: "behaviours", events: [event] } });

    for (const bad of [{ occurredAt: -1 }, { occurredAt: 1.5 }, { type: "poke" }, { targetOwnerId: undefined }, { eventId: "" }]) {
      const refused = BehavioursMessageSchema.safeParse({ kind: "behaviours", events: [{ ...event, ...bad }] });
      expect(refused.success).toBe(false);
      expect(refused.error?.issues[0]?.path.slice(0, 2)).toEqual(["events", 0]);
    }
  });
});

describe("structured-clone messages", () => {
  it("fit the queue's limits when strings past U+00FF make them larger than their JSON", async () => {
    const userId = freshId();
    // One character past U+00FF makes V8 store the whole string at 2 bytes per character: 256
    // bytes for this id, against 130 of UTF-8. Short other fields make that most of each event.
    const targetId = (i: number) => `${String(i).padStart(4, "0")}€`.padEnd(128, "x");
    const events = Array.from({ length: 1000 }, (_, i) => ({ userId, targetId: targetId(i), type: "like" }));
    const { sent, request } = appWithRecordingQueue();

    const res = await request("/v1/behaviours/batch", { events });

    expect(res.status).toBe(202);
    expect(sent.flatMap((m) => m.events.map((e) => e.targetId))).toEqual(events.map((e) => e.targetId));
    const rows = await waitFor(async () => {
      const stored = await storedBehaviours(userId);
      return stored.length === 1000 && stored;
    }, { timeoutMs: 15_000, what: "all 1,000 events to apply" });
    expect(rows.map((r) => r.target_id).sort()).toEqual(events.map((e) => e.targetId).sort());
  });
});
