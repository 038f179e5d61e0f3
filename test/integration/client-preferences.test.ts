/**
 * HeraldClient's preference calls (packages/client; docs/api.md#preferences) against the real Worker:
 * read, merge-patch with the version, and a stale `ifMatch` refused as 412.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HeraldClient, HeraldRequestError } from "../../packages/client/src/index";
import { BASE, freshId, userToken } from "../helpers";

const clientFor = (token: string | (() => Promise<string>)) => new HeraldClient({ baseUrl: BASE, token, fetch: (url, init) => exports.default.fetch(new Request(url, init)) });

describe("HeraldClient preferences", () => {
  it("reads and updates the user's preferences, and refuses a stale ifMatch with 412", async () => {
    const userId = freshId();
    const client = clientFor(await userToken(userId));
    const first = await client.getPreferences();
    expect(first).toMatchObject({ channels: { in_app: true, email: true, sms: true, push: true }, categories: {}, version: 0 });

    const updated = await client.updatePreferences({ categories: { news: { enabled: false } }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin" } }, { ifMatch: first.version });
    expect(updated).toMatchObject({ categories: { news: { enabled: false } }, quietHours: { start: "22:00", end: "07:00" }, version: 1 });
    expect(await client.getPreferences()).toEqual(updated);

    const stale = await client.updatePreferences({ channels: { sms: false } }, { ifMatch: first.version }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(HeraldRequestError);
    expect(stale).toMatchObject({ status: 412, code: "precondition_failed" });
    const removed = await client.updatePreferences({ categories: { news: null }, quietHours: null });
    expect(removed).toMatchObject({ categories: {}, quietHours: null, version: 2 });
  });

  it("takes a token function and reports validation errors", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const client = clientFor(async () => token);
    const refused = await client.updatePreferences({ channels: { fax: true } } as never).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: "validation_failed" });
    expect((await client.getPreferences()).version).toBe(0);
  });
});
