/**
 * Preferences judged at every channel send (docs/api.md#preferences): skipped deliveries with their
 * reason in the notification, stats and metrics; a category switched off in-app kept out of the
 * inbox and the unread count; `critical` bypassing everything; preferences loaded once per batch.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels } from "../../../src/channels/send";
import type { Bindings } from "../../../src/env";
import { instrumentD1 } from "../../d1-proxy";
import { api, freshId, userToken, waitFor } from "../../helpers";
import { runDispatchBatch, storeNotifications } from "../../inbox-helpers";

interface Delivery {
  channel: string;
  status: string;
  reason: string | null;
  deliverAt: string | null;
}

const deliveries = async (id: string) => ((await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: Delivery[] }).deliveries;
const deliveryOf = async (id: string, channel: string) => (await deliveries(id)).find((d) => d.channel === channel)!;
const settled = (id: string, channel: string, status: string) => waitFor(async () => ((await deliveryOf(id, channel)).status === status ? deliveryOf(id, channel) : undefined), { what: `${channel} ${status}` });
const send = async (body: Record<string, unknown>) => ((await (await api("/v1/notifications", { method: "POST", json: { title: "T", body: "B", ...body } })).json()) as { id: string }).id;
const setPrefs = async (userId: string, patch: unknown) => expect((await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: patch })).status).toBe(200);
const outbox = async (id: string) => ((await (await api("/v1/outbox?limit=200")).json()) as { items: { notificationId: string }[] }).items.filter((i) => i.notificationId === id);

describe("preferences at send time", () => {
  it("keeps a category switched off in-app out of the inbox and the unread count", async () => {
    const userId = freshId();
    await setPrefs(userId, { categories: { promo: { channels: { in_app: false } } } });
    const promo = await send({ userId, category: "promo" });
    const general = await send({ userId });
    expect(await settled(promo, "in_app", "skipped")).toMatchObject({ reason: "preference" });
    await settled(general, "in_app", "sent");
    const token = await userToken(userId);
    const inbox = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string }[]; unreadCount: number };
    expect(inbox.items.map((i) => i.id)).toEqual([general]);
    expect(inbox.unreadCount).toBe(1);
  });

  it("skips channels switched off globally or by category, and unsubscribed ones, each with its reason; nothing reaches the outbox", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "skip@example.com", phone: "+14155550100" } });
    await setPrefs(userId, { channels: { sms: false }, categories: { news: { channels: { push: false } } }, unsubscribed: { news: { email: true } } });
    const id = await send({ userId, category: "news", channels: ["in_app", "email", "sms", "push"] });
    expect(await settled(id, "email", "skipped")).toMatchObject({ reason: "unsubscribed" });
    expect(await settled(id, "sms", "skipped")).toMatchObject({ reason: "preference" });
    expect(await settled(id, "push", "skipped")).toMatchObject({ reason: "preference" });
    await settled(id, "in_app", "sent");
    expect(await outbox(id)).toEqual([]);
    // Another category of the same user still goes out by email.
    const other = await send({ userId, category: "billing", channels: ["email"] });
    await settled(other, "email", "sent");
  });

  it("sends a critical notification whatever the preferences say", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "otp@example.com" } });
    await setPrefs(userId, {
      channels: { in_app: false, email: false },
      categories: { "security.otp": { enabled: false } },
      quietHours: { start: "00:00", end: "23:59" },
    });
    const id = await send({ userId, category: "security.otp", critical: true, channels: ["in_app", "email"] });
    await settled(id, "in_app", "sent");
    expect(await settled(id, "email", "sent")).toMatchObject({ reason: null, deliverAt: null });
  });

  it("counts skips by reason in /v1/stats and /metrics", async () => {
    const stats = async () => ((await (await api("/v1/stats")).json()) as { deliveries: { skipped: { preference: number; unsubscribed: number } } }).deliveries.skipped;
    const before = await stats();
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "count@example.com" } });
    await setPrefs(userId, { channels: { in_app: false }, unsubscribed: { general: { email: true } } });
    const id = await send({ userId, channels: ["in_app", "email"] });
    await settled(id, "in_app", "skipped");
    await settled(id, "email", "skipped");
    const after = await stats();
    expect(after.preference).toBeGreaterThanOrEqual(before.preference + 1);
    expect(after.unsubscribed).toBeGreaterThanOrEqual(before.unsubscribed + 1);
    const metrics = await (await api("/metrics")).text();
    expect(metrics).toContain("# TYPE herald_deliveries_total counter");
    expect(metrics).toMatch(/herald_deliveries_total\{status="skipped",reason="preference"\} \d+/);
    expect(metrics).toMatch(/herald_deliveries_total\{status="skipped",reason="unsubscribed"\} \d+/);
    const byChannel = ((await (await api("/v1/stats")).json()) as { deliveries: { byChannel: Record<string, Record<string, number>> } }).deliveries.byChannel;
    expect(byChannel.email?.skipped).toBeGreaterThanOrEqual(1);
  });

  it("loads the preferences of a whole dispatch batch and a whole channel batch in one query each", async () => {
    const users = Array.from({ length: 30 }, () => freshId());
    await api("/v1/preferences/bulk", { method: "POST", json: { items: users.map((userId) => ({ userId, patch: { categories: { promo: { enabled: false } } } })) } });
    // In-app rows go through the dispatch consumer; email rows (stored, never enqueued) straight to the sender.
    const inApp = (await storeNotifications(users.map((userId) => ({ userId, category: "promo", channels: ["in_app"] })))).map((r) => r.id);
    const email = (await storeNotifications(users.map((userId) => ({ userId, category: "promo", channels: ["email"] })))).map((r) => r.id);
    const queries: string[] = [];
    const DB = instrumentD1(env.DB, { before: (sql) => queries.push(...sql.filter((s) => s.includes("user_preferences") && s.trimStart().startsWith("SELECT"))) });
    const bindings = { ...env, DB } as Bindings;
    await runDispatchBatch([inApp.slice(0, 15), inApp.slice(15)], { bindings });
    expect(queries).toHaveLength(1);
    await sendChannels(bindings, email);
    expect(queries).toHaveLength(2);
    for (const id of inApp) expect(await deliveryOf(id, "in_app")).toMatchObject({ status: "skipped", reason: "preference" });
    for (const id of email) expect(await deliveryOf(id, "email")).toMatchObject({ status: "skipped", reason: "preference" });
  });
});
