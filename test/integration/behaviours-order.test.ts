/**
 * Last writer wins on occurredAt, with `remove` kept as a tombstone (docs/api.md#behaviours): events applied
 * in any order, any number of times, in any grouping, leave the same rows.
 */
import { describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../../src/behaviours/events";
import { newId } from "../../src/lib/ids";
import { freshId } from "../helpers";
import { consume, event, message, ownerNotifications, storedBehaviours } from "../behaviour-helpers";

const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("out-of-order add and remove", () => {
  it("a remove newer than an add wins even when it arrives first; the late add does not resurrect it", async () => {
    const [userId, ownerId, targetId] = [freshId(), freshId("owner"), freshId("post")];
    const add = event({ userId, targetId, targetOwnerId: ownerId, occurredAt: T0 });
    const remove = event({ userId, targetId, action: "remove", occurredAt: T0 + 1000 });

    await consume([message([remove])]);
    await consume([message([add])]);

    expect(await storedBehaviours(userId)).toEqual([
      expect.objectContaining({ active: 0, event_id: remove.eventId, occurred_at: remove.occurredAt, target_owner_id: ownerId }),
    ]);
    // The add never held the row, so the owner was never told.
    expect((await ownerNotifications(ownerId)).notifications).toHaveLength(0);
  });

  it("a newer add revives a removed behaviour", async () => {
    const [userId, targetId] = [freshId(), freshId("post")];
    const remove = event({ userId, targetId, action: "remove", occurredAt: T0 + 1000 });
    const add = event({ userId, targetId, occurredAt: T0 + 2000 });

    await consume([message([add]), message([remove])]);

    expect(await storedBehaviours(userId)).toEqual([expect.objectContaining({ active: 1, event_id: add.eventId })]);
  });

  it("breaks a same-millisecond tie by event id, and a full tie in favour of remove", async () => {
    const [userId, targetId] = [freshId(), freshId("post")];
    const [lowId, highId] = [newId(), newId()];
    const removeLow = event({ userId, targetId, type: "follow", action: "remove", occurredAt: T0, eventId: lowId });
    const addHigh = event({ userId, targetId, type: "follow", occurredAt: T0, eventId: highId });
    const addSame = event({ userId, targetId, type: "share", occurredAt: T0, eventId: lowId });
    const removeSame = event({ userId, targetId, type: "share", action: "remove", occurredAt: T0, eventId: lowId });

    await consume([message([addHigh, removeSame])]);
    await consume([message([removeLow, addSame])]);

    const rows = await storedBehaviours(userId);
    expect(rows.map((r) => [r.type, r.active, r.event_id])).toEqual([
      ["follow", 1, highId],
      ["share", 0, lowId],
    ]);
  });
});

/** Deterministic PRNG (mulberry32), so a failing order can be reproduced from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Splits `items` into consecutive runs of 1..max items. */
function split<T>(items: T[], max: number, rand: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}

describe("the same events in many random orders", () => {
  it("always yield the same rows", async () => {
    const rand = random(20261101);
    // A small space of keys and times so that conflicts and same-millisecond ties are common.
    const actors = ["ann", "bob", "cy"];
    const targets = ["p1", "p2"];
    const owners: Record<string, string> = { p1: "olga", p2: "oscar" };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const eventIds = Array.from({ length: 4 }, () => newId());
    const template: BehaviourEvent[] = Array.from({ length: 60 }, () => {
      const targetId = pick(targets);
      return {
        eventId: pick(eventIds),
        userId: pick(actors),
        targetId,
        type: pick(["like", "follow"] as const),
        action: pick(["add", "remove"] as const),
        occurredAt: T0 + 1000 * Math.floor(rand() * 4),
        targetOwnerId: rand() < 0.5 ? owners[targetId]! : null,
      };
    });
    const withRepeats = [...template, ...template.filter(() => rand() < 0.3)];

    const finalStates: string[] = [];
    for (let run = 0; run < 12; run++) {
      // Each run writes its own copy of the world, under ids unique to the run.
      const ns = freshId("run");
      const local = (id: string) => `${ns}_${id}`;
      const events = shuffle(withRepeats, rand).map((e) => ({
        ...e,
        userId: local(e.userId),
        targetId: local(e.targetId),
        targetOwnerId: e.targetOwnerId && local(e.targetOwnerId),
      }));
      for (const batch of split(events, 25, rand)) {
        const result = await consume(split(batch, 6, rand).map((chunk) => message(chunk)));
        expect(result.ackAll).toBe(true);
      }
      const rows = await storedBehaviours(...actors.map(local));
      finalStates.push(
        JSON.stringify(
          rows.map((r) => [r.user_id, r.target_id, r.type, r.active, r.occurred_at, r.event_id, r.target_owner_id].map((v) => (typeof v === "string" ? v.replace(`${ns}_`, "") : v))),
        ),
      );
    }

    // Independent reference: per key, the event greatest by (occurredAt, eventId, remove-over-add),
    // and the owner that any event of the key named.
    const expected = new Map<string, (string | number | null)[]>();
    for (const e of [...template].sort((a, b) => a.occurredAt - b.occurredAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.action === b.action ? 0 : a.action === "add" ? -1 : 1))) {
      const key = [e.userId, e.targetId, e.type].join("|");
      const owner = template.find((o) => [o.userId, o.targetId, o.type].join("|") === key && o.targetOwnerId)?.targetOwnerId ?? null;
      expected.set(key, [e.userId, e.targetId, e.type, e.action === "add" ? 1 : 0, e.occurredAt, e.eventId, owner]);
    }
    const reference = JSON.stringify([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row));

    expect(new Set(finalStates).size).toBe(1);
    expect(finalStates[0]).toBe(reference);
  });
});
