/**
 * The feed's counts are exact (docs/api.md#feed-counts): after every kind of change — seen frames,
 * per-item REST actions, bulk by ids and up to a seq, snoozes that end and that do not — the
 * counts, the default list and the unread filter match a model of the feed kept by the test:
 * archived and snoozed items are out of the feed and of every count.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxOf } from "../../src/inbox/user-inbox";
import { api as apiOnce, Device, freshId, userToken, waitFor } from "../helpers";

type Model = { id: string; seq: number; tags: string[]; seen: boolean; read: boolean; archived: boolean; snoozedUntil: number };
type Counts = { unread: number; unseen: number; total: number; byTag: Record<string, { unread: number; unseen: number; total: number }> };

const TAGS = ["billing", "social", "ops"];

/** A small deterministic generator (LCG), so a failure reproduces. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s % n;
  };
}

function expected(items: Model[], now: number): Counts {
  const counts: Counts = { unread: 0, unseen: 0, total: 0, byTag: {} };
  for (const item of items) {
    if (item.archived || item.snoozedUntil > now) continue;
    const add = (c: { unread: number; unseen: number; total: number }) => {
      c.total++;
      if (!item.read) c.unread++;
      if (!item.seen) c.unseen++;
    };
    add(counts);
    for (const tag of item.tags) add((counts.byTag[tag] ??= { unread: 0, unseen: 0, total: 0 }));
  }
  counts.byTag = Object.fromEntries(Object.entries(counts.byTag).sort(([a], [b]) => (a < b ? -1 : 1)));
  return counts;
}

describe("feed counts", () => {
  it("stay exact through a mix of every action", { timeout: 120_000 }, async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const pick = random(18);
    const now = Date.now();
    const items: Model[] = Array.from({ length: 40 }, (_, i) => ({
      id: `${userId}_n${String(i).padStart(2, "0")}`,
      seq: i + 1,
      tags: TAGS.filter(() => pick(2) === 0),
      seen: false,
      read: false,
      archived: false,
      snoozedUntil: 0,
    }));
    await inboxOf(env, userId).deliver(
      userId,
      items.map((m) => ({ id: m.id, title: "t", body: null, data: null, priority: "normal" as const, createdAt: now, expiresAt: null, tags: m.tags })),
    );
    const device = await Device.connect(token, 40);
    await device.next("hello");
    // ~4 user requests a step, over 60 steps: past the per-user limit of 100 per 10 s
    // (docs/api.md#rate-limits) when the machine is fast, so wait out a 429 as a client must.
    const api = async (path: string, init: Parameters<typeof apiOnce>[1] = {}): Promise<Response> => {
      for (;;) {
        const res = await apiOnce(path, init);
        if (res.status !== 429) return res;
        await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
      }
    };
    const post = async (path: string, json?: unknown) => {
      const res = await api(`/v1/me/notifications${path}`, { method: "POST", auth: token, ...(json === undefined ? {} : { json }) });
      expect(res.status, path).toBe(200);
    };
    const read = async <T>(path: string, step: string): Promise<T> => {
      const res = await api(path, { auth: token });
      expect(res.status, `${step}: GET ${path}`).toBe(200);
      return (await res.json()) as T;
    };
    const check = async (step: string) => {
      const counts = await read<Counts>("/v1/me/notifications/counts", step);
      const model = expected(items, Date.now());
      expect(counts, step).toEqual(model);
      const listed = await read<{ items: { id: string }[]; unreadCount: number }>("/v1/me/notifications?limit=200", step);
      const inFeed = items.filter((m) => !m.archived && m.snoozedUntil <= Date.now());
      expect(listed.items.map((i) => i.id), step).toEqual(inFeed.map((m) => m.id).reverse());
      expect(listed.unreadCount, step).toBe(model.unread);
      const unread = await read<{ items: { id: string }[] }>("/v1/me/notifications?limit=200&unread=true", step);
      expect(unread.items.length, step).toBe(model.unread);
      // Ack what arrived, so the device's window never fills up.
      const seqs = device.frames.flatMap((f) => (f.seq === undefined ? [] : [f.seq]));
      if (seqs.length > 0) device.send({ type: "ack", seq: Math.max(...seqs) });
    };
    await check("start");

    const flags = { seen: ["seen", true], read: ["read", true], unread: ["read", false], archive: ["archived", true], unarchive: ["archived", false] } as const;
    for (let step = 0; step < 60; step++) {
      const kind = pick(6);
      const action = (["seen", "read", "unread", "archive", "unarchive"] as const)[pick(5)]!;
      const [field, value] = flags[action];
      if (kind === 0) {
        // A `seen` frame from a device.
        const chosen = [items[pick(40)]!, items[pick(40)]!];
        device.send({ type: "seen", ids: chosen.map((m) => m.id) });
        for (const m of chosen) m.seen = true;
        await waitFor(async () => ((await (await api("/v1/me/notifications/counts", { auth: token })).json()) as Counts).unseen === expected(items, Date.now()).unseen, { what: "seen applied" });
      } else if (kind === 1 || kind === 2) {
        const m = items[pick(40)]!;
        await post(action === "read" ? `/${m.id}/read` : `/${m.id}/${action}`);
        m[field] = value;
      } else if (kind === 3) {
        const chosen = Array.from({ length: 1 + pick(8) }, () => items[pick(40)]!);
        await post("/bulk", { action, ids: chosen.map((m) => m.id) });
        for (const m of chosen) m[field] = value;
      } else if (kind === 4) {
        const upToSeq = 1 + pick(40);
        await post("/bulk", { action, upToSeq });
        for (const m of items.filter((i) => i.seq <= upToSeq)) m[field] = value;
      } else {
        const m = items[pick(40)]!;
        const until = Date.now() + 86_400_000;
        await post(`/${m.id}/snooze`, { until: new Date(until).toISOString() });
        m.snoozedUntil = until;
      }
      await check(`step ${step}: kind ${kind} ${action}`);
    }

    // A snooze that ends comes back into every count.
    const waking = items.find((m) => m.snoozedUntil === 0 && !m.archived)!;
    const until = Date.now() + 700;
    await post("/bulk", { action: "snooze", ids: [waking.id], until: new Date(until).toISOString() });
    waking.snoozedUntil = until;
    await check("snoozed briefly");
    await waitFor(async () => (await device.quiet(50, "state")).some((f) => f.id === waking.id && f.snoozedUntil === null), { what: "snooze ended", timeoutMs: 10_000 });
    await check("snooze ended");
    const hello = await Device.connect(token, 0);
    expect(await hello.next("hello")).toMatchObject({ unreadCount: expected(items, Date.now()).unread });
    hello.close();
    device.close();
  });
});
