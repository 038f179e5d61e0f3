/**
 * Outbound URLs (issue 9): webhook and provider URLs are https unless `ALLOW_HTTP_WEBHOOKS` is
 * "true" (the tests' receiver is plain http, so the suite turns it on; these tests switch it off
 * with the production value), redirects are never followed, and an answer's body is read only
 * up to a cap — against a real receiver that redirects or streams a 256 MiB body.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sendChannels } from "../../src/channels/send";
import { api, API_KEY, freshId, waitFor } from "../helpers";
import { storeNotifications } from "../inbox-helpers";
import { createTopic, getMessage, publish, subscribeWebhook } from "../messaging-helpers";
import { appFetch, bindingsWith, expectProblem } from "../security-helpers";
import { clearTargets, controlReceiver, createTarget, putUser, received, receiverUrl } from "../sync-helpers";
import { HUGE_BODY_BYTES } from "../support/webhook-receiver";

/** The app as deployed: http URLs not allowed. */
const production = appFetch(bindingsWith({ ALLOW_HTTP_WEBHOOKS: "false" }));
const send = (method: string, path: string, body: unknown) =>
  production(path, { method, headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });

const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

interface SyncDelivery {
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
}
const syncDeliveries = async (targetId: string) => ((await (await api(`/v1/sync/deliveries?targetId=${targetId}`)).json()) as { items: SyncDelivery[] }).items;

/** What the receiver wrote of its last `huge` body. */
async function hugeAnswer(name: string) {
  return ((await (await fetch(`${receiverUrl()}/received/${name}`)).json()) as { huge: { written: number; finished: boolean } | null }).huge ?? undefined;
}

/**
 * A notification whose email delivery waits in `queued`, stored as an accepted request leaves it
 * but never enqueued: only the test's own `sendChannels`, with the provider it configures, sends it.
 */
async function queuedEmail(): Promise<string> {
  const userId = freshId();
  await putUser(userId, { email: "eve@example.com" });
  const [row] = await storeNotifications([{ userId, title: "Receipt", channels: ["email"] }]);
  return row!.id;
}

const emailDelivery = async (id: string) =>
  ((await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { channel: string; status: string; attempts: number; lastError: string | null }[] }).deliveries.find((d) => d.channel === "email")!;

