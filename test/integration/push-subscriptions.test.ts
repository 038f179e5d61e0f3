/**
 * Web Push subscriptions (docs/api.md#inbox-over-rest): `POST`/`DELETE /v1/me/push-subscriptions` with a browser
 * `PushSubscription` JSON, stored per user for the push channel.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, freshId, userToken } from "../helpers";

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** A subscription as `PushSubscription.toJSON()` gives it: P-256 point 0x04‖X‖Y, 16-byte auth secret. */
function subscription(endpoint = `https://push.example.net/send/${freshId("ep")}`) {
  const point = crypto.getRandomValues(new Uint8Array(65));
  point[0] = 4;
  return { endpoint, expirationTime: null, keys: { p256dh: b64url(point), auth: b64url(crypto.getRandomValues(new Uint8Array(16))) } };
}

const post = (token: string, json: unknown) => api("/v1/me/push-subscriptions", { method: "POST", auth: token, json });
const remove = (token: string, json: unknown) => api("/v1/me/push-subscriptions", { method: "DELETE", auth: token, json });

async function listed(token: string): Promise<string[]> {
  const page = (await (await api("/v1/me/push-subscriptions", { auth: token })).json()) as { items: { endpoint: string }[] };
  return page.items.map((i) => i.endpoint);
}

describe("push subscriptions", () => {
  it("stores a browser subscription once per endpoint, lists it and removes it", async () => {
    const token = await userToken(freshId());
    const sub = subscription();
    const created = await post(token, { ...sub, expirationTime: 1_900_000_000_000 });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      endpoint: sub.endpoint,
      expirationTime: new Date(1_900_000_000_000).toISOString(),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // The browser re-subscribes with new keys: same row, keys replaced.
    const renewed = subscription(sub.endpoint);
    expect((await post(token, renewed)).status).toBe(200);
    const row = await env.DB.prepare(`SELECT p256dh, auth, expiration_time FROM push_subscriptions WHERE endpoint = ?1`).bind(sub.endpoint).first();
    expect(row).toEqual({ p256dh: renewed.keys.p256dh, auth: renewed.keys.auth, expiration_time: null });
    expect(await listed(token)).toEqual([sub.endpoint]);

    expect((await remove(token, { endpoint: sub.endpoint })).status).toBe(204);
    expect(await listed(token)).toEqual([]);
    expect((await remove(token, sub)).status).toBe(404);
  });

  it("moves an endpoint to the user who registered it last, and never removes another user's", async () => {
    const alice = await userToken(freshId());
    const bob = await userToken(freshId());
    const sub = subscription();
    expect((await post(alice, sub)).status).toBe(201);
    expect((await remove(bob, { endpoint: sub.endpoint })).status).toBe(404);
    expect((await post(bob, sub)).status).toBe(200);
    expect(await listed(alice)).toEqual([]);
    expect(await listed(bob)).toEqual([sub.endpoint]);
  });

  it("validates the subscription and takes only a user token", async () => {
    const token = await userToken(freshId());
    const good = subscription();
    const bad = [
      { ...good, endpoint: "http://push.example.net/x" },
      { ...good, endpoint: "not a url" },
      { ...good, keys: { ...good.keys, p256dh: b64url(new Uint8Array(32)) } },
      { ...good, keys: { ...good.keys, auth: "!!!" } },
      { ...good, keys: { p256dh: good.keys.p256dh } },
      { ...good, extra: true },
    ];
    for (const body of bad) {
      const res = await post(token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ path: expect.any(String) })] });
    }
    expect((await api("/v1/me/push-subscriptions", { method: "POST", json: good })).status).toBe(403);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await api("/openapi.json", { auth: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/me/push-subscriptions"]!).sort()).toEqual(["delete", "get", "post"]);
  });
});
