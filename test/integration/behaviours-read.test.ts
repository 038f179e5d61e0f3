/**
 * Reading behaviours (docs/api.md#pagination, docs/api.md#behaviours): a user's active behaviours, filtered by type and paginated
 * with an opaque cursor; a target's active counts per type, zeros included.
 */
import { describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../../src/behaviours/events";
import { api, freshId } from "../helpers";
import { consume, event, message } from "../behaviour-helpers";

const T0 = Date.parse("2026-01-01T00:00:00Z");

type Page = { items: { userId: string; targetId: string; type: string; occurredAt: string; targetOwnerId: string | null }[]; nextCursor: string | null };

async function get<T>(path: string): Promise<T> {
  const res = await api(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe("GET /v1/users/{userId}/behaviours", () => {
  it("lists active behaviours only, newest first, filtered by type", async () => {
    const [userId, ownerId] = [freshId(), freshId("owner")];
    const events: BehaviourEvent[] = [
      event({ userId, targetId: "a", occurredAt: T0 + 1000, targetOwnerId: ownerId }),
      event({ userId, targetId: "b", occurredAt: T0 + 3000 }),
      event({ userId, targetId: "c", occurredAt: T0 + 2000, type: "follow" }),
      event({ userId, targetId: "d", occurredAt: T0 + 4000 }),
      event({ userId, targetId: "d", occurredAt: T0 + 5000, action: "remove" }),
    ];
    await consume([message(events)]);

    const all = await get<Page>(`/v1/users/${userId}/behaviours`);
    expect(all).toEqual({
      items: [
        { userId, targetId: "b", type: "like", occurredAt: new Date(T0 + 3000).toISOString(), targetOwnerId: null },
        { userId, targetId: "c", type: "follow", occurredAt: new Date(T0 + 2000).toISOString(), targetOwnerId: null },
        { userId, targetId: "a", type: "like", occurredAt: new Date(T0 + 1000).toISOString(), targetOwnerId: ownerId },
      ],
      nextCursor: null,
    });
    const follows = await get<Page>(`/v1/users/${userId}/behaviours?type=follow`);
    expect(follows.items.map((i) => i.targetId)).toEqual(["c"]);
  });

  it("pages through every item exactly once with the cursor, ties included", async () => {
    const userId = freshId();
    // 7 behaviours, several in the same millisecond, so the cursor must order by more than time;
    // the first page ends on a non-ASCII target id, which the cursor must carry intact.
    const events = ["p", "q", "r", "s", "t帖子", "u", "v"].map((targetId, i) => event({ userId, targetId, occurredAt: T0 + Math.floor(i / 3) }));
    await consume([message(events)]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await get<Page>(`/v1/users/${userId}/behaviours?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.targetId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual(["v", "s", "t帖子", "u", "p", "q", "r"]);
  });

  it("refuses a forged cursor and a limit over 200 with 400", async () => {
    const userId = freshId();
    const badCursor = await api(`/v1/users/${userId}/behaviours?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(((await badCursor.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("cursor");
    expect((await api(`/v1/users/${userId}/behaviours?limit=201`)).status).toBe(400);
    expect((await api(`/v1/users/${userId}/behaviours?type=poke`)).status).toBe(400);
  });
});

describe("GET /v1/targets/{targetId}/behaviours/summary", () => {
  it("counts active behaviours per type, zeros included", async () => {
    const targetId = freshId("post");
    const [ann, bob, cy] = [freshId(), freshId(), freshId()];
    await consume([
      message([
        event({ userId: ann, targetId, occurredAt: T0 }),
        event({ userId: bob, targetId, occurredAt: T0 }),
        event({ userId: cy, targetId, occurredAt: T0 }),
        event({ userId: cy, targetId, occurredAt: T0 + 1, action: "remove" }),
        event({ userId: ann, targetId, type: "share", occurredAt: T0 }),
        event({ userId: ann, targetId, type: "share", occurredAt: T0 }),
        event({ userId: bob, targetId: freshId("other"), type: "comment", occurredAt: T0 }),
      ]),
    ]);

    expect(await get(`/v1/targets/${targetId}/behaviours/summary`)).toEqual({ like: 2, favorite: 0, follow: 0, share: 1, view: 0, comment: 0 });
    expect(await get(`/v1/targets/${freshId("nothing")}/behaviours/summary`)).toEqual({ like: 0, favorite: 0, follow: 0, share: 0, view: 0, comment: 0 });
  });
});
