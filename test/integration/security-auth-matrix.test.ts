/**
 * The auth matrix (docs/api.md#authentication, issue 9): every operation of `/openapi.json` is called with no
 * credentials, a wrong API key, an expired user token, another principal's credentials and the
 * right ones. Server routes answer 401 / 401 / 401 / 403 (a user token) / their success or a
 * documented 4xx; user routes (`/v1/me/*`) answer 401 / 401 / 401, 403 to an API key, and serve a
 * second user's token only that user's own data; public routes ignore credentials.
 *
 * `MATRIX` says how to call each `METHOD path`. An operation in the document without an entry
 * fails the test, and so does an entry without an operation: a new route cannot ship untested.
 */
import { env, exports } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { API_KEY, BASE, freshId, userToken, waitFor } from "../helpers";
import { mintLinkToken } from "../../src/preferences/links";
import { appFetch, bindingsWith, expectProblem, pushSubscriptionJson } from "../security-helpers";
import { receiverUrl } from "../sync-helpers";

type Kind = "server" | "user" | "public";

interface Fixtures {
  alice: string;
  bob: string;
  carol: string;
  aliceToken: string;
  bobToken: string;
  expiredToken: string;
  notificationId: string;
  recallId: string;
  idempotencyKey: string;
  topic: string;
  doomedTopic: string;
  /** A `selfService` topic Alice is subscribed to (src/routes/audiences.ts). */
  selfServiceTopic: string;
  template: string;
  doomedTemplate: string;
  targetId: string;
  doomedTargetId: string;
  endpoint: string;
  /** Signed link tokens for Alice (src/preferences/links.ts): one-click unsubscribe and the preference page. */
  unsubscribeToken: string;
  preferencesToken: string;
}

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Status with the right credentials: a success, or a documented 4xx (e.g. 404 for a random id). */
  ok: number;
}

interface Entry {
  kind: Kind;
  /** `caller`: the user whose token is sent, for bodies that name the caller's own resource. */
  call: (f: Fixtures, caller: string) => Call;
  /**
   * User routes: what a second user's token gets — the route serves that user only, so it
   * must neither see nor change the first user's data. Checked against the response.
   */
  otherUser?: (res: Response, f: Fixtures) => Promise<void>;
}

const random = () => `01${crypto.randomUUID().replaceAll("-", "").slice(0, 24).toUpperCase()}`;
const json = async <T,>(res: Response) => (await res.json()) as T;

