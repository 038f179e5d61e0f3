/**
 * `POST /v1/behaviours/batch` (docs/api.md#limits, docs/api.md#behaviours): up to 1,000 events, packed many per queue message,
 * all applied; more is 413, any invalid event refuses the whole request and enqueues nothing.
 */
import { describe, expect, it } from "vitest";
import { freshId, waitFor } from "../helpers";
import { appWithRecordingQueue, storedBehaviours } from "../behaviour-helpers";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { code: string; errors?: { path: string; message: string }[] };
}

describe("POST /v1/behaviours/batch", () => {
  it("accepts 1,000 events packed into a few messages, and D1 ends in the last-writer-wins state", async () => {
    const users = Array.from({ length: 5 }, () => freshId());
    // 500 rows, each with an add and a later event: a remove for even targets, a repeated add for odd.
    const events = users.flatMap((userId) =>
      Array.from({ length: 100 }, (_, i) => [
        { userId, targetId: `t${i}`, type: "like", occurredAt: iso(T0 + i), eventId: `${userId}-${i}-a` },
        { userId, targetId: `t${i}`, type: "like", action: i % 2 === 0 ? "remove" : "add", occurredAt: iso(T0 + i + 1) },
      ]).flat(),
    );
    // Later events first in the request: order must not matter.
    events.reverse();
    const { sent, request } = appWithRecordingQueue();

    const res = await request("/v1/behaviours/batch", { events });

    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; eventIds: string[] };
    expect(body.accepted).toBe(1000);
    expect(body.eventIds).toHaveLength(1000);
    events.forEach((e, i) => {
      if (e.eventId) expect(body.eventIds[i]).toBe(e.eventId);
    });
    expect(new Set(body.eventIds).size).toBe(1000);
    expect(sent.length).toBeLessThanOrEqual(5);
    expect(sent.flatMap((m) => m.events.map((e) => e.eventId))).toEqual(body.eventIds);

    const rows = await waitFor(
      async () => {
        const stored = await storedBehaviours(...users);
        return stored.length === 500 && stored.every((r) => r.occurred_at === T0 + Number(r.target_id.slice(1)) + 1) && stored;
      },
      { timeoutMs: 15_000, what: "all 1,000 events to apply" },
    );
    expect(rows.filter((r) => r.active === 1)).toHaveLength(250);
    expect(rows.every((r) => r.active === (Number(r.target_id.slice(1)) % 2 === 0 ? 0 : 1))).toBe(true);
  });

  it("answers 413 payload_too_large for 1,001 events and enqueues nothing", async () => {
    const userId = freshId();
    const events = Array.from({ length: 1001 }, (_, i) => ({ userId, targetId: `t${i}`, type: "view" }));
    const { sent, request } = appWithRecordingQueue();

    const res = await request("/v1/behaviours/batch", { events });

    expect(res.status).toBe(413);
    expect((await problem(res)).code).toBe("payload_too_large");
    expect(sent).toHaveLength(0);
  });

  it("refuses the whole batch with 400 naming the invalid event's path, and enqueues nothing", async () => {
    const userId = freshId();
    const events = Array.from({ length: 10 }, (_, i) => ({ userId, targetId: `t${i}`, type: "like" }));
    events[3] = { ...events[3]!, type: "poke" };
    const withUnknownField = { ...events[7]!, mood: "happy" };
    const { sent, request } = appWithRecordingQueue();

    const res = await request("/v1/behaviours/batch", { events: [...events.slice(0, 7), withUnknownField, ...events.slice(8)] });

    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.code).toBe("validation_failed");
    expect(body.errors?.map((e) => e.path)).toEqual(["events.3.type", "events.7"]);
    expect(sent).toHaveLength(0);
  });

  it("refuses a batch holding an event from before 1970, which the consumer could not store", async () => {
    const userId = freshId();
    const events = Array.from({ length: 5 }, (_, i) => ({ userId, targetId: `t${i}`, type: "like", occurredAt: "2026-01-01T00:00:00Z" }));
    events[2] = { ...events[2]!, occurredAt: "1969-07-20T20:17:40Z" };
    const { sent, request } = appWithRecordingQueue();

    const res = await request("/v1/behaviours/batch", { events });

    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toEqual(["events.2.occurredAt"]);
    expect(sent).toHaveLength(0);
  });

  it("refuses an empty batch with 400", async () => {
    const { sent, request } = appWithRecordingQueue();
    const res = await request("/v1/behaviours/batch", { events: [] });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.path).toBe("events");
    expect(sent).toHaveLength(0);
  });
});
