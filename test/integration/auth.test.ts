/**
 * Authentication (docs/api.md#authentication): API keys for server routes, user tokens only for /v1/me/* of their
 * own user, 503 when nothing is configured — never open.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { Bindings } from "../../src/env";
import { api, BASE, freshId, userToken } from "../helpers";

const JWT_SECRET = (env as unknown as Bindings).JWT_SECRET!;

async function code(res: Response) {
  return ((await res.json()) as { code: string }).code;
}

describe("API keys", () => {
  it("needs a bearer credential", async () => {
    const res = await api("/v1/users/x/notifications", { auth: null });
    expect(res.status).toBe(401);
    expect(await code(res)).toBe("unauthorized");
  });

  it("refuses an unknown key", async () => {
    const res = await api("/v1/users/x/notifications", { auth: "wrong-key" });
    expect(res.status).toBe(401);
  });

  it("accepts every configured key", async () => {
    expect((await api("/v1/users/x/notifications", { auth: "test-key-1" })).status).toBe(200);
    expect((await api("/v1/users/x/notifications", { auth: "test-key-2" })).status).toBe(200);
  });

  it("answers 503 not_configured when no key is configured, even to a would-be key", async () => {
    const app = createApp();
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/v1/users/x/notifications`, { headers: { authorization: "Bearer test-key-1" } }), { ...env, API_KEYS: " , " }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await code(res)).toBe("not_configured");
  });
});

describe("user tokens", () => {
  it("mints a token that expires within the asked ttl", async () => {
    const res = await api(`/v1/users/${freshId()}/tokens`, { method: "POST", json: { ttlSeconds: 600 } });
    expect(res.status).toBe(201);
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: string };
    expect(token.split(".")).toHaveLength(3);
    const left = Date.parse(expiresAt) - Date.now();
    expect(left).toBeGreaterThan(590_000);
    expect(left).toBeLessThanOrEqual(600_000);
  });

  it("refuses a ttl over 24 hours", async () => {
    const res = await api(`/v1/users/${freshId()}/tokens`, { method: "POST", json: { ttlSeconds: 86_401 } });
    expect(res.status).toBe(400);
    expect(await code(res)).toBe("validation_failed");
  });

  it("reaches only its own /v1/me routes", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    expect((await api("/v1/me/notifications", { auth: token })).status).toBe(200);
    const admin = await api(`/v1/users/${userId}/notifications`, { auth: token });
    expect(admin.status).toBe(403);
    expect(await code(admin)).toBe("forbidden");
    const send = await api("/v1/notifications", { method: "POST", auth: token, json: { userId, title: "self" } });
    expect(send.status).toBe(403);
  });

  it("cannot read another user's inbox item", async () => {
    const alice = freshId("alice");
    const bob = freshId("bob");
    const res = await api("/v1/notifications", { method: "POST", json: { userId: alice, title: "for alice" } });
    const { id } = (await res.json()) as { id: string };
    const bobToken = await userToken(bob);
    const read = await api(`/v1/me/notifications/${id}/read`, { method: "POST", auth: bobToken });
    expect(read.status).toBe(404);
  });

  it("is refused on /v1/me when expired, forged or too long-lived", async () => {
    const userId = freshId();
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: userId, iat: now - 120, exp: now - 60 }, JWT_SECRET, "HS256");
    const forged = await sign({ sub: userId, iat: now, exp: now + 60 }, "another-secret", "HS256");
    const tooLong = await sign({ sub: userId, iat: now, exp: now + 86_400 * 2 }, JWT_SECRET, "HS256");
    const noExp = await sign({ sub: userId, iat: now }, JWT_SECRET, "HS256");
    for (const token of [expired, forged, tooLong, noExp]) {
      const res = await api("/v1/me/notifications", { auth: token });
      expect(res.status).toBe(401);
      expect(await code(res)).toBe("unauthorized");
    }
  });

  it("an API key does not reach /v1/me", async () => {
    const res = await api("/v1/me/notifications");
    expect(res.status).toBe(403);
  });

  it("refuses the WebSocket without a valid token", async () => {
    const res = await api("/v1/me/connect?token=nope.nope.nope", { auth: null, headers: { upgrade: "websocket" } });
    expect(res.status).toBe(401);
  });
});
