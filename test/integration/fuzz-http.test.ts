/**
 * Property-based fuzzing of every JSON route (issue 9; docs/api.md#errors): random and boundary bodies
 * (test/fuzz-arbitraries.ts) never get a 5xx; whatever is refused is a problem+json with a
 * stable `code` whose status matches; and a refused request changes nothing — no D1 statement
 * changed a row (D1's `meta.changes` of everything it ran sums to 0), no queue message, no call
 * that changes an inbox.
 *
 * The app runs over recording bindings: D1 counts the rows each statement changed, queues record
 * and drop what they are sent (so no consumer writes in the background), inbox stubs record the
 * calls that change state, and the rate limiters always allow (limits have their own tests).
 * `FUZZ` names each route with a body and a valid body to mutate; a route of the OpenAPI
 * document with a request body but no entry fails the test, as does an entry with no route.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { mintLinkToken } from "../../src/preferences/links";
import { instrumentD1 } from "../d1-proxy";
import { API_KEY, freshId, userToken } from "../helpers";
import { fuzzBodies } from "../fuzz-arbitraries";
import { appFetch, bindingsWith, expectProblem, pushSubscriptionJson, recordingQueue } from "../security-helpers";

/** Runs per route: 26 routes × 200 = 5,200 requests, in about fifteen seconds. */
const RUNS = 200;

interface Fixtures {
  userId: string;
  token: string;
  notificationId: string;
  targetId: string;
  topic: string;
  template: string;
  /** A workflow with one in-app step (src/routes/workflows.ts). */
  workflow: string;
  /** A preference-page link token for `userId` (src/preferences/links.ts). */
  preferencesToken: string;
}

interface Route {
  auth: "api" | "user" | "public";
  path: (f: Fixtures) => string;
  valid: (f: Fixtures) => unknown;
}

