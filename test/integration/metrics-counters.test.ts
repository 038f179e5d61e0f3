/**
 * `GET /metrics` counters and histograms (docs/api.md#stats-and-metrics, issue 19): each moves by
 * exactly the work done, once, however often the work is retried or replayed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertDeadLettersStatements } from "../../src/db/dead-letters";
import { api, Device, freshId, sendNotification, userToken, waitFor } from "../helpers";
import { inAppStatuses } from "../inbox-helpers";
import { createTopic, publish, subscribeWebhook, waitForMessage } from "../messaging-helpers";

/** Every sample of a scrape, by its series (`name{labels}`). */
async function scrape(): Promise<Map<string, number>> {
  const res = await api("/metrics");
  expect(res.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** How much each of `series` grew between two scrapes (a missing series counts as 0). */
const growth = (before: Map<string, number>, after: Map<string, number>, series: string[]) => Object.fromEntries(series.map((s) => [s, (after.get(s) ?? 0) - (before.get(s) ?? 0)]));

describe("metrics counters", () => {
  it("counts an in-app delivery once per status, and its acceptance-to-ack time in the histogram", async () => {
    const userId = freshId();
    const device = await Device.connect(await userToken(userId));
    await device.next("hello");
    const before = await scrape();
    const key = freshId("k");
    const id = await sendNotification(userId, {}, { "idempotency-key": key });
    // A replay of the same request creates nothing, so counts nothing.
    expect(await sendNotification(userId, {}, { "idempotency-key": key })).toBe(id);
    const frame = await device.next("notification");
    device.send({ type: "ack", seq: frame.seq });
    await waitFor(async () => (await inAppStatuses([id])).get(id) === "delivered", { what: "delivered in D1" });
    const after = await scrape();
    device.close();

    expect(
      growth(before, after, [
        'herald_notifications_total{channel="in_app",status="queued"}',
        'herald_notifications_total{channel="in_app",status="sent"}',
        'herald_notifications_total{channel="in_app",status="delivered"}',
        "herald_inapp_delivery_seconds_count",
        'herald_inapp_delivery_seconds_bucket{le="+Inf"}',
        'herald_inapp_delivery_seconds_bucket{le="86400"}',
      ]),
    ).toEqual({
      'herald_notifications_total{channel="in_app",status="queued"}': 1,
      'herald_notifications_total{channel="in_app",status="sent"}': 1,
      'herald_notifications_total{channel="in_app",status="delivered"}': 1,
      herald_inapp_delivery_seconds_count: 1,
      'herald_inapp_delivery_seconds_bucket{le="+Inf"}': 1,
      'herald_inapp_delivery_seconds_bucket{le="86400"}': 1,
    });
    expect(after.get("herald_inapp_delivery_seconds_sum")!).toBeGreaterThan(before.get("herald_inapp_delivery_seconds_sum") ?? 0);
    // Buckets are cumulative: never fewer at a higher bound.
    const buckets = [...after].filter(([s]) => s.startsWith("herald_inapp_delivery_seconds_bucket")).map(([, n]) => n);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });

  it("counts a published topic message, its webhook delivery and the attempt's duration", async () => {
    const topic = await createTopic();
    await subscribeWebhook(topic);
    const before = await scrape();
    const res = await publish(topic, { payload: { n: 1 } });
    expect(res.status).toBe(202);
    await waitForMessage(((await res.json()) as { messageId: string }).messageId, "completed");
    const after = await scrape();
    expect(growth(before, after, ["herald_topic_messages_total", 'herald_topic_deliveries_total{status="succeeded"}', 'herald_webhook_duration_seconds_count{target="topic"}', 'herald_webhook_duration_seconds_bucket{target="topic",le="+Inf"}'])).toEqual({
      herald_topic_messages_total: 1,
      'herald_topic_deliveries_total{status="succeeded"}': 1,
      'herald_webhook_duration_seconds_count{target="topic"}': 1,
      'herald_webhook_duration_seconds_bucket{target="topic",le="+Inf"}': 1,
    });
  });

  it("counts a dead letter once when stored twice, and once when discarded", async () => {
    const id = freshId("dl");
    const letter = { id, source: "sync" as const, sourceId: "x", queue: "herald-sync", payload: { kind: "deliver", ids: [] }, attempts: 8, lastError: "boom" };
    const before = await scrape();
    await env.DB.batch(insertDeadLettersStatements(env.DB, [letter], Date.now()));
    await env.DB.batch(insertDeadLettersStatements(env.DB, [letter], Date.now()));
    expect((await api(`/v1/dead-letters/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/dead-letters/${id}`, { method: "DELETE" })).status).toBe(404);
    const after = await scrape();
    expect(growth(before, after, ['herald_dead_letters_created_total{source="sync"}', 'herald_dead_letters_discarded_total{source="sync"}'])).toEqual({
      'herald_dead_letters_created_total{source="sync"}': 1,
      'herald_dead_letters_discarded_total{source="sync"}': 1,
    });
  });

  it("exports no 24-hour windows, no _ms names and no quantile labels", async () => {
    const text = await (await api("/metrics")).text();
    expect(text).not.toMatch(/_24h|_ms\b|quantile=/);
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) if (type === "counter") expect(name).toMatch(/_total$/);
  });
});
