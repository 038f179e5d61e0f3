/**
 * Expiry and retention (docs/api.md#notifications `ttlSeconds`, docs/data-model.md#userinbox-storage "keeps items until read or expired"): an expired
 * item is never sent or replayed and ends `expired` in D1; the inbox's alarm removes expired items
 * at their expiry, every item 30 days after it arrived and a read one 7 days after it was read
 * (docs/data-model.md#retention) — no scan on requests.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { RETENTION_MS } from "../../src/inbox/schema";

/** The default read retention (src/inbox/limits.ts: `INBOX_READ_RETENTION_DAYS` = 7). */
const READ_RETENTION_MS = 7 * 86_400_000;
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";
import { inAppStatuses } from "../inbox-helpers";

/** Rows the inbox still stores (live or not), straight from its SQLite. */
async function storedIds(userId: string): Promise<string[]> {
  return runInDurableObject(inboxOf(env, userId), (_instance, state) =>
    state.storage.sql
      .exec<{ id: string }>(`SELECT id FROM inbox ORDER BY seq`)
      .toArray()
      .map((r) => r.id),
  );
}

describe("expiry", () => {
  it("never replays an expired item, removes it at its expiry and ends it expired in D1", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const shortLived = await sendNotification(userId, { title: "flash sale", ttlSeconds: 1 });
    const lasting = await sendNotification(userId, { title: "receipt" });
    await waitFor(async () => (await storedIds(userId)).length === 2, { what: "both in the inbox" });
    const alarm = await runInDurableObject(inboxOf(env, userId), (_i, state) => state.storage.getAlarm());
    const view = (await (await api(`/v1/notifications/${shortLived}`)).json()) as { expiresAt: string };
    expect(alarm).toBeLessThanOrEqual(Date.parse(view.expiresAt));

    // The alarm fires at the expiry by itself: the row goes and D1 learns `expired`.
    await waitFor(async () => (await inAppStatuses([shortLived])).get(shortLived) === "expired", { what: "expired in D1", timeoutMs: 8000 });
    expect(await storedIds(userId)).toEqual([lasting]);

    const device = await Device.connect(token, 0);
    expect(await device.next("hello")).toMatchObject({ unreadCount: 1 });
    expect((await device.take(1)).map((f) => (f.notification as { id: string }).id)).toEqual([lasting]);
    expect(await device.quiet(200)).toEqual([]);
    device.close();
  });

  it("does not replay an item a device was sent but never acked once it expired", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const device = await Device.connect(token);
    await device.next("hello");
    const id = await sendNotification(userId, { ttlSeconds: 1 });
    await device.next("notification");
    device.close();
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "expired", { what: "expired in D1", timeoutMs: 8000 });

    const again = await Device.connect(token);
    expect(await again.next("hello")).toMatchObject({ unreadCount: 0 });
    expect(await again.quiet(300)).toEqual([]);
    again.close();
  });

  it("keeps unread items 30 days after arrival and read ones 7 days after reading, then removes them; D1 keeps read, unreceived ones expire", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const read = await sendNotification(userId, { title: "read" });
    const unread = await sendNotification(userId, { title: "never opened" });
    await waitFor(async () => (await storedIds(userId)).length === 2, { what: "both in the inbox" });
    await api(`/v1/me/notifications/${read}/read`, { method: "POST", auth: token });
    await waitFor(async () => (await inAppStatuses([read])).get(read) === "read", { what: "read in D1" });

    const inbox = inboxOf(env, userId);
    const { purgeAt, alarm } = await runInDurableObject(inbox, async (_i, state) => ({
      purgeAt: new Map(state.storage.sql.exec<{ id: string; p: number }>(`SELECT id, purge_at AS p FROM inbox ORDER BY seq`).toArray().map((r) => [r.id, r.p])),
      alarm: await state.storage.getAlarm(),
    }));
    expect(Math.abs(purgeAt.get(unread)! - (Date.now() + RETENTION_MS))).toBeLessThan(60_000);
    expect(Math.abs(purgeAt.get(read)! - (Date.now() + READ_RETENTION_MS))).toBeLessThan(60_000);
    // Scheduled no later than the first removal (earlier while a mirror retry is pending).
    expect(alarm).toBeLessThanOrEqual(Math.min(...purgeAt.values()));

    // Seven days on: the read one goes, the unread one stays.
    await runInDurableObject(inbox, (_i, state) => void state.storage.sql.exec(`UPDATE inbox SET purge_at = purge_at - ?1`, READ_RETENTION_MS));
    expect(await runDurableObjectAlarm(inbox)).toBe(true);
    expect(await storedIds(userId)).toEqual([unread]);

    // Thirty days on: as if it had arrived that long ago, the alarm removes the unread one too.
    await runInDurableObject(inbox, (_i, state) => void state.storage.sql.exec(`UPDATE inbox SET purge_at = purge_at - ?1`, RETENTION_MS - READ_RETENTION_MS));
    expect(await runDurableObjectAlarm(inbox)).toBe(true);
    expect(await storedIds(userId)).toEqual([]);
    await waitFor(async () => (await inAppStatuses([unread])).get(unread) === "expired", { what: "unread one expired in D1" });
    expect((await inAppStatuses([read])).get(read)).toBe("read");
  });
});
