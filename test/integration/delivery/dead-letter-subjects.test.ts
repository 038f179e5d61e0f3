/**
 * `GET /v1/dead-letters` says what each letter's work was about — topic, target, recipient and a
 * one-line summary (docs/api.md#retries-and-dead-letters; issue 19: the console showed raw ids) —
 * for every source, read from the rows the letter's payload names, and still answers when those
 * rows are gone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChannels } from "../../../src/channels/send";
import { insertDeadLettersStatements } from "../../../src/db/dead-letters";
import type { Bindings } from "../../../src/env";
import { api, freshId, waitFor } from "../../helpers";
import { storeNotifications } from "../../inbox-helpers";
import { createTopic, publish, subscribeWebhook, waitForMessage } from "../../messaging-helpers";
import { clearTargets, createTarget, putUser } from "../../sync-helpers";

interface Subject {
  topic: string | null;
  target: string | null;
  recipient: string | null;
  items: number;
  summary: string;
}
interface Letter {
  id: string;
  sourceId: string | null;
  subject: Subject;
}

async function letterWhere(source: string, match: (l: Letter) => boolean): Promise<Letter> {
  return waitFor(async () => {
    const res = await api(`/v1/dead-letters?source=${source}&limit=200`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Letter[] }).items.find(match);
  }, { what: `a ${source} dead letter` });
}

describe("dead letter subjects", () => {
  it("a notify subscription's letter names the topic, the template and the user its pointer picks", async () => {
    const userId = freshId();
    const { messageId } = (await (await publish("wallet.recharged", { payload: { userId, amount: 50, currency: "EUR" } })).json()) as { messageId: string };
    await waitForMessage(messageId, "failed");
    const letter = await letterWhere("message", (l) => l.sourceId === `mdl_${messageId}_sub_seed_wallet_recharged`);
    expect(letter.subject).toEqual({
      topic: "wallet.recharged",
      target: "wallet_recharged",
      recipient: userId,
      items: 1,
      summary: `wallet.recharged → notify ${userId} (template wallet_recharged)`,
    });
  });

  it("a webhook subscription's letter names the topic and the URL", async () => {
    const topic = await createTopic();
    const sub = await subscribeWebhook(topic);
    await env.DB.prepare("UPDATE topic_subscriptions SET secret = 'v1.AAAA.AAAA' WHERE id = ?1").bind(sub.id).run();
    const { messageId } = (await (await publish(topic, { payload: { n: 1 } })).json()) as { messageId: string };
    await waitForMessage(messageId, "failed");
    const letter = await letterWhere("message", (l) => l.sourceId === `mdl_${messageId}_${sub.id}`);
    const url = (await env.DB.prepare("SELECT url FROM topic_subscriptions WHERE id = ?1").bind(sub.id).first<string>("url"))!;
    expect(letter.subject).toEqual({ topic, target: url, recipient: null, items: 1, summary: `${topic} → ${url}` });
  });

  it("a channel send's letter names the channel, the user and the notification's title", async () => {
    const userId = freshId();
    const [row] = await storeNotifications([{ userId, title: "Your code", body: "1234", channels: ["sms"] }]);
    await sendChannels(env as unknown as Bindings, [row!.id]);
    const letter = await letterWhere("channel", (l) => l.sourceId === `${row!.id}:sms`);
    expect(letter.subject).toEqual({ topic: null, target: "sms", recipient: userId, items: 1, summary: `sms to ${userId}: "Your code"` });
  });

  it("a sync delivery's letter names the target and the user", async () => {
    await clearTargets();
    const target = await createTarget();
    await env.DB.prepare("UPDATE sync_targets SET secret = 'v1.AAAA.AAAA' WHERE id = ?1").bind(target.id).run();
    const userId = freshId();
    expect((await putUser(userId, { name: "Ada" })).status).toBe(201);
    const delivery = await waitFor(
      async () => (await env.DB.prepare("SELECT id FROM sync_deliveries WHERE target_id = ?1 AND user_id = ?2 AND status = 'failed'").bind(target.id, userId).first<string>("id")) ?? undefined,
      { what: "the sync delivery failed" },
    );
    const letter = await letterWhere("sync", (l) => l.sourceId === delivery);
    expect(letter.subject).toEqual({ topic: null, target: target.name, recipient: userId, items: 1, summary: `sync → ${target.name} (user ${userId})` });
  });

  it("a behaviour letter names the behaviour, its target and the owner, and counts the events", async () => {
    const [owner, targetId] = [freshId("owner"), freshId("post")];
    const event = (userId: string) => ({ eventId: freshId("ev"), userId, targetId, type: "like", action: "add", occurredAt: Date.now(), targetOwnerId: owner });
    const sourceId = freshId("behaviour.like");
    await env.DB.batch(
      insertDeadLettersStatements(env.DB, [{ source: "behaviour", sourceId, queue: "herald-behaviours", payload: { kind: "behaviours", events: [event("a"), event("b"), event("c")] }, attempts: 1, lastError: "template missing" }], Date.now()),
    );
    const letter = await letterWhere("behaviour", (l) => l.sourceId === sourceId);
    expect(letter.subject).toEqual({ topic: null, target: targetId, recipient: owner, items: 3, summary: `like on ${targetId} → owner ${owner} (+2 more)` });
  });

  it("a letter whose rows are gone still lists, with what is known", async () => {
    const sourceIds = [freshId("gone"), freshId("gone"), freshId("gone")];
    await env.DB.batch(
      insertDeadLettersStatements(
        env.DB,
        [
          { source: "message", sourceId: sourceIds[0]!, queue: "herald-messages", payload: { kind: "attempt", ids: ["mdl_gone_1", "mdl_gone_2"] }, attempts: 8, lastError: "retries exhausted" },
          { source: "channel", sourceId: sourceIds[1]!, queue: "herald-dispatch", payload: { kind: "dispatch", ids: ["01GONE"] }, attempts: 8, lastError: "retries exhausted" },
          { source: "sync", sourceId: sourceIds[2]!, queue: "herald-sync", payload: { not: "a queue body" }, attempts: 1, lastError: "invalid body" },
        ],
        Date.now(),
      ),
    );
    expect((await letterWhere("message", (l) => l.sourceId === sourceIds[0])).subject).toEqual({ topic: null, target: null, recipient: null, items: 2, summary: "topic message (+1 more)" });
    expect((await letterWhere("channel", (l) => l.sourceId === sourceIds[1])).subject).toEqual({ topic: null, target: "in_app", recipient: null, items: 1, summary: "in_app" });
    expect((await letterWhere("sync", (l) => l.sourceId === sourceIds[2])).subject).toEqual({ topic: null, target: null, recipient: null, items: 1, summary: "sync" });
  });
});
