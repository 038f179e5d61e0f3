/**
 * Non-retryable failures become dead letters with their reason, exactly as exhausted retries do
 * (docs/api.md#retries-and-dead-letters; issue 13 §3), and a redrive finishes them once the cause is fixed: a missing
 * template variable, an unknown recipient, a 4xx from a provider. A stored secret that cannot
 * be opened fails only its own delivery, never its batch.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels } from "../../../src/channels/send";
import type { Bindings } from "../../../src/env";
import { api, freshId, userToken, waitFor } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";
import { createTopic, getMessage, publish, subscribeWebhook, waitForMessage } from "../../messaging-helpers";
import { bindingsWith, runQueueBatch } from "../../security-helpers";
import { clearTargets, controlReceiver, createTarget, putUser, received, receiverUrl, waitForState } from "../../sync-helpers";

interface Letter {
  id: string;
  source: string;
  sourceId: string;
  attempts: number;
  lastError: string;
  payload: unknown;
}

async function letterFor(source: string, sourceId: string): Promise<Letter> {
  return waitFor(async () => {
    const page = (await (await api(`/v1/dead-letters?source=${source}&limit=200`)).json()) as { items: Letter[] };
    return page.items.find((l) => l.sourceId === sourceId);
  }, { what: `dead letter for ${sourceId}` });
}

const channelDelivery = (id: string, channel: string) =>
  env.DB.prepare("SELECT status, attempts, last_error FROM deliveries WHERE notification_id = ?1 AND channel = ?2").bind(id, channel).first<{ status: string; attempts: number; last_error: string | null }>();

const WALLET_TEMPLATE = {
  channel: "in_app",
  subject: "Wallet recharged",
  body: "Your wallet was recharged with {{amount}} {{currency}}. New balance: {{balance}} {{currency}}.",
  description: "Sent when a wallet is topped up (in-app and SMS)",
};

describe("a missing template variable", () => {
  it("dead-letters wallet.recharged without `balance`, and a redrive delivers it once the template no longer needs it", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+14155550142" } });
    const { messageId } = (await (await publish("wallet.recharged", { payload: { userId, amount: 50, currency: "EUR" } })).json()) as { messageId: string };
    const failed = await waitForMessage(messageId, "failed");
    expect(failed.deliveries[0]).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("balance") });
    const letter = await letterFor("message", `mdl_${messageId}_sub_seed_wallet_recharged`);
    expect(letter).toMatchObject({ attempts: 1, lastError: expect.stringContaining("balance"), payload: { kind: "attempt", ids: [`mdl_${messageId}_sub_seed_wallet_recharged`] } });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?1").bind(userId).first("n")).toBe(0);

    // The fix: the balance line only when the payload has one. A payload with a balance renders
    // exactly as before, so the seed scenario is unchanged.
    const optional = { ...WALLET_TEMPLATE, body: "Your wallet was recharged with {{amount}} {{currency}}.{{#balance}} New balance: {{balance}} {{currency}}.{{/balance}}" };
    expect((await api("/v1/templates/wallet_recharged", { method: "PUT", json: optional })).ok).toBe(true);
    try {
      expect((await api(`/v1/dead-letters/${letter.id}/redrive`, { method: "POST" })).status).toBe(202);
      const done = await waitForMessage(messageId, "completed");
      expect(done.deliveries[0]).toMatchObject({ status: "succeeded", lastError: null });
      const notificationId = done.deliveries[0]!.notificationId!;
      const token = await userToken(userId);
      const inbox = await waitFor(async () => {
        const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string; body: string }[] };
        return page.items.length > 0 ? page.items : undefined;
      }, { what: "inbox item" });
      expect(inbox).toEqual([expect.objectContaining({ id: notificationId, body: "Your wallet was recharged with 50 EUR." })]);
      await waitFor(async () => (await channelDelivery(notificationId, "sms"))?.status === "sent", { what: "sms sent" });
      expect(await env.DB.prepare("SELECT body FROM outbox WHERE notification_id = ?1 AND channel = 'sms'").bind(notificationId).first("body")).toBe("Your wallet was recharged with 50 EUR.");
    } finally {
      await api("/v1/templates/wallet_recharged", { method: "PUT", json: WALLET_TEMPLATE });
    }
  });
});

describe("channel sends", () => {
  it("dead-letters an SMS to a user with no phone number, and a redrive sends it once the user has one", async () => {
    const userId = freshId();
    const [row] = await storeNotifications([{ userId, title: "Code", body: "1234", channels: ["sms"] }]);
    await sendChannels(env as unknown as Bindings, [row!.id]);
    expect(await channelDelivery(row!.id, "sms")).toMatchObject({ status: "failed", attempts: 1, last_error: expect.stringContaining("no phone number") });
    const letter = await letterFor("channel", `${row!.id}:sms`);
    expect(letter).toMatchObject({ attempts: 1, lastError: expect.stringContaining("no phone number"), payload: { kind: "channel", ids: [row!.id] } });

    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+14155550143" } });
    expect((await api(`/v1/dead-letters/${letter.id}/redrive`, { method: "POST" })).status).toBe(202);
    await waitFor(async () => (await channelDelivery(row!.id, "sms"))?.status === "sent", { what: "sms sent after redrive" });
    expect(await env.DB.prepare("SELECT recipient FROM outbox WHERE notification_id = ?1 AND channel = 'sms'").bind(row!.id).first("recipient")).toBe("+14155550143");
  });

  it("dead-letters a 4xx from the SMS provider at once, naming the answer", async () => {
    const name = freshId("twilio");
    await controlReceiver(name, { mode: "gone" });
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+447700900124" } });
    const twilio = bindingsWith({ SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", SMS_FROM: "+15005550006", TWILIO_API_URL: `${receiverUrl()}/provider/${name}` });
    const [row] = await storeNotifications([{ userId, title: "Code", body: "1234", channels: ["sms"] }]);
    await sendChannels(twilio, [row!.id]);
    expect(await channelDelivery(row!.id, "sms")).toMatchObject({ status: "failed", attempts: 1 });
    expect(await letterFor("channel", `${row!.id}:sms`)).toMatchObject({ attempts: 1, lastError: expect.stringContaining("HTTP 400") });
    expect((await received(name)).calls).toHaveLength(1);
  });
});

describe("a stored secret that cannot be opened", () => {
  it("fails only its own sync delivery, as a dead letter; the other target still gets the event", async () => {
    await clearTargets();
    const [good, broken] = [await createTarget(), await createTarget()];
    await env.DB.prepare("UPDATE sync_targets SET secret = 'v1.AAAA.AAAA' WHERE id = ?1").bind(broken.id).run();
    const userId = freshId();
    expect((await putUser(userId, { name: "Ada" })).status).toBe(201);
    await waitForState(good.name, { [userId]: 1 });
    const row = await waitFor(
      async () =>
        (await env.DB.prepare("SELECT id, status, last_error FROM sync_deliveries WHERE target_id = ?1 AND user_id = ?2 AND status = 'failed'").bind(broken.id, userId).first<{ id: string; status: string; last_error: string }>()) ?? undefined,
      { what: "the broken target's delivery failed" },
    );
    expect(row.last_error).toContain("stored secret");
    expect(await letterFor("sync", row.id)).toMatchObject({ lastError: expect.stringContaining("stored secret"), payload: { kind: "deliver", ids: [row.id] } });
    expect((await received(broken.name)).received).toEqual([]);
  });

  it("fails only its own topic-message delivery; the other subscription completes", async () => {
    const topic = await createTopic();
    const [good, broken] = [await subscribeWebhook(topic), await subscribeWebhook(topic)];
    await env.DB.prepare("UPDATE topic_subscriptions SET secret = 'v1.AAAA.AAAA' WHERE id = ?1").bind(broken.id).run();
    const { messageId } = (await (await publish(topic, { payload: { n: 1 } })).json()) as { messageId: string };
    const message = await waitForMessage(messageId, "failed");
    const byId = new Map(message.deliveries.map((d) => [d.subscriptionId, d]));
    expect(byId.get(good.id)).toMatchObject({ status: "succeeded" });
    expect(byId.get(broken.id)).toMatchObject({ status: "failed", lastError: expect.stringContaining("stored secret") });
    expect(await letterFor("message", `mdl_${messageId}_${broken.id}`)).toMatchObject({ lastError: expect.stringContaining("stored secret") });
    expect((await received(good.name)).received).toHaveLength(1);
    expect((await getMessage(messageId)).deliveries).toHaveLength(2);
  });
});

describe("a target that is gone or disabled", () => {
  it("dead-letters a pending sync delivery whose target was deleted", async () => {
    const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES (?1, 'tgt_deleted', ?2, 'user.updated', 1, '{}', 'pending', 1, ?3, ?3, ?3)`,
    )
      .bind(id, freshId(), now)
      .run();
    expect((await runQueueBatch("herald-sync", [{ kind: "deliver", ids: [id] }], env as unknown as Bindings)).ackAll).toBe(true);
    expect(await env.DB.prepare("SELECT status, last_error FROM sync_deliveries WHERE id = ?1").bind(id).first()).toEqual({ status: "failed", last_error: "target deleted" });
    expect(await letterFor("sync", id)).toMatchObject({ attempts: 1, lastError: "target deleted", payload: { kind: "deliver", ids: [id] } });
  });

  it("dead-letters a pending topic-message delivery whose subscription was disabled", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await env.DB.prepare("UPDATE topic_subscriptions SET enabled = 0 WHERE id = ?1").bind(sub.id).run();
    const messageId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, created_at, updated_at) VALUES (?1, ?2, '{}', 'processing', 0, 8, ?3, ?3, ?3)`,
      ).bind(messageId, topic, now),
      env.DB.prepare(
        `INSERT INTO message_deliveries (id, message_id, subscription_id, status, attempts, created_at, updated_at) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4)`,
      ).bind(`mdl_${messageId}_${sub.id}`, messageId, sub.id, now),
    ]);
    expect((await runQueueBatch("herald-messages", [{ kind: "attempt", ids: [`mdl_${messageId}_${sub.id}`] }], env as unknown as Bindings)).ackAll).toBe(true);
    const message = await getMessage(messageId);
    expect(message.status).toBe("failed");
    expect(message.deliveries[0]).toMatchObject({ status: "failed", lastError: "subscription disabled" });
    expect(await letterFor("message", `mdl_${messageId}_${sub.id}`)).toMatchObject({ lastError: "subscription disabled" });
    expect((await received(sub.name)).received).toEqual([]);
  });
});
