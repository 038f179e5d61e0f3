/**
 * Secrets (issue 9; docs/api.md#authentication, docs/api.md#user-sync, docs/api.md#stats-and-metrics): webhook and target signing secrets are stored sealed
 * (src/lib/secret-box.ts) so a dump of D1 does not show them, they are returned only when made
 * (creation, rotation) and by no read of any route, API keys are compared in constant time, and
 * no secret, key, token or signature reaches a log line while they all flow through the service.
 */
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sign } from "hono/jwt";
import { sendChannels } from "../../src/channels/send";
import type { Bindings } from "../../src/env";
import { API_KEY, BASE, api, freshId, userToken, waitFor } from "../helpers";
import { storeNotifications } from "../inbox-helpers";
import { createTopic, publish, subscribeWebhook, waitForMessage } from "../messaging-helpers";
import { bindingsWith } from "../security-helpers";
import { controlReceiver, createTarget, putUser, received, receiverUrl, waitForState } from "../sync-helpers";

const bindings = env as unknown as Bindings;

/** Every user table of D1, all rows, as one text: what a dump would show. */
async function dumpD1(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'`,
  ).all<{ name: string }>();
  const dumps = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT * FROM "${t.name}"`)));
  return JSON.stringify(dumps.map((d, i) => [tables[i]!.name, d.results]));
}

/** The secret and its key material without the `whsec_` prefix (what a leak would show). */
const forms = (secret: string) => [secret, secret.slice("whsec_".length)];

async function makeSecrets() {
  const target = await createTarget();
  const rotated = (await (await api(`/v1/sync/targets/${target.id}/rotate-secret`, { method: "POST" })).json()) as { secret: string };
  await controlReceiver(target.name, { secrets: [target.secret, rotated.secret] });
  const topic = await createTopic();
  const subscription = await subscribeWebhook(topic);
  return { target, rotated: rotated.secret, topic, subscription, all: [target.secret, rotated.secret, subscription.secret] };
}

describe("stored secrets", () => {
  it("keeps target, rotated and subscription secrets sealed: a dump of D1 shows none of them", async () => {
    const { target, subscription, all } = await makeSecrets();
    const dump = await dumpD1();
    for (const secret of all) for (const form of forms(secret)) expect(dump).not.toContain(form);
    const stored = await env.DB.batch([
      env.DB.prepare("SELECT secret, previous_secret FROM sync_targets WHERE id = ?1").bind(target.id),
      env.DB.prepare("SELECT secret FROM topic_subscriptions WHERE id = ?1").bind(subscription.id),
    ]);
    const sealed = stored.flatMap((r) => r.results.flatMap((row) => Object.values(row as Record<string, string>)));
    expect(sealed).toHaveLength(3);
    // Sealed under the keyring (src/lib/secret-box.ts): version, key id `t1` (the test keyring), iv, ciphertext.
    for (const value of sealed) expect(value).toMatch(/^v2\.t1\.[\w-]+\.[\w-]+$/);
  });

  it("returns no secret from any read of any route", async () => {
    const { target, topic, all } = await makeSecrets();
    const userId = freshId();
    await putUser(userId, { name: "reader" });
    await waitForState(target.name, { [userId]: 1 });
    const token = await userToken(userId);
    const { messageId } = (await (await publish(topic, { payload: { userId } })).json()) as { messageId: string };
    await waitForMessage(messageId, "completed");
    const notificationId = (await storeNotifications([{ userId }]))[0]!.id;

    const doc = (await (await api("/openapi.json", { auth: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    const ids: Record<string, string> = { "/v1/sync/targets/{id}": target.id, "/v1/notifications/{id}": notificationId, "/v1/messages/{id}": messageId };
    const reads = Object.entries(doc.paths).filter(([, ops]) => "get" in ops).map(([path]) => path);
    expect(reads.length).toBeGreaterThan(20);
    for (const template of [...reads, "/openapi.json", "/docs"]) {
      const path = template
        .replace("{id}", ids[template] ?? freshId())
        .replace("{userId}", userId)
        .replace("{targetId}", "post_1")
        .replace("{name}", topic);
      const res = await api(path, { auth: template.startsWith("/v1/me/") ? token : API_KEY });
      expect(res.status, path).toBeLessThan(500);
      // A Server-Sent Events stream never ends: read what it sends first (the hello and any replay), then hang up.
      const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? await firstChunks(res, 500) : await res.text();
      for (const secret of all) for (const form of forms(secret)) expect(text, path).not.toContain(form);
    }
  });
});

/** What a streaming response sends within `ms`, then cancels it. */
async function firstChunks(res: Response, ms: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  let text = "";
  for (;;) {
    const left = deadline - Date.now();
    const chunk = left > 0 ? await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]) : null;
    if (chunk === null || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("API keys", () => {
  afterEach(() => vi.restoreAllMocks());

  it("compares a candidate with every configured key in constant time, whichever matches", async () => {
    const compare = vi.spyOn(crypto.subtle, "timingSafeEqual");
    for (const [credential, status] of [["test-key-1", 200], ["test-key-2", 200], ["test-key-3", 401], ["x", 401]] as const) {
      compare.mockClear();
      expect((await api("/v1/topics", { auth: credential })).status).toBe(status);
      // Both configured keys, every time: no early exit that would time which one matched.
      expect(compare).toHaveBeenCalledTimes(2);
      // SHA-256 digests of both sides: equal lengths, so the key length does not leak either.
      for (const [a, b] of compare.mock.calls) expect([(a as ArrayBuffer).byteLength, (b as ArrayBuffer).byteLength]).toEqual([32, 32]);
    }
  });
});

describe("logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("carry no secret, API key, token or signature while all of them flow through the service", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a) ?? String(a))).join(" ")));
    }

    // Tokens: minted, used in the header, in the WebSocket query, expired, on the wrong route.
    const userId = freshId();
    const token = await userToken(userId);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: userId, iat: now - 120, exp: now - 60 }, bindings.JWT_SECRET!, "HS256");
    expect((await api("/v1/me/notifications", { auth: token })).status).toBe(200);
    expect((await api("/v1/me/notifications", { auth: expired })).status).toBe(401);
    expect((await api(`/v1/topics?token=${token}`, { auth: token })).status).toBe(403);
    const socket = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?token=${token}`, { headers: { upgrade: "websocket" } }));
    expect(socket.status).toBe(101);
    socket.webSocket!.accept();
    socket.webSocket!.close(1000, "done");
    const wrongKey = `wrong-${crypto.randomUUID()}`;
    expect((await api("/v1/topics", { auth: wrongKey })).status).toBe(401);

    // Webhook secrets and signatures: a target (rotated) and a topic subscription, delivered to,
    // one of them failing first so the retry path logs too.
    const { target, rotated, topic, subscription, all } = await makeSecrets();
    await controlReceiver(subscription.name, { mode: "fail" });
    await putUser(userId, { name: "logged" });
    await waitForState(target.name, { [userId]: 1 });
    const { messageId } = (await (await publish(topic, { payload: { userId } })).json()) as { messageId: string };
    await waitFor(async () => (await received(subscription.name)).received.length >= 1, { what: "a failed webhook attempt" });
    await controlReceiver(subscription.name, { mode: "ok" });
    await waitForMessage(messageId, "completed", 15_000);
    const signatures = [...(await received(target.name)).received, ...(await received(subscription.name)).received].flatMap((r) => r.signature.split(" "));
    expect(signatures.length).toBeGreaterThanOrEqual(3);

    // Provider credentials: a provider that fails, and one configured over http (refused, logged).
    const provider = freshId("resend");
    await controlReceiver(provider, { mode: "fail" });
    await putUser(userId, { email: "log@example.com" });
    const [email] = await storeNotifications([{ userId, channels: ["email"] }]);
    const providerKey = `re_${crypto.randomUUID()}`;
    const withProvider = (allowHttp: string) =>
      bindingsWith({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: providerKey, EMAIL_FROM: "a@example.com", RESEND_API_URL: `${receiverUrl()}/provider/${provider}`, ALLOW_HTTP_WEBHOOKS: allowHttp });
    await sendChannels(withProvider("true"), [email!.id]);
    await sendChannels(withProvider("false"), [email!.id]);
    expect((await received(provider)).calls[0]!.authorization).toBe(`Bearer ${providerKey}`);

    vi.restoreAllMocks();
    const log = lines.join("\n");
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"msg":"request"');
    const secrets = {
      "API key": [API_KEY, "test-key-2"],
      "wrong API key": [wrongKey],
      "JWT secret": [bindings.JWT_SECRET!],
      "user token": [token, token.split(".")[2]!, expired, expired.split(".")[2]!],
      "webhook secret": [...all, rotated].flatMap(forms),
      "webhook signature": signatures.map((s) => s.replace(/^v1,/, "")),
      "provider key": [providerKey],
    };
    for (const [what, values] of Object.entries(secrets)) for (const value of values) expect(log.includes(value), `${what} in the logs`).toBe(false);
  }, 60_000);
});