const resend = (name: string, allowHttp: "true" | "false") =>
  bindingsWith({ ALLOW_HTTP_WEBHOOKS: allowHttp, EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test_key", EMAIL_FROM: "a@example.com", RESEND_API_URL: `${receiverUrl()}/provider/${name}` });

beforeEach(clearTargets);

describe("https only, unless development allows http", () => {
  it("refuses http sync target URLs on create and update, storing nothing", async () => {
    const before = await count("sync_targets");
    const refused = await send("POST", "/v1/sync/targets", { name: "plain", url: "http://example.com/hook" });
    expect(refused.status).toBe(400);
    expect(await expectProblem(refused)).toMatchObject({ code: "validation_failed", errors: [{ path: "url" }] });
    expect(await count("sync_targets")).toBe(before);

    const created = await send("POST", "/v1/sync/targets", { name: "tls", url: "https://example.com/hook" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const patched = await send("PATCH", `/v1/sync/targets/${id}`, { url: "http://example.com/other" });
    expect(patched.status).toBe(400);
    expect(await (await api(`/v1/sync/targets/${id}`)).json()).toMatchObject({ url: "https://example.com/hook" });

    // The development switch is what lets the suite's plain-http receiver in.
    expect((await api("/v1/sync/targets", { method: "POST", json: { name: "dev", url: "http://example.com/hook" } })).status).toBe(201);
  });

  it("refuses http webhook subscriptions to topics, storing nothing", async () => {
    const topic = await createTopic();
    const before = await count("topic_subscriptions");
    const refused = await send("POST", `/v1/topics/${topic}/subscriptions`, { kind: "webhook", url: "http://example.com/hook" });
    expect(refused.status).toBe(400);
    expect(await expectProblem(refused)).toMatchObject({ code: "validation_failed", errors: [{ path: "url" }] });
    expect(await count("topic_subscriptions")).toBe(before);
    expect((await send("POST", `/v1/topics/${topic}/subscriptions`, { kind: "webhook", url: "https://example.com/hook" })).status).toBe(201);
  });

  it("never calls a provider API over http: the message is kept in the outbox instead", async () => {
    const name = freshId("resend");
    const id = await queuedEmail();
    await sendChannels(resend(name, "false"), [id]);
    expect((await received(name)).calls).toEqual([]);
    expect(await emailDelivery(id)).toMatchObject({ status: "sent" });
    const outbox = (await (await api("/v1/outbox?channel=email&limit=200")).json()) as { items: { notificationId: string }[] };
    expect(outbox.items.map((i) => i.notificationId)).toContain(id);
  });
});

describe("redirects are not followed", () => {
  it("fails a sync delivery answered with 302 at once, and the redirect target hears nothing", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "redirect" });
    await putUser(freshId(), { name: "r" });
    const [delivery] = await waitFor(async () => {
      const rows = await syncDeliveries(target.id);
      return rows[0]?.status === "failed" ? rows : undefined;
    }, { what: "delivery failed" });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 302, lastError: expect.stringContaining("redirects are not followed") });
    expect((await received(`${target.name}-moved`)).received).toEqual([]);
  });

  it("fails a topic webhook answered with 302, and the redirect target hears nothing", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await controlReceiver(sub.name, { mode: "redirect" });
    const { messageId } = (await (await publish(topic, { payload: { n: 1 } })).json()) as { messageId: string };
    const message = await waitFor(async () => {
      const m = await getMessage(messageId);
      return m.status === "failed" ? m : undefined;
    }, { what: "message failed" });
    expect(message.deliveries[0]).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("302") });
    expect((await received(`${sub.name}-moved`)).received).toEqual([]);
  });

  it("fails a provider call answered with 302, and the redirect target hears nothing", async () => {
    const name = freshId("resend");
    await controlReceiver(name, { mode: "redirect" });
    const id = await queuedEmail();
    await sendChannels(resend(name, "true"), [id]);
    expect(await emailDelivery(id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("302") });
    expect((await received(name)).calls).toHaveLength(1);
    expect((await received(`${name}-moved`)).calls).toEqual([]);
  });
});

describe("answers are read with a size cap", () => {
  it("reads a few KiB of a 256 MiB webhook error body, then hangs up", async () => {
    const target = await createTarget();
    await controlReceiver(target.name, { mode: "huge" });
    await putUser(freshId(), { name: "h" });
    const [delivery] = await waitFor(async () => {
      const rows = await syncDeliveries(target.id);
      return rows[0] && rows[0].attempts >= 1 ? rows : undefined;
    }, { what: "first attempt" });
    // Stop the retries before looking: the first answer is the one under test.
    await controlReceiver(target.name, { mode: "ok" });
    expect(delivery).toMatchObject({ lastStatusCode: 500 });
    expect(delivery!.lastError!.length).toBeLessThanOrEqual(600);
    const huge = await waitFor(() => hugeAnswer(target.name), { what: "huge answer recorded" });
    expect(huge.finished).toBe(false);
    expect(huge.written).toBeLessThan(HUGE_BODY_BYTES / 4);
  });

  it("reads a few KiB of a 256 MiB provider error body, then hangs up", async () => {
    const name = freshId("resend");
    await controlReceiver(name, { mode: "huge" });
    const id = await queuedEmail();
    await sendChannels(resend(name, "true"), [id]);
    const delivery = await emailDelivery(id);
    expect(delivery).toMatchObject({ status: "queued", attempts: 1 });
    expect(delivery.lastError!.length).toBeLessThanOrEqual(600);
    const huge = (await hugeAnswer(name))!;
    expect(huge.finished).toBe(false);
    expect(huge.written).toBeLessThan(HUGE_BODY_BYTES / 4);
  });
});
