/**
 * Push subscription limits (docs/data-model.md#per-user-caps, issue 14): endpoints only at known push services over https
 * on port 443 (the suite's `PUSH_ENDPOINT_HOSTS` adds example hosts), and at most 20 per user —
 * the 21st is a 409 `conflict`, even when they race, while re-registering a held endpoint and
 * other users are unaffected.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, freshId, userToken } from "../../helpers";
import { appFetch, bindingsWith, expectProblem, pushSubscriptionJson } from "../../security-helpers";

const post = (token: string, endpoint: string) => api("/v1/me/push-subscriptions", { method: "POST", auth: token, json: pushSubscriptionJson(endpoint) });
const stored = async (userId: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = ?1`).bind(userId).first<{ n: number }>())!.n;
const fcm = () => `https://fcm.googleapis.com/fcm/send/${freshId("fcm")}`;

describe("push endpoints", () => {
  it("are accepted at each known push service", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    for (const endpoint of [
      fcm(),
      `https://updates.push.services.mozilla.com/wpush/v2/${freshId()}`,
      `https://web.push.apple.com/${freshId()}`,
      `https://wns2-by3p.notify.windows.com/w/?token=${freshId()}`,
    ]) {
      expect((await post(token, endpoint)).status, endpoint).toBe(201);
    }
    expect(await stored(userId)).toBe(4);
  });

  it("are refused elsewhere, on other ports and with userinfo, storing nothing", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    for (const endpoint of [
      "https://attacker.example.org/collect",
      "https://fcm.googleapis.com:8443/fcm/send/x",
      "https://fcm.googleapis.com.attacker.example.org/x",
      "https://user@fcm.googleapis.com/fcm/send/x",
      "https://169.254.169.254/latest/meta-data",
    ]) {
      const res = await post(token, endpoint);
      expect(res.status, endpoint).toBe(400);
      expect(await expectProblem(res), endpoint).toMatchObject({ code: "validation_failed", errors: [{ path: "endpoint" }] });
    }
    expect(await stored(userId)).toBe(0);
  });

  it("refuse an expirationTime past the last representable date with 400, storing nothing", async () => {
    // Found by test/integration/fuzz-http.test.ts: the row was stored, then rendering the date failed with a 500.
    const userId = freshId();
    const token = await userToken(userId);
    const res = await api("/v1/me/push-subscriptions", { method: "POST", auth: token, json: { ...pushSubscriptionJson(fcm()), expirationTime: 1e300 } });
    expect(res.status).toBe(400);
    expect(await expectProblem(res)).toMatchObject({ code: "validation_failed", errors: [{ path: "expirationTime" }] });
    expect(await stored(userId)).toBe(0);
  });

  it("take their extra hosts from PUSH_ENDPOINT_HOSTS only", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const withoutExtras = appFetch(bindingsWith({ PUSH_ENDPOINT_HOSTS: "" }));
    const res = await withoutExtras("/v1/me/push-subscriptions", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(pushSubscriptionJson(`https://push.example.com/${userId}`)),
    });
    expect(res.status).toBe(400);
    expect((await expectProblem(res)).detail).toMatch(/push\.example\.com is not a known push service/);
  });
});

describe("at most 20 push subscriptions per user", () => {
  it("refuses the 21st with 409, while re-registering one held and other users go on", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const endpoints = Array.from({ length: 20 }, fcm);
    for (const endpoint of endpoints) expect((await post(token, endpoint)).status).toBe(201);

    const refused = await post(token, fcm());
    expect(refused.status).toBe(409);
    const problem = await expectProblem(refused);
    expect(problem.code).toBe("conflict");
    expect(problem.detail).toMatch(/20 push subscriptions/);
    expect(await stored(userId)).toBe(20);

    // A browser renewing its keys is not a new subscription.
    expect((await post(token, endpoints[0]!)).status).toBe(200);
    // Another user is not counted against this one.
    expect((await post(await userToken(freshId()), fcm())).status).toBe(201);
    // Removing one makes room for one.
    expect((await api("/v1/me/push-subscriptions", { method: "DELETE", auth: token, json: { endpoint: endpoints[5] } })).status).toBe(204);
    expect((await post(token, fcm())).status).toBe(201);
    expect((await post(token, fcm())).status).toBe(409);
    expect(await stored(userId)).toBe(20);
  });

  it("holds when 30 registrations race", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => post(token, fcm())))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    expect(await stored(userId)).toBe(20);
  });
});
