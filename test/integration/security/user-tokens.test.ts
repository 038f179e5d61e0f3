/**
 * User tokens (docs/api.md#authentication, issue 14): HS256 only, with `typ` "user", this deployment's `aud`, `iat`
 * and `nbf` no more than a minute ahead, and `exp` at most 24 h after `iat`. Every other token is
 * refused with 401, on REST and on the WebSocket connect alike; a `JWT_SECRET` under 32 bytes
 * makes user-token routes answer 503 `not_configured`, while API-key routes carry on.
 */
import { env } from "cloudflare:workers";
import { decode, sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { api, API_KEY, freshId, userToken } from "../../helpers";
import { appFetch, bindingsWith, expectProblem } from "../../security-helpers";

const JWT_SECRET = (env as unknown as Bindings).JWT_SECRET!;
const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims a minted token carries, for `userId`, valid for ten minutes. */
const claims = (userId: string) => ({ sub: userId, typ: "user", aud: "herald", iat: nowSeconds(), exp: nowSeconds() + 600 });

/** An RS256 token: the algorithm a verifier that trusts the header's `alg` could be fooled with. */
async function rs256(payload: Record<string, unknown>): Promise<string> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  return sign(payload, pair.privateKey, "RS256");
}

/** Sends `token` to a user route and to the WebSocket connect; both answers. */
async function both(token: string): Promise<[Response, Response]> {
  return Promise.all([
    api("/v1/me/notifications", { auth: token }),
    api(`/v1/me/connect?token=${encodeURIComponent(token)}`, { auth: null, headers: { upgrade: "websocket" } }),
  ]);
}

describe("user tokens", () => {
  it("are minted with typ user and this deployment's audience, and accepted", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    expect(decode(token).payload).toMatchObject({ sub: userId, typ: "user", aud: "herald", iat: expect.any(Number), exp: expect.any(Number) });
    const [rest, socket] = await both(token);
    expect(rest.status).toBe(200);
    expect(socket.status).toBe(101);
    socket.webSocket!.accept();
    socket.webSocket!.close(1000, "done");
  });

  it("allow a minute of clock skew on iat and nbf", async () => {
    const userId = freshId();
    const token = await sign({ ...claims(userId), iat: nowSeconds() + 30, nbf: nowSeconds() + 30 }, JWT_SECRET, "HS256");
    expect((await api("/v1/me/notifications", { auth: token })).status).toBe(200);
  });

  it("refuse every other algorithm, claim set and lifetime with 401, on REST and the WebSocket", async () => {
    const userId = freshId();
    const good = claims(userId);
    const { typ: _typ, ...noTyp } = good;
    const { aud: _aud, ...noAud } = good;
    const { iat: _iat, ...noIat } = good;
    const variants: Record<string, string> = {
      "alg none": `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(good))}.`,
      HS512: await sign(good, JWT_SECRET, "HS512"),
      "RS256 (public-key confusion)": await rs256(good),
      "HS256 with another secret": await sign(good, `${JWT_SECRET}-other`, "HS256"),
      "nbf in the future": await sign({ ...good, nbf: nowSeconds() + 3600 }, JWT_SECRET, "HS256"),
      "iat past the skew": await sign({ ...good, iat: nowSeconds() + 120, exp: nowSeconds() + 600 }, JWT_SECRET, "HS256"),
      "no iat": await sign(noIat, JWT_SECRET, "HS256"),
      "no typ": await sign(noTyp, JWT_SECRET, "HS256"),
      "typ refresh": await sign({ ...good, typ: "refresh" }, JWT_SECRET, "HS256"),
      "no aud": await sign(noAud, JWT_SECRET, "HS256"),
      "aud of another deployment": await sign({ ...good, aud: "herald-staging" }, JWT_SECRET, "HS256"),
      "exp over 24 h after iat": await sign({ ...good, exp: good.iat + 86_401 }, JWT_SECRET, "HS256"),
      expired: await sign({ ...good, iat: nowSeconds() - 120, exp: nowSeconds() - 60 }, JWT_SECRET, "HS256"),
    };
    for (const [name, token] of Object.entries(variants)) {
      for (const res of await both(token)) {
        expect(res.status, `${name}: ${res.url}`).toBe(401);
        expect((await expectProblem(res)).code, name).toBe("unauthorized");
      }
    }
    // The same claims, properly signed, pass: each variant fails for its own reason.
    expect((await api("/v1/me/notifications", { auth: await sign(good, JWT_SECRET, "HS256") })).status).toBe(200);
  });
});

describe("a JWT_SECRET under 32 bytes", () => {
  const weak = "0123456789abcdef0123456789abcde"; // 31 bytes
  const fetchWeak = appFetch(bindingsWith({ JWT_SECRET: weak }));

  it("makes user-token routes and the WebSocket answer 503 not_configured, saying why", async () => {
    const token = await sign(claims(freshId()), weak, "HS256");
    const answers = [
      await fetchWeak("/v1/me/notifications", { headers: { authorization: `Bearer ${token}` } }),
      await fetchWeak(`/v1/me/connect?token=${token}`, { headers: { upgrade: "websocket" } }),
      await fetchWeak(`/v1/users/${freshId()}/tokens`, { method: "POST", headers: { authorization: `Bearer ${API_KEY}` } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(503);
      const problem = await expectProblem(res);
      expect(problem.code).toBe("not_configured");
      expect(problem.detail).toMatch(/JWT_SECRET is 31 bytes.*at least 32/);
    }
  });

  it("leaves API-key routes working", async () => {
    expect((await fetchWeak("/v1/topics", { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(200);
  });
});
