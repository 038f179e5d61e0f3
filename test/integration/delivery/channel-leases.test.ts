/**
 * A lease covers one delivery, for as long as its send runs (issue 13 §3): a provider slower than
 * the lease must not let a second sender, nor the lease sweeper, take the delivery and send it
 * again. The lease is shortened by the `CHANNEL_LEASE_MS` var; the Twilio-compatible provider is
 * the local receiver, answering after the lease has run out.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels, sweepExpiredLeases } from "../../../src/channels/send";
import { api, freshId } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";
import { bindingsWith, recordingQueue } from "../../security-helpers";
import { controlReceiver, received, receiverUrl } from "../../sync-helpers";

const LEASE_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("channel send leases", () => {
  it("sends exactly one SMS when the provider answers after the lease has run out", async () => {
    const name = freshId("twilio");
    await controlReceiver(name, { delayMs: 4 * LEASE_MS });
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { phone: "+14155550177" } });
    const [row] = await storeNotifications([{ userId, title: "Code", body: "1234", channels: ["sms"] }]);
    const id = row!.id;
    const resent = recordingQueue();
    const twilio = bindingsWith({
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC9",
      TWILIO_AUTH_TOKEN: "tok",
      SMS_FROM: "+15005550006",
      TWILIO_API_URL: `${receiverUrl()}/provider/${name}`,
      CHANNEL_LEASE_MS: String(LEASE_MS),
      CHANNELS: resent.queue,
    });

    const first = sendChannels(twilio, [id]);
    // Past the lease as first claimed: a redelivered batch and the sweeper both look now.
    await sleep(2 * LEASE_MS);
    const second = sendChannels(twilio, [id]);
    await sweepExpiredLeases(twilio, Date.now());
    await Promise.all([first, second]);

    const calls = (await received(name)).calls;
    expect(calls).toHaveLength(1);
    expect(resent.sent.flatMap((b) => (b as { ids: string[] }).ids)).not.toContain(id);
    const delivery = await env.DB.prepare("SELECT status, attempts, locked_until FROM deliveries WHERE notification_id = ?1 AND channel = 'sms'").bind(id).first();
    expect(delivery).toEqual({ status: "sent", attempts: 1, locked_until: null });

    // A further sender finds nothing to send.
    await sendChannels(twilio, [id]);
    expect((await received(name)).calls).toHaveLength(1);
  });
});
