/**
 * The feed at the per-user cap (docs/api.md#feed-counts): counts and filtered lists are counted
 * from the inbox on each request, bounded by `INBOX_MAX_ITEMS` (10,000). At that size they stay
 * exact and fast, and a bulk change of every item takes one seq per item and reaches a device.
 * Prints the times (run with `--silent=false`); the bounds are loose, for a shared 2-core machine.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf, type InboxItemInput } from "../../src/inbox/user-inbox";
import { api, Device, freshId, userToken } from "../helpers";

const N = 10_000;

async function timed<T>(what: string, run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  const ms = Math.round(performance.now() - start);
  console.info(JSON.stringify({ what, ms }));
  return [result, ms];
}

describe("feed at the item cap", () => {
  it("counts, filters and bulk-reads 10,000 items exactly", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const items: InboxItemInput[] = Array.from({ length: N }, (_, i) => ({
      id: `${userId}_${String(i).padStart(5, "0")}`,
      title: `t${i}`,
      body: null,
      data: null,
      priority: "normal",
      createdAt: Date.now(),
      expiresAt: null,
      // Every item is tagged `all`, every 10th `tenth`, only the first `rare`: a tag filter may walk the whole inbox.
      tags: ["all", ...(i % 10 === 0 ? ["tenth"] : []), ...(i === 0 ? ["rare"] : [])],
    }));
    for (let i = 0; i < N; i += 2000) await inboxOf(env, userId).deliver(userId, items.slice(i, i + 2000));

    const get = async (path: string) => (await api(path, { auth: token })).json();
    const [counts, countsMs] = await timed("counts of 10,000 items", () => get("/v1/me/notifications/counts"));
    expect(counts).toEqual({
      unread: N,
      unseen: N,
      total: N,
      byTag: { all: { unread: N, unseen: N, total: N }, rare: { unread: 1, unseen: 1, total: 1 }, tenth: { unread: N / 10, unseen: N / 10, total: N / 10 } },
    });
    const [rare, rareMs] = await timed("list ?tag=rare (walks 10,000 items)", () => get("/v1/me/notifications?tag=rare") as Promise<{ items: { id: string }[] }>);
    expect(rare.items.map((i) => i.id)).toEqual([items[0]!.id]);
    expect(countsMs).toBeLessThan(2000);
    expect(rareMs).toBeLessThan(2000);

    const device = await Device.connect(token, N);
    await device.next("hello");
    const [read, readMs] = await timed("bulk read of 10,000 items (10,000 state events)", async () =>
      (await api("/v1/me/notifications/bulk", { method: "POST", auth: token, json: { action: "read", upToSeq: N } })).json() as Promise<{ ids: string[]; unreadCount: number }>,
    );
    expect(read.ids).toHaveLength(N);
    expect(read.unreadCount).toBe(0);
    expect(readMs).toBeLessThan(5000);
    // The device's window (1,000) of state frames, in seq order right after the items.
    const frames = await device.take(1000, "state", 10_000);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => N + 1 + i));
    expect(await get("/v1/me/notifications/counts")).toMatchObject({ unread: 0, unseen: N, total: N });
    device.close();
  });
});
