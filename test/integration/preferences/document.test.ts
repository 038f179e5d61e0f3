/**
 * The preference document (docs/api.md#preferences): effective document over workspace defaults,
 * RFC 7396 merge patches with versions and `If-Match`, no lost update under concurrency, and bad
 * input refused with nothing stored.
 */
import { describe, expect, it } from "vitest";
import { api, freshId, userToken } from "../../helpers";

interface Prefs {
  channels: Record<string, boolean>;
  categories: Record<string, { enabled?: boolean; channels?: Record<string, boolean> }>;
  quietHours: { start: string; end: string; timezone?: string } | null;
  version: number;
  updatedAt: string | null;
}

const patch = (userId: string, body: unknown, headers: Record<string, string> = {}) =>
  api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: body, headers: { "content-type": "application/merge-patch+json", ...headers } });
const read = async (userId: string) => (await (await api(`/v1/users/${userId}/preferences`)).json()) as Prefs;

describe("preference document", () => {
  it("starts with everything on at version 0", async () => {
    const res = await api(`/v1/users/${freshId()}/preferences`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ channels: { in_app: true, email: true, sms: true, push: true }, categories: {}, quietHours: null, unsubscribed: {}, version: 0, updatedAt: null });
  });

  it("merges patches (null removes), grows the version and answers the whole document", async () => {
    const userId = freshId();
    const first = await patch(userId, { channels: { sms: false }, categories: { news: { enabled: false }, billing: { channels: { email: false } } } });
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"1"');
    const one = (await first.json()) as Prefs;
    expect(one).toMatchObject({ channels: { in_app: true, email: true, sms: false, push: true }, categories: { news: { enabled: false }, billing: { channels: { email: false } } }, version: 1 });
    const second = (await (await patch(userId, { categories: { news: null, billing: { channels: { push: false } } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" } })).json()) as Prefs;
    expect(second).toMatchObject({ categories: { billing: { channels: { email: false, push: false } } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" }, version: 2 });
    expect(second.categories.news).toBeUndefined();
    expect(await read(userId)).toEqual(second);
  });

  it("takes plain application/json too, and the user's own route with a user token", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const res = await api("/v1/me/preferences", { method: "PATCH", auth: token, json: { channels: { push: false } } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Prefs).channels.push).toBe(false);
    const mine = (await (await api("/v1/me/preferences", { auth: token })).json()) as Prefs;
    expect(mine).toMatchObject({ channels: { push: false }, version: 1 });
    expect((await api("/v1/me/preferences", { auth: token, method: "PATCH", json: {}, headers: { "if-match": '"0"' } })).status).toBe(412);
  });

  it("falls back to the workspace defaults for members the user has not set", async () => {
    const category = `wd_${crypto.randomUUID().slice(0, 8)}`;
    // The defaults are workspace-wide: restored afterwards so other tests see everything on.
    const put = await api("/v1/preferences/defaults", { method: "PUT", json: { channels: { sms: false }, categories: { [category]: { enabled: false } } } });
    try {
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ channels: { sms: false, email: true }, categories: { [category]: { enabled: false } } });
      const userId = freshId();
      expect(await read(userId)).toMatchObject({ channels: { sms: false }, categories: { [category]: { enabled: false } } });
      await patch(userId, { channels: { sms: true }, categories: { [category]: { enabled: true } } });
      expect(await read(userId)).toMatchObject({ channels: { sms: true }, categories: { [category]: { enabled: true } } });
      expect((await api("/v1/preferences/defaults", { method: "PUT", json: { channels: { fax: true } } })).status).toBe(400);
    } finally {
      expect((await api("/v1/preferences/defaults", { method: "PUT", json: {} })).status).toBe(200);
    }
  });

  it("answers 412 precondition_failed for a stale If-Match and stores nothing", async () => {
    const userId = freshId();
    await patch(userId, { channels: { email: false } });
    const stale = await patch(userId, { channels: { sms: false } }, { "if-match": "0" });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { code: string }).code).toBe("precondition_failed");
    expect(await read(userId)).toMatchObject({ channels: { sms: true }, version: 1 });
    const fresh = await patch(userId, { channels: { sms: false } }, { "if-match": '"1"' });
    expect(fresh.status).toBe(200);
    expect(((await fresh.json()) as Prefs).version).toBe(2);
  });

  it("keeps both of two concurrent patches to different categories (no lost update)", async () => {
    const userId = freshId();
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const answers = await Promise.all(names.map((name) => patch(userId, { categories: { [name]: { enabled: false } } })));
    expect(answers.map((r) => r.status)).toEqual(names.map(() => 200));
    const final = await read(userId);
    expect(Object.keys(final.categories).sort()).toEqual([...names].sort());
    expect(final.version).toBe(names.length);
  });

  it("refuses bad input with validation_failed naming the field, storing nothing", async () => {
    const userId = freshId();
    const cases: [unknown, string][] = [
      [{ channels: { fax: false } }, "channels"],
      [{ categories: { "Bad Name": { enabled: false } } }, "categories"],
      [{ categories: { news: { channels: { pigeon: false } } } }, "categories.news.channels"],
      [{ quietHours: { start: "24:00", end: "07:00" } }, "quietHours.start"],
      [{ quietHours: { start: "22:00", end: "7:00" } }, "quietHours.end"],
      [{ quietHours: { start: "22:00", end: "07:00", timezone: "Mars/Olympus" } }, "quietHours.timezone"],
      [{ categories: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, { enabled: false }])) }, "categories"],
      [{ categories: { big: { enabled: false } }, padding: "x".repeat(17 * 1024) }, ""],
    ];
    for (const [body, path] of cases) {
      const res = await patch(userId, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const problem = (await res.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.map((e) => e.path).some((p) => p.startsWith(path))).toBe(true);
    }
    expect(await read(userId)).toMatchObject({ categories: {}, version: 0 });
  });

  it("refuses a patch that would take the document past 200 categories, storing nothing", async () => {
    const userId = freshId();
    const many = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, { enabled: false }]));
    expect((await patch(userId, { categories: many(0, 150) })).status).toBe(200);
    const over = await patch(userId, { categories: many(150, 60) });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("categories");
    const after = await read(userId);
    expect(Object.keys(after.categories)).toHaveLength(150);
    expect(after.version).toBe(1);
  });
});

