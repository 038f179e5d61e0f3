/**
 * The inbox's unread and unseen counts kept between changes (src/inbox/count-cache.ts) equal a
 * fresh count over the rows after every step of random sequences: items stored (some expiring
 * within the run), read, seen, unread, archived, unarchived, snoozed (some snoozes ending within
 * the run), read up to a seq, recalled, edited, evicted by a small per-user cap, and the alarm's
 * purge and snooze ends — with real time passing between steps, so expiries and snooze ends
 * happen with no write. Both sides are read inside the object at one `now`.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeedCountCache } from "../../src/inbox/count-cache";
import { feedCounts } from "../../src/inbox/feed";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import type { Bindings } from "../../src/env";
import { freshId } from "../helpers";

/** A small cap, so runs evict read items (docs/data-model.md#per-user-caps). */
const MAX_ITEMS = 6;
const vars = env as unknown as Record<string, string | undefined>;

type Step =
  | { op: "deliver"; count: number; expiresInMs: number | null }
  | { op: "feed"; action: "seen" | "read" | "unread" | "archive" | "unarchive"; picks: number[] }
  | { op: "snooze"; picks: number[]; forMs: number }
  | { op: "readAll"; upTo: number }
  | { op: "recall"; picks: number[] }
  | { op: "edit"; pick: number }
  | { op: "alarm" }
  | { op: "wait"; ms: number };

const picks = fc.array(fc.nat(20), { minLength: 1, maxLength: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("deliver" as const), count: fc.integer({ min: 1, max: 3 }), expiresInMs: fc.option(fc.integer({ min: 20, max: 200 }), { freq: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("feed" as const), action: fc.constantFrom("seen" as const, "read" as const, "unread" as const, "archive" as const, "unarchive" as const), picks }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("snooze" as const), picks, forMs: fc.integer({ min: 20, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("readAll" as const), upTo: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("recall" as const), picks }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("edit" as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant({ op: "alarm" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 10, max: 120 }) }) },
);

/** The kept counts and a fresh count of the rows, both at one `now`, inside the object. */
async function bothCounts(stub: DurableObjectStub<UserInbox>) {
  return runInDurableObject(stub, (instance: UserInbox) => {
    const inbox = instance as unknown as { sql: SqlStorage; countCache: FeedCountCache };
    const now = Date.now();
    const fresh = feedCounts(inbox.sql, now);
    return { kept: inbox.countCache.get(now), fresh: { unread: fresh.unread, unseen: fresh.unseen } };
  });
}

describe("the inbox's kept counts", () => {
  beforeAll(() => {
    vars.INBOX_MAX_ITEMS = String(MAX_ITEMS);
  });
  afterAll(() => {
    delete vars.INBOX_MAX_ITEMS;
  });

  it("equal a fresh count after every step of random sequences", async () => {
    let steps = 0;
    let mostUnread = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (sequence) => {
        const userId = freshId();
        const stub = inboxOf(env as unknown as Bindings, userId);
        const ids: string[] = [];
        const idsOf = (picked: number[]) => picked.map((i) => ids[i % Math.max(ids.length, 1)] ?? `unknown-${i}`);
        for (const s of sequence) {
          const now = Date.now();
          switch (s.op) {
            case "deliver": {
              const items = Array.from({ length: s.count }, () => {
                const id = freshId("n");
                ids.push(id);
                return { id, title: "t", body: "b", data: null, priority: "normal" as const, createdAt: now, expiresAt: s.expiresInMs === null ? null : now + s.expiresInMs };
              });
              await stub.deliver(userId, items);
              break;
            }
            case "feed":
              await stub.changeFeed({ action: s.action }, { ids: idsOf(s.picks) });
              break;
            case "snooze":
              await stub.changeFeed({ action: "snooze", until: now + s.forMs }, { ids: idsOf(s.picks) });
              break;
            case "readAll":
              await stub.readAll(s.upTo);
              break;
            case "recall":
              await stub.recall(idsOf(s.picks));
              break;
            case "edit":
              await stub.edit(idsOf([s.pick])[0]!, { title: "edited", body: "b", data: null, version: 1 + steps });
              break;
            case "alarm":
              await runInDurableObject(stub, (instance: UserInbox) => instance.alarm());
              break;
            case "wait":
              await new Promise((resolve) => setTimeout(resolve, s.ms));
              break;
          }
          steps++;
          const { kept, fresh } = await bothCounts(stub);
          expect(kept, `after ${JSON.stringify(s)}`).toEqual(fresh);
          mostUnread = Math.max(mostUnread, kept.unread);
        }
      }),
      { numRuns: 60 },
    );
    // The sequences were long enough to fill the inbox past the cap.
    expect(steps).toBeGreaterThan(200);
    expect(mostUnread).toBeGreaterThanOrEqual(MAX_ITEMS);
  }, 120_000);
});