/** Every operation of the API and how to call it; see the module comment. */
const MATRIX: Record<string, Entry> = {
  "GET /health": { kind: "public", call: () => ({ path: "/health", ok: 200 }) },
  "POST /dev/token": { kind: "public", call: (f) => ({ path: "/dev/token", body: { userId: f.alice }, ok: 201 }) },
  // The cost tracer's ledger (docs/cost.md): dev routes are on here, the tracer (COST_TRACE) is not.
  "GET /dev/cost": { kind: "public", call: () => ({ path: "/dev/cost", ok: 404 }) },
  "DELETE /dev/cost": { kind: "public", call: () => ({ path: "/dev/cost", ok: 404 }) },

  "POST /v1/users/{userId}/tokens": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/tokens`, body: { ttlSeconds: 60 }, ok: 201 }) },
  "POST /v1/behaviours": { kind: "server", call: (f) => ({ path: "/v1/behaviours", body: { userId: f.alice, targetId: "post_1", type: "like" }, ok: 202 }) },
  "POST /v1/behaviours/batch": { kind: "server", call: (f) => ({ path: "/v1/behaviours/batch", body: { events: [{ userId: f.alice, targetId: "post_2", type: "view" }] }, ok: 202 }) },
  "GET /v1/users/{userId}/behaviours": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/behaviours`, ok: 200 }) },
  "GET /v1/targets/{targetId}/behaviours/summary": { kind: "server", call: () => ({ path: "/v1/targets/post_1/behaviours/summary", ok: 200 }) },

  "POST /v1/notifications": { kind: "server", call: (f) => ({ path: "/v1/notifications", body: { userId: f.alice, title: "matrix" }, ok: 202 }) },
  "GET /v1/notifications": { kind: "server", call: (f) => ({ path: `/v1/notifications?idempotencyKey=${encodeURIComponent(f.idempotencyKey)}`, ok: 200 }) },
  "POST /v1/notifications/batch": { kind: "server", call: (f) => ({ path: "/v1/notifications/batch", body: { items: [{ idempotencyKey: freshId("k"), userId: f.alice, title: "b" }] }, ok: 200 }) },
  "GET /v1/notifications/{id}": { kind: "server", call: (f) => ({ path: `/v1/notifications/${f.notificationId}`, ok: 200 }) },
  "PATCH /v1/notifications/{id}": { kind: "server", call: (f) => ({ path: `/v1/notifications/${f.notificationId}`, body: { title: "edited" }, ok: 200 }) },
  "DELETE /v1/notifications/{id}": { kind: "server", call: (f) => ({ path: `/v1/notifications/${f.recallId}`, ok: 200 }) },
  "GET /v1/users/{userId}/notifications": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/notifications`, ok: 200 }) },

  "GET /v1/me/connect": {
    kind: "user",
    call: () => ({ path: "/v1/me/connect", headers: { upgrade: "websocket" }, ok: 101 }),
    otherUser: async (res, f) => {
      expect(res.status).toBe(101);
      const ws = res.webSocket!;
      const hello = new Promise<{ userId: string }>((resolve) => ws.addEventListener("message", (e) => resolve(JSON.parse(String(e.data)) as { userId: string })));
      ws.accept();
      expect((await hello).userId).toBe(f.bob);
      ws.close(1000, "done");
    },
  },
  "POST /v1/me/connect-tickets": {
    kind: "user",
    call: () => ({ path: "/v1/me/connect-tickets", ok: 201 }),
    // Bob's ticket opens Bob's inbox.
    otherUser: async (res, f) => {
      expect(res.status).toBe(201);
      const { ticket } = await json<{ ticket: string }>(res);
      const socket = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?ticket=${encodeURIComponent(ticket)}`, { headers: { upgrade: "websocket" } }));
      expect(socket.status).toBe(101);
      const ws = socket.webSocket!;
      const hello = new Promise<{ userId: string }>((resolve) => ws.addEventListener("message", (e) => resolve(JSON.parse(String(e.data)) as { userId: string })));
      ws.accept();
      expect((await hello).userId).toBe(f.bob);
      ws.close(1000, "done");
    },
  },
  "GET /v1/me/notifications": {
    kind: "user",
    call: () => ({ path: "/v1/me/notifications", ok: 200 }),
    otherUser: async (res) => expect(await json<{ items: unknown[]; unreadCount: number }>(res)).toMatchObject({ items: [], unreadCount: 0 }),
  },
  "GET /v1/me/notifications/unread-count": {
    kind: "user",
    call: () => ({ path: "/v1/me/notifications/unread-count", ok: 200 }),
    otherUser: async (res) => expect(await json(res)).toEqual({ unreadCount: 0 }),
  },
  "POST /v1/me/notifications/{id}/read": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/notifications/${f.notificationId}/read`, ok: 200 }),
    otherUser: async (res) => expect((await expectProblem(res)).code).toBe("not_found"),
  },
  "POST /v1/me/notifications/read-all": {
    kind: "user",
    call: () => ({ path: "/v1/me/notifications/read-all", body: { upToSeq: 1_000_000 }, ok: 200 }),
    otherUser: async (res) => expect(await json(res)).toEqual({ ids: [], unreadCount: 0 }),
  },
  "POST /v1/me/notifications/{id}/{action}": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/notifications/${f.notificationId}/seen`, ok: 200 }),
    otherUser: async (res) => expect((await expectProblem(res)).code).toBe("not_found"),
  },
  "POST /v1/me/notifications/{id}/snooze": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/notifications/${f.notificationId}/snooze`, body: { until: new Date(Date.now() + 3600_000).toISOString() }, ok: 200 }),
    otherUser: async (res) => expect((await expectProblem(res)).code).toBe("not_found"),
  },
  "POST /v1/me/notifications/bulk": {
    kind: "user",
    call: (f) => ({ path: "/v1/me/notifications/bulk", body: { action: "archive", ids: [f.notificationId] }, ok: 200 }),
    otherUser: async (res) => expect(await json(res)).toEqual({ ids: [], unreadCount: 0, unseenCount: 0 }),
  },
  "GET /v1/me/notifications/counts": {
    kind: "user",
    call: () => ({ path: "/v1/me/notifications/counts", ok: 200 }),
    otherUser: async (res) => expect(await json(res)).toEqual({ unread: 0, unseen: 0, total: 0, byTag: {} }),
  },
  "POST /v1/me/notifications/ack": {
    kind: "user",
    // No connection of the user is open: the documented 404.
    call: () => ({ path: "/v1/me/notifications/ack", body: { connectionId: "c_1", seq: 0 }, ok: 404 }),
    otherUser: async (res) => expect((await expectProblem(res)).code).toBe("not_found"),
  },
  "GET /v1/me/stream": {
    kind: "user",
    call: () => ({ path: "/v1/me/stream", ok: 200 }),
    // Bob's stream is Bob's inbox.
    otherUser: async (res, f) => {
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes('"type":"hello"') || !text.includes("\n\n", text.indexOf('"type":"hello"'))) text += new TextDecoder().decode((await reader.read()).value);
      expect(text).toContain(`"userId":"${f.bob}"`);
      await reader.cancel();
    },
  },
  "POST /v1/me/push-subscriptions": {
    kind: "user",
    // Alice re-registers her endpoint (200); Bob registers his own (201) and Alice's stays hers:
    // her DELETE below still finds it.
    call: (f, caller) => ({ path: "/v1/me/push-subscriptions", body: pushSubscriptionJson(caller === f.alice ? f.endpoint : `https://push.example.com/${caller}`), ok: 200 }),
    otherUser: async (res) => expect(res.status).toBe(201),
  },
  "GET /v1/me/push-subscriptions": {
    kind: "user",
    call: () => ({ path: "/v1/me/push-subscriptions", ok: 200 }),
    otherUser: async (res, f) => expect((await json<{ items: { endpoint: string }[] }>(res)).items.map((i) => i.endpoint)).not.toContain(f.endpoint),
  },
  "DELETE /v1/me/push-subscriptions": {
    kind: "user",
    call: (f) => ({ path: "/v1/me/push-subscriptions", body: { endpoint: f.endpoint }, ok: 204 }),
    otherUser: async (res) => expect((await expectProblem(res)).code).toBe("not_found"),
  },

  "GET /v1/users/{userId}/presence": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/presence`, ok: 200 }) },
  "GET /v1/presence": { kind: "server", call: () => ({ path: "/v1/presence", ok: 200 }) },
  "PUT /v1/users/{userId}": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}`, body: { name: "Alice" }, ok: 200 }) },
  "GET /v1/users/{userId}": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}`, ok: 200 }) },
  "DELETE /v1/users/{userId}": { kind: "server", call: (f) => ({ path: `/v1/users/${f.carol}`, ok: 200 }) },

  "POST /v1/sync/targets": { kind: "server", call: () => ({ path: "/v1/sync/targets", body: { name: "matrix", url: `${receiverUrl()}/hooks/${freshId("mx")}`, events: ["user.deleted"] }, ok: 201 }) },
  "GET /v1/sync/targets": { kind: "server", call: () => ({ path: "/v1/sync/targets", ok: 200 }) },
  "GET /v1/sync/targets/{id}": { kind: "server", call: (f) => ({ path: `/v1/sync/targets/${f.targetId}`, ok: 200 }) },
  "PATCH /v1/sync/targets/{id}": { kind: "server", call: (f) => ({ path: `/v1/sync/targets/${f.targetId}`, body: { enabled: false }, ok: 200 }) },
  "DELETE /v1/sync/targets/{id}": { kind: "server", call: (f) => ({ path: `/v1/sync/targets/${f.doomedTargetId}`, ok: 204 }) },
  "POST /v1/sync/targets/{id}/rotate-secret": { kind: "server", call: (f) => ({ path: `/v1/sync/targets/${f.targetId}/rotate-secret`, ok: 200 }) },
  "GET /v1/sync/deliveries": { kind: "server", call: () => ({ path: "/v1/sync/deliveries", ok: 200 }) },
  "POST /v1/sync/deliveries/{id}/retry": { kind: "server", call: () => ({ path: `/v1/sync/deliveries/${random()}/retry`, ok: 404 }) },
  "POST /v1/sync/reconcile": { kind: "server", call: () => ({ path: "/v1/sync/reconcile", body: { targetId: random() }, ok: 404 }) },

  "PUT /v1/topics/{name}": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}`, ok: 200 }) },
  "GET /v1/topics": { kind: "server", call: () => ({ path: "/v1/topics", ok: 200 }) },
  "DELETE /v1/topics/{name}": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.doomedTopic}`, ok: 204 }) },
  "POST /v1/topics/{name}/messages": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/messages`, body: { payload: { hello: "matrix" } }, ok: 202 }) },
  "GET /v1/messages/{id}": { kind: "server", call: () => ({ path: `/v1/messages/${random()}`, ok: 404 }) },
  "POST /v1/topics/{name}/subscriptions": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/subscriptions`, body: { kind: "notify", template: f.template }, ok: 201 }) },
  "GET /v1/topics/{name}/subscriptions": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/subscriptions`, ok: 200 }) },
  "DELETE /v1/subscriptions/{id}": { kind: "server", call: () => ({ path: `/v1/subscriptions/${random()}`, ok: 404 }) },

  "PUT /v1/topics/{name}/subscribers": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/subscribers`, body: { userIds: [f.alice] }, ok: 200 }) },
  "DELETE /v1/topics/{name}/subscribers": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/subscribers`, body: { userIds: [f.carol] }, ok: 200 }) },
  "GET /v1/topics/{name}/subscribers": { kind: "server", call: (f) => ({ path: `/v1/topics/${f.topic}/subscribers`, ok: 200 }) },
  "GET /v1/users/{userId}/topics": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/topics`, ok: 200 }) },
  "GET /v1/broadcasts/{id}": { kind: "server", call: () => ({ path: `/v1/broadcasts/${random()}`, ok: 404 }) },
  // Bob's token reads and changes only Bob's subscription: Alice's (made in `setup`) stays.
  "GET /v1/me/topics/{name}": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/topics/${f.selfServiceTopic}`, ok: 200 }),
    otherUser: async (res, f) => expect(await json(res)).toEqual({ topic: f.selfServiceTopic, subscribed: false, subscribedAt: null }),
  },
  "PUT /v1/me/topics/{name}": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/topics/${f.selfServiceTopic}`, ok: 200 }),
    otherUser: async (res) => expect(await json(res)).toMatchObject({ subscribed: true }),
  },
  "DELETE /v1/me/topics/{name}": {
    kind: "user",
    call: (f) => ({ path: `/v1/me/topics/${f.selfServiceTopic}`, ok: 200 }),
    otherUser: async (res, f) => {
      expect(await json(res)).toMatchObject({ subscribed: false });
      const alices = await fetchApp(`/v1/users/${f.alice}/topics`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect((await json<{ items: { topic: string }[] }>(alices)).items.map((i) => i.topic)).toContain(f.selfServiceTopic);
    },
  },

  "PUT /v1/templates/{name}": { kind: "server", call: (f) => ({ path: `/v1/templates/${f.template}`, body: { channel: "in_app", subject: "Hi", body: "Hello {{name}}" }, ok: 200 }) },
  "GET /v1/templates": { kind: "server", call: () => ({ path: "/v1/templates", ok: 200 }) },
  "GET /v1/templates/{name}": { kind: "server", call: (f) => ({ path: `/v1/templates/${f.template}`, ok: 200 }) },
  "DELETE /v1/templates/{name}": { kind: "server", call: (f) => ({ path: `/v1/templates/${f.doomedTemplate}`, ok: 204 }) },
  "POST /v1/templates/{name}/preview": { kind: "server", call: (f) => ({ path: `/v1/templates/${f.template}/preview`, body: { data: { name: "Ada" } }, ok: 200 }) },

  "PUT /v1/workflows/{key}": { kind: "server", call: (f) => ({ path: `/v1/workflows/mx-${random().toLowerCase()}`, body: { steps: [{ type: "in_app", template: f.template }] }, ok: 201 }) },
  "GET /v1/workflows": { kind: "server", call: () => ({ path: "/v1/workflows", ok: 200 }) },
  "GET /v1/workflows/{key}": { kind: "server", call: () => ({ path: `/v1/workflows/mx-${random().toLowerCase()}`, ok: 404 }) },
  "DELETE /v1/workflows/{key}": { kind: "server", call: () => ({ path: `/v1/workflows/mx-${random().toLowerCase()}`, ok: 404 }) },
  "POST /v1/workflows/{key}/trigger": { kind: "server", call: (f) => ({ path: `/v1/workflows/mx-${random().toLowerCase()}/trigger`, body: { to: f.alice }, ok: 404 }) },
  "GET /v1/workflow-runs/{id}": { kind: "server", call: (f) => ({ path: `/v1/workflow-runs/wr_${random()}_${f.alice}`, ok: 404 }) },
  "POST /v1/workflow-runs/{id}/cancel": { kind: "server", call: (f) => ({ path: `/v1/workflow-runs/wr_${random()}_${f.alice}/cancel`, ok: 404 }) },
  "GET /v1/users/{userId}/workflow-runs": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/workflow-runs`, ok: 200 }) },

  "GET /v1/users/{userId}/preferences": { kind: "server", call: (f) => ({ path: `/v1/users/${f.alice}/preferences`, ok: 200 }) },
  "PATCH /v1/users/{userId}/preferences": { kind: "server", call: (f) => ({ path: `/v1/users/${f.carol}/preferences`, body: { channels: { push: false } }, ok: 200 }) },
  "GET /v1/preferences/defaults": { kind: "server", call: () => ({ path: "/v1/preferences/defaults", ok: 200 }) },
  "PUT /v1/preferences/defaults": { kind: "server", call: () => ({ path: "/v1/preferences/defaults", body: {}, ok: 200 }) },
  "POST /v1/preferences/bulk": { kind: "server", call: (f) => ({ path: "/v1/preferences/bulk", body: { items: [{ userId: f.carol, patch: {} }] }, ok: 200 }) },
  "GET /v1/me/preferences": { kind: "user", call: () => ({ path: "/v1/me/preferences", ok: 200 }), otherUser: notAlicesPreferences },
  "PATCH /v1/me/preferences": { kind: "user", call: () => ({ path: "/v1/me/preferences", body: { channels: { sms: false } }, ok: 200 }), otherUser: notAlicesPreferences },
  "POST /v1/me/preferences/link": {
    kind: "user",
    call: () => ({ path: "/v1/me/preferences/link", ok: 201 }),
    // Bob's link opens Bob's preferences.
    otherUser: async (res) => {
      expect(res.status).toBe(201);
      const { url } = await json<{ url: string }>(res);
      await notAlicesPreferences(await fetchApp(`/v1/preferences/by-link${new URL(url).search}`));
    },
  },
  // Link routes: the signed token in the URL is the only credential; any other is ignored.
  "GET /v1/unsubscribe": { kind: "public", call: (f) => ({ path: `/v1/unsubscribe?token=${f.unsubscribeToken}`, ok: 200 }) },
  "POST /v1/unsubscribe": { kind: "public", call: (f) => ({ path: `/v1/unsubscribe?token=${f.unsubscribeToken}`, ok: 200 }) },
  "GET /v1/preferences/by-link": { kind: "public", call: (f) => ({ path: `/v1/preferences/by-link?token=${f.preferencesToken}`, ok: 200 }) },
  "PATCH /v1/preferences/by-link": { kind: "public", call: (f) => ({ path: `/v1/preferences/by-link?token=${f.preferencesToken}`, body: {}, ok: 200 }) },

  "GET /v1/outbox": { kind: "server", call: () => ({ path: "/v1/outbox", ok: 200 }) },
  "GET /v1/dead-letters": { kind: "server", call: () => ({ path: "/v1/dead-letters", ok: 200 }) },
  "POST /v1/dead-letters/{id}/redrive": { kind: "server", call: () => ({ path: `/v1/dead-letters/${random()}/redrive`, ok: 404 }) },
  "DELETE /v1/dead-letters/{id}": { kind: "server", call: () => ({ path: `/v1/dead-letters/${random()}`, ok: 404 }) },
  "GET /v1/stats": { kind: "server", call: () => ({ path: "/v1/stats", ok: 200 }) },
  "GET /v1/stats/history": { kind: "server", call: () => ({ path: "/v1/stats/history?minutes=5", ok: 200 }) },
  "GET /metrics": { kind: "server", call: () => ({ path: "/metrics", ok: 200 }) },
};