describe("bulk preference patch", () => {
  it("answers a result per item, in order, and applies only the valid ones", async () => {
    const [a, b, c] = [freshId(), freshId(), freshId()];
    const res = await api("/v1/preferences/bulk", {
      method: "POST",
      json: {
        items: [
          { userId: a, patch: { categories: { news: { enabled: false } } } },
          { userId: b, patch: { channels: { fax: true } } },
          { userId: c, patch: { channels: { email: false } } },
          { userId: a, patch: { channels: { sms: false } } },
          { patch: {} },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { index: number; status: string; version: number | null; error?: { errors?: { path: string }[] } }[]; summary: Record<string, number> };
    expect(body.results.map((r) => [r.index, r.status, r.version])).toEqual([
      [0, "updated", 1],
      [1, "invalid", null],
      [2, "updated", 1],
      [3, "invalid", null],
      [4, "invalid", null],
    ]);
    expect(body.results[1]!.error!.errors!.map((e) => e.path)).toContain("patch.channels");
    expect(body.summary).toEqual({ updated: 2, invalid: 3, failed: 0 });
    expect(await read(a)).toMatchObject({ categories: { news: { enabled: false } }, channels: { sms: true }, version: 1 });
    expect(await read(b)).toMatchObject({ version: 0 });
    expect(await read(c)).toMatchObject({ channels: { email: false }, version: 1 });
  });

  it("takes 1,000 items and refuses 1,001", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ userId: freshId(), patch: { categories: { [`c${i % 7}`]: { enabled: false } } } }));
    const res = await api("/v1/preferences/bulk", { method: "POST", json: { items } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { summary: { updated: number } }).summary.updated).toBe(1000);
    expect(await read(items[999]!.userId)).toMatchObject({ categories: { c5: { enabled: false } }, version: 1 });
    const tooMany = await api("/v1/preferences/bulk", { method: "POST", json: { items: [...items, items[0]] } });
    expect(tooMany.status).toBe(413);
  });
});
