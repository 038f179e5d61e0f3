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

  /** Runs `numRuns` random sequences; @returns the steps taken and the most unread items seen. */
  async function runSequences(numRuns: number): Promise<{ steps: number; mostUnread: number }> {
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
            case "alarm": {
              // The alarm's purge leaves no item past its time: those with a removal time of their
              // own along `inbox_purge`, the others in `seq` order (src/inbox/items.ts `purgeDue`).
              const left = await runInDurableObject(stub, async (instance: UserInbox) => {
                const before = Date.now();
                await instance.alarm();
                const sql = (instance as unknown as { sql: SqlStorage }).sql;
                return sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox WHERE purge_at <= ?1`, before).one().n;
              });
              expect(left, "items past their purge_at after the alarm").toBe(0);
              break;
            }
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
      { numRuns },
    );
    return { steps, mostUnread };
  }

  it("equal a fresh count after every step of random sequences", async () => {
    const { steps, mostUnread } = await runSequences(60);
    // The sequences were long enough to fill the inbox past the cap.
    expect(steps).toBeGreaterThan(200);
    expect(mostUnread).toBeGreaterThanOrEqual(MAX_ITEMS);
  }, 120_000);

  it("drop unread items whose retention ends with no write, counted before any item had a removal time of its own", async () => {
    vars.INBOX_RETENTION_DAYS = String(60_000 / 86_400_000);
    try {
      const userId = freshId();
      const stub = inboxOf(env as unknown as Bindings, userId);
      const now = Date.now();
      const item = (id: string) => ({ id, title: "t", body: "b", data: null, priority: "normal" as const, createdAt: now, expiresAt: null });
      await stub.deliver(userId, [item(freshId("n")), item(freshId("n"))]);
      // Counted now, and read again two minutes on — past the items' retention, before any alarm
      // could run: the kept counts must know the items leave then.
      const counts = await runInDurableObject(stub, (instance: UserInbox) => {
        const inbox = instance as unknown as { sql: SqlStorage; countCache: FeedCountCache };
        const at = (t: number) => ({ kept: inbox.countCache.get(t), fresh: feedCounts(inbox.sql, t) });
        const later = Date.now() + 120_000;
        return [at(Date.now()), at(later)].map(({ kept, fresh }) => ({ kept, fresh: { unread: fresh.unread, unseen: fresh.unseen } }));
      });
      expect(counts).toEqual([
        { kept: { unread: 2, unseen: 2 }, fresh: { unread: 2, unseen: 2 } },
        { kept: { unread: 0, unseen: 0 }, fresh: { unread: 0, unseen: 0 } },
      ]);
    } finally {
      delete vars.INBOX_RETENTION_DAYS;
    }
  });

  it("equal a fresh count, and the alarm leaves nothing past its time, when items' retention ends within the run", async () => {
    // Unread items leave 250 ms after arriving, read or archived ones 60 ms after: most unread
    // items leave by the walk in `seq` order, past read, expiring and recalled ones before them.
    vars.INBOX_RETENTION_DAYS = String(250 / 86_400_000);
    vars.INBOX_READ_RETENTION_DAYS = String(60 / 86_400_000);
    try {
      const { steps } = await runSequences(40);
      expect(steps).toBeGreaterThan(150);
    } finally {
      delete vars.INBOX_RETENTION_DAYS;
      delete vars.INBOX_READ_RETENTION_DAYS;
    }
  }, 120_000);
});