/** A second user's preferences never show Alice's own category (set in `setup`). */
async function notAlicesPreferences(res: Response) {
  expect(res.status).toBe(200);
  expect(Object.keys((await json<{ categories: Record<string, unknown> }>(res)).categories)).not.toContain("alice_only");
}

/** Routes outside the OpenAPI document, all public: the document itself and its reference page. */
const UNDOCUMENTED_PUBLIC = ["/openapi.json", "/docs"];

interface OpenApiDoc {
  security: unknown[];
  paths: Record<string, Record<string, { security?: { [scheme: string]: unknown[] }[]; responses: Record<string, unknown> }>>;
}

// Dev tokens on, so `POST /dev/token` shows its real answer; nothing else reads this var.
const fetchApp = appFetch(bindingsWith({ ALLOW_DEV_TOKENS: "true" }));
const JWT_SECRET = (env as unknown as Bindings).JWT_SECRET!;

async function call(entry: Entry, f: Fixtures, method: string, credential: string | null): Promise<Response> {
  const c = entry.call(f, credential === f.bobToken ? f.bob : f.alice);
  const headers = new Headers(c.headers);
  if (credential !== null) headers.set("authorization", `Bearer ${credential}`);
  if (c.body !== undefined) headers.set("content-type", "application/json");
  return fetchApp(c.path, { method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) });
}