const FUZZ: Record<string, Route> = {
  "POST /dev/token": { auth: "public", path: () => "/dev/token", valid: (f) => ({ userId: f.userId }) },
  "POST /v1/users/{userId}/tokens": { auth: "api", path: (f) => `/v1/users/${f.userId}/tokens`, valid: () => ({ ttlSeconds: 600 }) },
  "POST /v1/behaviours": {
    auth: "api",
    path: () => "/v1/behaviours",
    valid: (f) => ({ userId: f.userId, targetId: "post_1", type: "like", action: "add", occurredAt: "2026-01-01T00:00:00Z", targetOwnerId: "owner_1", eventId: "evt-1" }),
  },
  "POST /v1/behaviours/batch": { auth: "api", path: () => "/v1/behaviours/batch", valid: (f) => ({ events: [{ userId: f.userId, targetId: "post_1", type: "view" }] }) },
  "POST /v1/notifications": {
    auth: "api",
    path: () => "/v1/notifications",
    valid: (f) => ({ userId: f.userId, title: "t", body: "b", data: { a: 1 }, channels: ["in_app"], priority: "high", ttlSeconds: 60, delaySeconds: 0 }),
  },
  "POST /v1/notifications/batch": {
    auth: "api",
    path: () => "/v1/notifications/batch",
    valid: (f) => ({ items: [{ idempotencyKey: "k-1", userId: f.userId, template: f.template, data: { name: "x" } }], atomic: true }),
  },
  "PATCH /v1/notifications/{id}": { auth: "api", path: (f) => `/v1/notifications/${f.notificationId}`, valid: () => ({ title: "t", body: "b", data: { k: "v" } }) },
  "POST /v1/me/notifications/read-all": { auth: "user", path: () => "/v1/me/notifications/read-all", valid: () => ({ upToSeq: 1 }) },
  "POST /v1/me/push-subscriptions": {
    auth: "user",
    path: () => "/v1/me/push-subscriptions",
    valid: () => pushSubscriptionJson("https://push.example.com/fuzz"),
  },
  "DELETE /v1/me/push-subscriptions": { auth: "user", path: () => "/v1/me/push-subscriptions", valid: () => ({ endpoint: "https://push.example.com/none" }) },
  "PUT /v1/users/{userId}": {
    auth: "api",
    path: (f) => `/v1/users/${f.userId}`,
    valid: () => ({ email: "a@example.com", phone: "+14155550123", name: "A", locale: "en", timezone: "UTC", attributes: { plan: "pro" }, status: "active" }),
  },
  "POST /v1/sync/targets": { auth: "api", path: () => "/v1/sync/targets", valid: () => ({ name: "t", url: "https://example.com/hook", events: ["user.created"] }) },
  "PATCH /v1/sync/targets/{id}": { auth: "api", path: (f) => `/v1/sync/targets/${f.targetId}`, valid: () => ({ url: "https://example.com/h2", events: ["user.updated"], enabled: false }) },
  "POST /v1/sync/reconcile": { auth: "api", path: () => "/v1/sync/reconcile", valid: (f) => ({ targetId: f.targetId, graceSeconds: 0 }) },
  "PUT /v1/topics/{name}": { auth: "api", path: (f) => `/v1/topics/${f.topic}`, valid: () => ({ description: "d" }) },
  "POST /v1/topics/{name}/messages": {
    auth: "api",
    path: (f) => `/v1/topics/${f.topic}/messages`,
    valid: () => ({ payload: { userId: "u" }, metadata: { m: 1 }, delaySeconds: 10, maxAttempts: 3 }),
  },
  "POST /v1/topics/{name}/subscriptions": {
    auth: "api",
    path: (f) => `/v1/topics/${f.topic}/subscriptions`,
    valid: (f) => ({ kind: "notify", template: f.template, channels: ["in_app"], userIdPointer: "/userId" }),
  },
  "PUT /v1/topics/{name}/subscribers": { auth: "api", path: (f) => `/v1/topics/${f.topic}/subscribers`, valid: (f) => ({ userIds: [f.userId, "user_2"] }) },
  "DELETE /v1/topics/{name}/subscribers": { auth: "api", path: (f) => `/v1/topics/${f.topic}/subscribers`, valid: (f) => ({ userIds: [f.userId] }) },
  "PUT /v1/templates/{name}": {
    auth: "api",
    path: (f) => `/v1/templates/${f.template}`,
    valid: () => ({ channel: "in_app", subject: "Hi {{name}}", body: "Hello {{name}}", description: "d", active: true }),
  },
  "POST /v1/templates/{name}/preview": { auth: "api", path: (f) => `/v1/templates/${f.template}/preview`, valid: () => ({ data: { name: "Ada" } }) },
  "PUT /v1/workflows/{key}": {
    auth: "api",
    path: (f) => `/v1/workflows/${f.workflow}`,
    valid: (f) => ({
      name: "n",
      category: "news",
      critical: false,
      steps: [
        { type: "digest", windowSeconds: 60, key: "{{postId}}" },
        { type: "in_app", template: f.template, if: "always" },
        { type: "delay", seconds: 5 },
        { type: "email", template: f.template, if: "unread" },
      ],
    }),
  },
  "POST /v1/workflows/{key}/trigger": { auth: "api", path: (f) => `/v1/workflows/${f.workflow}/trigger`, valid: (f) => ({ to: [f.userId, "user_2"], data: { postId: "p" }, actor: "a" }) },
  "PATCH /v1/me/preferences": { auth: "user", path: () => "/v1/me/preferences", valid: () => PREFERENCE_PATCH },
  "PATCH /v1/users/{userId}/preferences": { auth: "api", path: (f) => `/v1/users/${f.userId}/preferences`, valid: () => PREFERENCE_PATCH },
  "PUT /v1/preferences/defaults": { auth: "api", path: () => "/v1/preferences/defaults", valid: () => ({}) },
  "POST /v1/preferences/bulk": { auth: "api", path: () => "/v1/preferences/bulk", valid: (f) => ({ items: [{ userId: f.userId, patch: PREFERENCE_PATCH }] }) },
  "PATCH /v1/preferences/by-link": { auth: "public", path: (f) => `/v1/preferences/by-link?token=${f.preferencesToken}`, valid: () => PREFERENCE_PATCH },
};

/** A valid preference merge patch touching every member (docs/api.md#preferences). */
const PREFERENCE_PATCH = {
  channels: { sms: false, push: null },
  categories: { news: { enabled: false, channels: { email: false } }, old: null },
  quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Berlin", channels: ["email"] },
  unsubscribed: { promo: { email: true } },
};

/** What the recording bindings saw during one request. */
const recorded = { d1Changes: 0, inboxChanges: [] as string[] };
const { queue, sent: queued } = recordingQueue();

/** UserInbox methods that change the inbox; the others only read. */
const INBOX_WRITES = new Set(["deliver", "recall", "edit", "markRead", "readAll", "fetch"]);
const recordingInboxes = {
  idFromName: (name: string) => env.USER_INBOX.idFromName(name),
  get: (id: DurableObjectId) => {
    const stub = env.USER_INBOX.get(id);
    return new Proxy(stub, {
      get: (target, prop) => {
        if (typeof prop === "string" && INBOX_WRITES.has(prop)) recorded.inboxChanges.push(prop);
        // RPC stubs answer any property with a remote method, so call through, never `.bind`.
        return (...args: unknown[]) => (target as unknown as Record<string, (...a: unknown[]) => unknown>)[prop as string]!(...args);
      },
    });
  },
};

