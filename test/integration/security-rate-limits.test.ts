/**
 * Rate limits over HTTP (docs/api.md#rate-limits, issue 9): per API key on `/v1/*` and `/metrics`, per user on
 * `/v1/me/*` including WebSocket connects, answered 429 `rate_limited` with `Retry-After`, and
 * counted under hashed keys. The per-key limit is proven with a tiny limiter swapped in for
 * `API_KEY_RATE_LIMIT` (vitest.config.ts); the per-user limit with the real binding of
 * wrangler.toml (100 per 10 s), exhausted.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiKeyId } from "../../src/lib/auth";
import { RETRY_AFTER_SECONDS } from "../../src/http/rate-limit";
import { api, API_KEY, BASE, freshId, userToken } from "../helpers";
import { appFetch, bindingsWith, expectProblem } from "../security-helpers";

const tiny = (env as unknown as { TEST_TINY_RATE_LIMIT: RateLimit }).TEST_TINY_RATE_LIMIT;
/** TEST_TINY_RATE_LIMIT's limit (vitest.config.ts). */
const TINY_LIMIT = 3;
/** Both limiters count in 10 s windows. */
const PERIOD_MS = 10_000;
const USER_LIMIT = 100;

/**
 * Waits, if needed, until the current 10 s window has at least `needMs` left. The local
 * simulation aligns windows to the clock, so a test that starts early in one never sees its
 * counter reset halfway (production windows are not aligned; nothing here depends on it).
 */
async function earlyInWindow(needMs: number) {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

/** A limiter that records the keys it is asked about and forwards to `inner`. */
function recording(inner: RateLimit) {
  const keys: string[] = [];
  return { keys, limiter: { limit: (options: RateLimitOptions) => (keys.push(options.key), inner.limit(options)) } satisfies RateLimit };
}

const withKey = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe("per API key", () => {
  it("answers 429 rate_limited with Retry-After past the limit, per key, on /v1 and /metrics, counting a hash of the key", async () => {
    const { keys, limiter } = recording(tiny);
    const fetch = appFetch(bindingsWith({ API_KEY_RATE_LIMIT: limiter }));
    await earlyInWindow(6_000);

    const statuses: number[] = [];
    for (let i = 0; i < TINY_LIMIT; i++) statuses.push((await fetch("/v1/topics", withKey(API_KEY))).status);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await fetch("/v1/topics", withKey(API_KEY));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(limited.headers.get("x-request-id")).toBeTruthy();
    expect((await expectProblem(limited)).code).toBe("rate_limited");
    expect((await fetch("/metrics", withKey(API_KEY))).status).toBe(429);

    // The other key has its own counter.
    expect((await fetch("/v1/topics", withKey("test-key-2"))).status).toBe(200);

    expect(keys).toContain(`key:${await apiKeyId(API_KEY)}`);
    expect(keys.some((k) => k.includes(API_KEY) || k.includes("test-key-2"))).toBe(false);
  });

  it("never counts a request that failed authentication", async () => {
    const { keys, limiter } = recording(tiny);
    const fetch = appFetch(bindingsWith({ API_KEY_RATE_LIMIT: limiter }));
    expect((await fetch("/v1/topics", withKey("not-a-key"))).status).toBe(401);
    expect((await fetch("/v1/topics")).status).toBe(401);
    expect(keys).toEqual([]);
  });

  it("lets requests through, and logs it, when the limiter itself fails", async () => {
    const broken = { limit: () => Promise.reject(new Error("limiter unreachable")) } satisfies RateLimit;
    const fetch = appFetch(bindingsWith({ API_KEY_RATE_LIMIT: broken }));
    expect((await fetch("/v1/topics", withKey(API_KEY))).status).toBe(200);
  });
});

describe("per user", () => {
  it(`allows ${USER_LIMIT} requests per 10 s to one user's REST and WebSocket, then 429; other users and API keys are unaffected`, async () => {
    const alice = freshId("alice");
    const bob = freshId("bob");
    const [aliceToken, bobToken] = await Promise.all([userToken(alice), userToken(bob)]);
    await earlyInWindow(7_000);

    const statuses: number[] = [];
    for (let i = 0; i < USER_LIMIT; i += 10) {
      const round = await Promise.all(Array.from({ length: 10 }, () => api("/v1/me/notifications/unread-count", { auth: aliceToken })));
      statuses.push(...round.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(USER_LIMIT);

    const limited = await api("/v1/me/notifications", { auth: aliceToken });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect((await expectProblem(limited)).code).toBe("rate_limited");

    // A WebSocket connect counts against the same user limit.
    const connect = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?token=${aliceToken}`, { headers: { upgrade: "websocket" } }));
    expect(connect.status).toBe(429);
    expect((await expectProblem(connect)).code).toBe("rate_limited");

    // Bob has his own counter; the API key is counted apart from users.
    const bobConnect = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?token=${bobToken}`, { headers: { upgrade: "websocket" } }));
    expect(bobConnect.status).toBe(101);
    bobConnect.webSocket!.accept();
    bobConnect.webSocket!.close(1000, "done");
    expect((await api("/v1/me/notifications/unread-count", { auth: bobToken })).status).toBe(200);
    expect((await api(`/v1/users/${alice}/notifications`)).status).toBe(200);
  });
});