/** Asserts a refusal: status, problem+json with the matching code. */
async function expectRefused(res: Response, status: 401 | 403, what: string) {
  expect(res.status, what).toBe(status);
  expect((await expectProblem(res)).code, what).toBe(status === 401 ? "unauthorized" : "forbidden");
}

async function setup(): Promise<Fixtures> {
  const ok = async (res: Response, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return res;
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetchApp(path, { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const put = (path: string, body: unknown) => fetchApp(path, { method: "PUT", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  const [alice, bob, carol] = [freshId("alice"), freshId("bob"), freshId("carol")];
  const now = Math.floor(Date.now() / 1000);
  const idempotencyKey = freshId("key");
  const topic = `mx_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const template = `mx_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const f: Fixtures = {
    alice,
    bob,
    carol,
    aliceToken: await userToken(alice),
    bobToken: await userToken(bob),
    expiredToken: await sign({ sub: alice, iat: now - 7200, exp: now - 3600 }, JWT_SECRET, "HS256"),
    notificationId: (await json<{ id: string }>(await ok(await post("/v1/notifications", { userId: alice, title: "first" }, { "idempotency-key": idempotencyKey }), 202, "notification"))).id,
    recallId: (await json<{ id: string }>(await ok(await post("/v1/notifications", { userId: alice, title: "to recall" }), 202, "notification"))).id,
    idempotencyKey,
    topic,
    doomedTopic: `${topic}_doomed`,
    selfServiceTopic: `${topic}_self`,
    template,
    doomedTemplate: `${template}_doomed`,
    targetId: "",
    doomedTargetId: "",
    endpoint: `https://push.example.com/${alice}`,
    unsubscribeToken: await mintLinkToken(env as unknown as Bindings, { use: "unsubscribe", sub: alice, cat: "news", ch: "email" }),
    preferencesToken: await mintLinkToken(env as unknown as Bindings, { use: "preferences", sub: alice, exp: Date.now() + 3600_000 }),
  };
  const alicePrefs = await fetchApp(`/v1/users/${alice}/preferences`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ categories: { alice_only: { enabled: false } } }),
  });
  await ok(alicePrefs, 200, "alice's preferences");
  await ok(await put(`/v1/users/${alice}`, { name: "A" }), 201, "alice");
  await ok(await put(`/v1/users/${carol}`, { name: "C" }), 201, "carol");
  await ok(await put(`/v1/topics/${topic}`, {}), 201, "topic");
  await ok(await put(`/v1/topics/${f.doomedTopic}`, {}), 201, "doomed topic");
  await ok(await put(`/v1/topics/${f.selfServiceTopic}`, { selfService: true }), 201, "self-service topic");
  await ok(await put(`/v1/topics/${f.selfServiceTopic}/subscribers`, { userIds: [alice] }), 200, "alice subscribed");
  await ok(await put(`/v1/templates/${template}`, { channel: "in_app", body: "Hello {{name}}" }), 201, "template");
  await ok(await put(`/v1/templates/${f.doomedTemplate}`, { channel: "in_app", body: "Bye" }), 201, "doomed template");
  const target = (url: string) => post("/v1/sync/targets", { name: "matrix", url, events: ["user.deleted"] });
  f.targetId = (await json<{ id: string }>(await ok(await target(`${receiverUrl()}/hooks/${freshId("mx")}`), 201, "target"))).id;
  f.doomedTargetId = (await json<{ id: string }>(await ok(await target(`${receiverUrl()}/hooks/${freshId("mx")}`), 201, "target"))).id;
  const register = await fetchApp("/v1/me/push-subscriptions", {
    method: "POST",
    headers: { authorization: `Bearer ${f.aliceToken}`, "content-type": "application/json" },
    body: JSON.stringify(pushSubscriptionJson(f.endpoint)),
  });
  await ok(register, 201, "push subscription");
  // The first notification must be in Alice's inbox before the read routes run.
  await waitFor(async () => {
    const res = await fetchApp("/v1/me/notifications/unread-count", { headers: { authorization: `Bearer ${f.aliceToken}` } });
    return (await json<{ unreadCount: number }>(res)).unreadCount >= 2;
  }, { what: "fixtures in the inbox" });
  return f;
}

describe("auth matrix", () => {
  let doc: OpenApiDoc;
  let fixtures: Fixtures;

  beforeAll(async () => {
    doc = await json<OpenApiDoc>(await fetchApp("/openapi.json"));
    fixtures = await setup();
  });

  it("has exactly one entry per operation of the OpenAPI document, with the document's security", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    const missing = operations.filter((op) => !(op in MATRIX));
    const stale = Object.keys(MATRIX).filter((op) => !operations.includes(op));
    expect(missing, "operations without a matrix entry").toEqual([]);
    expect(stale, "matrix entries without an operation").toEqual([]);
    for (const [op, entry] of Object.entries(MATRIX)) {
      const [method, path] = op.split(" ") as [string, string];
      const declared = doc.paths[path]![method.toLowerCase()]!.security ?? doc.security;
      const schemes = declared.flatMap((s) => Object.keys(s as object));
      expect(schemes, op).toEqual(entry.kind === "public" ? [] : entry.kind === "user" ? ["userToken"] : ["apiKey"]);
    }
  });

  it("serves the document and its reference without credentials", async () => {
    for (const path of UNDOCUMENTED_PUBLIC) expect((await fetchApp(path)).status, path).toBe(200);
  });

  it("answers every operation as docs/api.md#authentication says for each kind of credential", async () => {
    const f = fixtures;
    const checked: Record<Kind, number> = { server: 0, user: 0, public: 0 };
    for (const [op, entry] of Object.entries(MATRIX)) {
      const [method, path] = op.split(" ") as [string, string];
      const documented = Object.keys(doc.paths[path]![method.toLowerCase()]!.responses);
      const { ok } = entry.call(f, f.alice);
      expect(documented, `${op} documents ${ok}`).toContain(String(ok));

      if (entry.kind === "public") {
        for (const credential of [null, "wrong-key", f.expiredToken, f.bobToken, API_KEY]) expect((await call(entry, f, method, credential)).status, `${op} with ${credential}`).toBe(ok);
        checked.public++;
        continue;
      }
      await expectRefused(await call(entry, f, method, null), 401, `${op} without credentials`);
      await expectRefused(await call(entry, f, method, "wrong-key"), 401, `${op} with a wrong API key`);
      await expectRefused(await call(entry, f, method, f.expiredToken), 401, `${op} with an expired user token`);
      if (entry.kind === "server") {
        await expectRefused(await call(entry, f, method, f.bobToken), 403, `${op} with a user token`);
        expect((await call(entry, f, method, API_KEY)).status, `${op} with the API key`).toBe(ok);
      } else {
        await expectRefused(await call(entry, f, method, API_KEY), 403, `${op} with an API key`);
        await entry.otherUser!(await call(entry, f, method, f.bobToken), f);
        const res = await call(entry, f, method, f.aliceToken);
        expect(res.status, `${op} with the user's token`).toBe(ok);
        if (ok === 101) {
          res.webSocket!.accept();
          res.webSocket!.close(1000, "done");
        }
        if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body!.cancel();
      }
      checked[entry.kind]++;
    }
    expect(checked.server + checked.user + checked.public).toBe(Object.keys(MATRIX).length);
  });
});
