/**
 * Providers get their own idempotency key (issue 13 §3): Resend's `Idempotency-Key` is stable per
 * (notification, channel) across every retry of that send, and differs between notifications,
 * so a resend after a lost answer is deduplicated by the provider itself.
 */
import { describe, expect, it } from "vitest";
import { sendChannels } from "../../../src/channels/send";
import { api, freshId } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";
import { bindingsWith } from "../../security-helpers";
import { controlReceiver, received, receiverUrl } from "../../sync-helpers";

describe("Resend Idempotency-Key", () => {
  it("carries one key per notification and channel across retries, and another key for another notification", async () => {
    const name = freshId("resend");
    await controlReceiver(name, { failTimes: 2 });
    const userId = freshId();
    await api(`/v1/users/${userId}`, { method: "PUT", json: { email: "ida@example.com" } });
    const resend = bindingsWith({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_k", EMAIL_FROM: "a@example.com", RESEND_API_URL: `${receiverUrl()}/provider/${name}` });
    const [a, b] = await storeNotifications([
      { userId, title: "One", channels: ["email"] },
      { userId, title: "Two", channels: ["email"] },
    ]);
    // Three attempts at `a` (500, 500, 200), driven directly so no backoff is waited for.
    for (let i = 0; i < 3; i++) await sendChannels(resend, [a!.id]);
    await sendChannels(resend, [b!.id]);

    const calls = (await received(name)).calls;
    expect(calls.map((c) => c.answered)).toEqual([500, 500, 200, 200]);
    expect(calls.slice(0, 3).map((c) => c.idempotencyKey)).toEqual([`${a!.id}:email`, `${a!.id}:email`, `${a!.id}:email`]);
    expect(calls[3]!.idempotencyKey).toBe(`${b!.id}:email`);
  });
});
