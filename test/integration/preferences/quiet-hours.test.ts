/**
 * Quiet hours at send time (docs/api.md#preferences): email, SMS and push are held until the window
 * ends (`deliverAt`), in-app still arrives, and nothing sends a held delivery early — neither a
 * repeated queue message nor the lease sweeper. The zone math on a moved clock (midnight, DST) is
 * in test/unit/preferences-evaluate.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels, sweepExpiredLeases } from "../../../src/channels/send";
import { MAX_QUEUE_DELAY_SECONDS } from "../../../src/lib/queue";
import { api, freshId, waitFor } from "../../helpers";
import { bindingsWith } from "../../security-helpers";
import { storeNotifications } from "../../inbox-helpers";

interface Delivery {
  channel: string;
  status: string;
  deliverAt: string | null;
}

const deliveryOf = async (id: string, channel: string) => ((await (await api(`/v1/notifications/${id}`)).json()) as { deliveries: Delivery[] }).deliveries.find((d) => d.channel === channel)!;
const outbox = async (id: string) => ((await (await api("/v1/outbox?limit=200")).json()) as { items: { notificationId: string; channel: string }[] }).items.filter((i) => i.notificationId === id);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe("quiet hours", () => {
  it("holds email and SMS until the window ends, shows deliverAt, and still delivers in-app", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "night@example.com", phone: "+14155550199", timezone: "UTC" } });
    const now = Date.now();
    // A window around now, in the synced profile's zone (UTC): started an hour ago, ends in two.
    const end = Math.floor((now + 2 * 3600_000) / 60_000) * 60_000;
    expect((await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { quietHours: { start: hhmm(now - 3600_000), end: hhmm(end) } } })).status).toBe(200);
    const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "Night", body: "owl", channels: ["in_app", "email", "sms"] } })).json()) as { id: string };

    await waitFor(async () => (await deliveryOf(id, "in_app")).status === "sent", { what: "in-app sent" });
    const email = await waitFor(async () => {
      const d = await deliveryOf(id, "email");
      return d.deliverAt !== null ? d : undefined;
    }, { what: "email held" });
    expect(email).toMatchObject({ status: "queued", deliverAt: new Date(end).toISOString() });
    expect(await waitFor(async () => {
      const d = await deliveryOf(id, "sms");
      return d.deliverAt !== null ? d : undefined;
    }, { what: "sms held" })).toMatchObject({ status: "queued", deliverAt: new Date(end).toISOString() });

    // An early queue message (a duplicate, or a sweeper's) and the lease sweeper send nothing.
    await sendChannels(env, [id]);
    await sweepExpiredLeases(env);
    expect(await deliveryOf(id, "email")).toMatchObject({ status: "queued", deliverAt: new Date(end).toISOString() });
    expect(await outbox(id)).toEqual([]);

    // The window is over (the hold's time has come and the user dropped quiet hours): it goes out.
    await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { quietHours: null } });
    await env.DB.prepare(`UPDATE deliveries SET deliver_at = ?2 WHERE notification_id = ?1`).bind(id, Date.now() - 1000).run();
    await sendChannels(env, [id]);
    expect(await deliveryOf(id, "email")).toMatchObject({ status: "sent" });
    expect(await deliveryOf(id, "sms")).toMatchObject({ status: "sent" });
    expect((await outbox(id)).map((i) => i.channel).sort()).toEqual(["email", "sms"]);
  });

  it("holds only the channels the window names", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "half@example.com", phone: "+14155550198" } });
    const now = Date.now();
    await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { quietHours: { start: hhmm(now - 3600_000), end: hhmm(now + 3600_000), timezone: "UTC", channels: ["sms"] } } });
    const { id } = (await (await api("/v1/notifications", { method: "POST", json: { userId, title: "Half", channels: ["email", "sms"] } })).json()) as { id: string };
    await waitFor(async () => (await deliveryOf(id, "email")).status === "sent", { what: "email sent" });
    await waitFor(async () => (await deliveryOf(id, "sms")).deliverAt !== null, { what: "sms held" });
    expect((await deliveryOf(id, "email")).deliverAt).toBeNull();
  });

  it("re-enqueues a hold longer than the queue's 12 h cap in capped hops, and an early hop sends nothing", async () => {
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "long@example.com" } });
    const now = Date.now();
    // Quiet for the next ~20 hours (UTC): started a minute ago.
    const end = Math.floor((now + 20 * 3600_000) / 60_000) * 60_000;
    await api(`/v1/users/${userId}/preferences`, { method: "PATCH", json: { quietHours: { start: hhmm(now - 60_000), end: hhmm(end), timezone: "UTC" } } });
    const [row] = await storeNotifications([{ userId, channels: ["email"] }]);
    const sent: { body: unknown; delaySeconds?: number }[] = [];
    const channels = {
      send: async (body: unknown, options?: { delaySeconds?: number }) => void sent.push({ body, delaySeconds: options?.delaySeconds }),
      sendBatch: async (messages: Iterable<{ body: unknown; delaySeconds?: number }>, options?: { delaySeconds?: number }) =>
        void sent.push(...[...messages].map((m) => ({ body: m.body, delaySeconds: m.delaySeconds ?? options?.delaySeconds }))),
    };
    const bindings = bindingsWith({ CHANNELS: channels });
    for (let hop = 0; hop < 2; hop++) {
      await sendChannels(bindings, [row!.id]);
      expect(await deliveryOf(row!.id, "email")).toMatchObject({ status: "queued", deliverAt: new Date(end).toISOString() });
      expect(sent).toHaveLength(hop + 1);
      expect(sent[hop]).toEqual({ body: { kind: "channel", ids: [row!.id] }, delaySeconds: MAX_QUEUE_DELAY_SECONDS });
    }
    expect(await outbox(row!.id)).toEqual([]);
  });
});
