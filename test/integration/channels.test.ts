/**
 * Email, SMS and Web Push channels (docs/api.md#templates-and-the-outbox): outbox by default, real providers by
 * configuration against a local fake provider API, per-channel status, retries, and the seed
 * scenario end to end.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels } from "../../src/channels/send";
import type { Bindings } from "../../src/env";
import { api, freshId, userToken, waitFor } from "../helpers";
import { publish, waitForMessage } from "../messaging-helpers";
import { controlReceiver, received, receiverUrl } from "../sync-helpers";

interface OutboxItem {
  notificationId: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
}

async function outboxFor(notificationId: string, channel: string): Promise<OutboxItem | undefined> {
  const res = (await (await api(`/v1/outbox?channel=${channel}&limit=200`)).json()) as { items: OutboxItem[] };
  return res.items.find((i) => i.notificationId === notificationId);
}

async function deliveryOf(id: string, channel: string) {
  const view = (await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: { channel: string; status: string; attempts: number; lastError: string | null }[] };
  return view.deliveries.find((d) => d.channel === channel)!;
}

/** A notification whose email/sms deliveries wait in `queued`, with no queue message sent for them. */
async function queuedNotification(userId: string, channels: string[]) {
  const id = `01${crypto.randomUUID().replaceAll("-", "").slice(0, 24).toUpperCase()}`;
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO notifications (id, user_id, title, body, channels, priority, created_at, updated_at, dispatch_after, enqueued_at, dispatched_at)
       VALUES (?1, ?2, 'Receipt', 'Paid 5 EUR', ?3, 'normal', ?4, ?4, ?4, ?4, ?4)`,
    ).bind(id, userId, JSON.stringify(channels), now),
    ...channels.map((c) => env.DB.prepare(`INSERT INTO deliveries (notification_id, channel, status, attempts, updated_at) VALUES (?1, ?2, 'queued', 0, ?3)`).bind(id, c, now)),
  ]);
  return id;
}

describe("outbox provider (default)", () => {
  it("renders and stores email and SMS for a notification, and shows per-channel status", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "ada@example.com", phone: "+14155550123" } });
    const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "Hello <you>", body: "Line & more", channels: ["in_app", "email", "sms"] } });
    const { id } = (await res.json()) as { id: string };
    const email = await waitFor(() => outboxFor(id, "email"), { what: "email in outbox" });
    expect(email).toMatchObject({ recipient: "ada@example.com", subject: "Hello <you>", body: "Line & more", html: "<p>Line &amp; more</p>" });
    expect(await waitFor(() => outboxFor(id, "sms"), { what: "sms in outbox" })).toMatchObject({ recipient: "+14155550123" });
    await waitFor(async () => (await deliveryOf(id, "sms")).status === "sent", { what: "sms sent" });
    expect(await deliveryOf(id, "email")).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("fails a channel with no recipient at once, naming why", async () => {
    const userId = freshId();
    const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "x", channels: ["sms"] } })).json()) as { id: string };
    await waitFor(async () => (await deliveryOf(id, "sms")).status === "failed", { what: "sms failed" });
    expect((await deliveryOf(id, "sms")).lastError).toContain("no phone number");
  });

  it("sends push to the user's subscriptions (outbox keeps it)", async () => {
    const userId = freshId();
    await env.DB.prepare(`INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at, updated_at) VALUES (?1, ?2, 'k', 'a', 0, 0)`)
      .bind(`https://push.example.com/${userId}`, userId)
      .run();
    const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "Ping", channels: ["push"] } })).json()) as { id: string };
    expect(await waitFor(() => outboxFor(id, "push"), { what: "push in outbox" })).toMatchObject({ recipient: `https://push.example.com/${userId}`, subject: "Ping" });
  });
});