const allow = { limit: async () => ({ success: true }) } satisfies RateLimit;
const bindings: Bindings = bindingsWith({
  DB: instrumentD1(env.DB, { after: (changes) => void (recorded.d1Changes += changes) }),
  BEHAVIOURS: queue,
  DISPATCH: queue,
  SYNC: queue,
  MESSAGES: queue,
  CHANNELS: queue,
  RECEIPTS: queue,
  WORKFLOWS: queue,
  DLQ: queue,
  USER_INBOX: recordingInboxes,
  API_KEY_RATE_LIMIT: allow,
  USER_RATE_LIMIT: allow,
  ALLOW_DEV_TOKENS: "true",
});
const fetchApp = appFetch(bindings);

async function setup(): Promise<Fixtures> {
  const send = async (method: string, path: string, body: unknown, status: number) => {
    const res = await fetchApp(path, { method, headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const userId = freshId();
  const topic = `fz_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const template = `fz_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await send("PUT", `/v1/topics/${topic}`, {}, 201);
  await send("PUT", `/v1/templates/${template}`, { channel: "in_app", body: "Hello {{name}}" }, 201);
  const workflow = `fz-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await send("PUT", `/v1/workflows/${workflow}`, { steps: [{ type: "in_app", template }] }, 201);
  return {
    userId,
    token: await userToken(userId),
    notificationId: (await send("POST", "/v1/notifications", { userId, title: "fixture" }, 202)).id,
    targetId: (await send("POST", "/v1/sync/targets", { name: "fuzz", url: "https://example.com/fuzz" }, 201)).id,
    topic,
    template,
    workflow,
    preferencesToken: await mintLinkToken(env as unknown as Bindings, { use: "preferences", sub: userId, exp: Date.now() + 3600_000 }),
  };
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: unknown }>>;
}

describe("fuzzing JSON routes", () => {
  let fixtures: Fixtures;
  const tally: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    fixtures = await setup();
  });

  afterAll(() => {
    const lines = Object.entries(tally).map(([op, counts]) => `  ${op}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    console.log(["fuzz (HTTP): outcomes per route", ...lines].join("\n"));
  });

  it("covers every route of the OpenAPI document that takes a body, and no other", async () => {
    const doc = (await (await fetchApp("/openapi.json")).json()) as OpenApiDoc;
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.requestBody).map(([method]) => `${method.toUpperCase()} ${path}`));
    expect(withBody.filter((op) => !(op in FUZZ)), "routes with a body but no fuzz entry").toEqual([]);
    expect(Object.keys(FUZZ).filter((op) => !withBody.includes(op)), "fuzz entries without a route").toEqual([]);
  });

  for (const [op, route] of Object.entries(FUZZ)) {
    it(`${op}: never 5xx, refusals are stable problems, and refusals change nothing`, async () => {
      const [method] = op.split(" ") as [string];
      const path = route.path(fixtures);
      const credential = route.auth === "api" ? API_KEY : route.auth === "user" ? fixtures.token : null;
      const counts: Record<string, number> = (tally[op] = {});
      await fc.assert(
        fc.asyncProperty(fuzzBodies(route.valid(fixtures)), async (body) => {
          recorded.d1Changes = 0;
          queued.length = 0;
          recorded.inboxChanges = [];
          const headers = new Headers();
          if (credential) headers.set("authorization", `Bearer ${credential}`);
          if (body.contentType !== null) headers.set("content-type", body.contentType);
          const res = await fetchApp(path, { method, headers, body: body.payload });
          if (res.status >= 500) throw new Error(`${res.status} for ${body.kind}: ${(await res.text()).slice(0, 300)}`);
          if (res.ok) {
            counts[String(res.status)] = (counts[String(res.status)] ?? 0) + 1;
            await res.body?.cancel();
            return;
          }
          const problem = await expectProblem(res);
          counts[problem.code] = (counts[problem.code] ?? 0) + 1;
          if (recorded.d1Changes > 0) throw new Error(`${problem.code} for ${body.kind}, yet D1 changed ${recorded.d1Changes} rows`);
          if (queued.length > 0) throw new Error(`${problem.code} for ${body.kind}, yet ${queued.length} queue messages were sent`);
          if (recorded.inboxChanges.length > 0) throw new Error(`${problem.code} for ${body.kind}, yet the inbox was called: ${recorded.inboxChanges.join(", ")}`);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