describe("HTTP providers", () => {
  const withProvider = (vars: Record<string, string>) => Object.create(env, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v }]))) as Bindings;

  it("sends email through a Resend-compatible API, retrying a 500 and then succeeding", async () => {
    const name = freshId("resend");
    await controlReceiver(name, { failTimes: 1 });
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "bob@example.com" } });
    const id = await queuedNotification(userId, ["email"]);
    const resend = withProvider({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test", EMAIL_FROM: "Herald <no-reply@example.com>", RESEND_API_URL: `${receiverUrl()}/provider/${name}` });

    await sendChannels(resend, [id]);
    expect(await deliveryOf(id, "email")).toMatchObject({ status: "queued", attempts: 1, lastError: expect.stringContaining("500") });
    await sendChannels(resend, [id]);
    expect(await deliveryOf(id, "email")).toMatchObject({ status: "sent", attempts: 2 });
    const calls = (await received(name)).calls;
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ authorization: "Bearer re_test", idempotencyKey: `${id}:email` });
    expect(JSON.parse(calls[1]!.body)).toEqual({
      from: "Herald <no-reply@example.com>",
      to: ["bob@example.com"],
      subject: "Receipt",
      html: "<p>Paid 5 EUR</p>",
      text: "Paid 5 EUR",
      // One-click unsubscribe on every email (RFC 2369, RFC 8058; docs/api.md#preferences).
      headers: { "List-Unsubscribe": expect.stringMatching(/^<https:\/\/[^>]+\/v1\/unsubscribe\?token=[^>]+>$/), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
  });

  it("sends SMS through a Twilio-compatible API and fails a 4xx at once", async () => {
    const name = freshId("twilio");
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+447700900123" } });
    const twilio = withProvider({ SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC123", TWILIO_AUTH_TOKEN: "tok", SMS_FROM: "+15005550006", TWILIO_API_URL: `${receiverUrl()}/provider/${name}` });
    const ok = await queuedNotification(userId, ["sms"]);
    await sendChannels(twilio, [ok]);
    expect(await deliveryOf(ok, "sms")).toMatchObject({ status: "sent" });
    const call = (await received(name)).calls[0]!;
    expect(call.authorization).toBe(`Basic ${btoa("AC123:tok")}`);
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({ To: "+447700900123", From: "+15005550006", Body: "Receipt\nPaid 5 EUR" });

    await controlReceiver(name, { mode: "gone" });
    const bad = await queuedNotification(userId, ["sms"]);
    await sendChannels(twilio, [bad]);
    expect(await deliveryOf(bad, "sms")).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("400") });
  });

  it("never sends one delivery twice when two senders hold it at once", async () => {
    const name = freshId("resend");
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "c@example.com" } });
    const id = await queuedNotification(userId, ["email"]);
    const resend = withProvider({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "k", EMAIL_FROM: "a@example.com", RESEND_API_URL: `${receiverUrl()}/provider/${name}` });
    await Promise.all([sendChannels(resend, [id]), sendChannels(resend, [id]), sendChannels(resend, [id])]);
    expect((await received(name)).calls).toHaveLength(1);
  });
});

describe("seed scenario", () => {
  it("user.registered puts a rendered welcome email in the outbox", async () => {
    const userId = freshId();
    const { messageId } = (await (await publish("user.registered", { payload: { userId, username: "Ada & co", email: "ada@example.com" } })).json()) as { messageId: string };
    const done = await waitForMessage(messageId, "completed");
    const notificationId = done.deliveries.find((d) => d.subscriptionId === "sub_seed_user_registered_welcome")!.notificationId!;
    const email = await waitFor(() => outboxFor(notificationId, "email"), { what: "welcome email" });
    expect(email).toMatchObject({ recipient: "ada@example.com", subject: "Welcome to the app, Ada & co!" });
    expect(email.html).toContain("<h1>Welcome, Ada &amp; co!</h1>");
  });

  it("wallet.recharged reaches the user's inbox and the SMS outbox, once even if redelivered", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+14155550199" } });
    const payload = { userId, amount: 50, currency: "EUR", balance: 80 };
    const { messageId } = (await (await publish("wallet.recharged", { payload })).json()) as { messageId: string };
    const done = await waitForMessage(messageId, "completed");
    const notificationId = done.deliveries[0]!.notificationId!;
    const token = await userToken(userId);
    const inbox = await waitFor(async () => {
      const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string; title: string; body: string }[] };
      return page.items.length > 0 ? page.items : undefined;
    }, { what: "inbox item" });
    expect(inbox).toEqual([expect.objectContaining({ id: notificationId, title: "Wallet recharged", body: "Your wallet was recharged with 50 EUR. New balance: 80 EUR." })]);
    expect(await waitFor(() => outboxFor(notificationId, "sms"), { what: "sms" })).toMatchObject({ recipient: "+14155550199" });

    // The queue redelivers the message: no second notification.
    await env.MESSAGES.send({ kind: "publish", ids: [messageId] });
    await env.DB.prepare("UPDATE message_deliveries SET status = 'pending' WHERE message_id = ?").bind(messageId).run();
    await env.MESSAGES.send({ kind: "attempt", ids: [done.deliveries[0] ? `mdl_${messageId}_sub_seed_wallet_recharged` : ""] });
    await waitForMessage(messageId, "completed");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?").bind(userId).first<{ n: number }>();
    expect(count!.n).toBe(1);
  });
});
