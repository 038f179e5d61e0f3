/**
 * A broadcast chunk that exhausts its retries (docs/api.md#audiences): it ends as a dead letter,
 * the broadcast shows `status: failed` with the recipients still waiting counted in `failed`, a
 * redelivered dead letter counts nothing twice, and redriving the letter completes the fan-out
 * with every recipient holding the item exactly once.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findDeadLetter } from "../../src/db/dead-letters";
import type { Bindings } from "../../src/env";
import worker from "../../src/index";
import { redrive } from "../../src/queues/redrive";
import { audienceTopic, freshUsers, inboxItems, subscribe, waitForBroadcast, type BroadcastView } from "../audience-helpers";
import { API_KEY, api } from "../helpers";
import { appFetch, bindingsWith, recordingQueue, runQueueBatch } from "../security-helpers";

const bindings = env as unknown as Bindings;

/** A USER_INBOX whose `deliver` fails for `down` users, as unreachable Durable Objects would; the others are the real inboxes. */
function inboxesDownFor(down: readonly string[]) {
  const unreachable = new Set(down.map((u) => env.USER_INBOX.idFromName(u).toString()));
  return {
    idFromName: (name: string) => env.USER_INBOX.idFromName(name),
    get: (id: DurableObjectId) => (unreachable.has(id.toString()) ? { deliver: () => Promise.reject(new Error("inbox unreachable")) } : env.USER_INBOX.get(id)),
  };
}

/** When the dead messages were first enqueued: a redelivery keeps a message's id and timestamp. */
const enqueuedAt = new Date(Date.now() - 60_000);

/** Hands `body` to the dead-letter queue consumer as the runtime does after the last retry, under a fixed queue message id. */
async function deadLetter(messageId: string, body: unknown) {
  const batch = createMessageBatch("herald-dlq", [{ id: messageId, timestamp: enqueuedAt, attempts: 1, body }]);
  await worker.queue(batch, bindings);
  return getQueueResult(batch, createExecutionContext());
}

/** Accepts a broadcast to `topic` whose plan is kept instead of enqueued, so the test hands it to the consumer itself. @returns its id and the plan messages. */
async function acceptHeld(topic: string, title: string): Promise<{ broadcastId: string; plans: unknown[] }> {
  const plans = recordingQueue();
  const res = await appFetch(bindingsWith({ BROADCASTS: plans.queue }))("/v1/notifications", {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ topic, title }),
  });
  expect(res.status).toBe(202);
  const { broadcastId } = (await res.json()) as { broadcastId: string };
  return { broadcastId, plans: plans.sent };
}

const view = async (id: string) => (await (await api(`/v1/broadcasts/${id}`)).json()) as BroadcastView & { failed: number };

describe("broadcast failures", () => {
  it("dead-letters a chunk whose inboxes stay unreachable, shows it failed, and completes it once redriven", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(30, "auf");
    const down = users.slice(0, 10);
    await subscribe(topic, users);

    // The plan and its chunks are handed to the consumer by hand.
    const { broadcastId, plans } = await acceptHeld(topic, "Maintenance tonight");
    const chunks = recordingQueue();
    expect((await runQueueBatch("herald-broadcasts", plans, bindingsWith({ BROADCASTS: chunks.queue }))).retryMessages).toEqual([]);
    expect(chunks.sent).toEqual([{ kind: "broadcast-chunk", broadcastId, userIds: users }]);
    const chunk = chunks.sent[0]!;

    // The chunk reaches 20 inboxes; the other 10 fail, so the queue is asked to retry it.
    const attempt = await runQueueBatch("herald-broadcasts", [chunk], bindingsWith({ USER_INBOX: inboxesDownFor(down) }));
    expect(attempt.retryMessages).toHaveLength(1);
    expect(await view(broadcastId)).toMatchObject({ status: "fanning_out", recipients: 30, fannedOut: 20, failed: 0 });

    // Its retries exhausted, the runtime moves it to the dead-letter queue (twice: a redelivery).
    const messageId = `m_${broadcastId}_chunk`;
    expect((await deadLetter(messageId, chunk)).ackAll).toBe(true);
    expect((await deadLetter(messageId, chunk)).ackAll).toBe(true);
    expect(await view(broadcastId)).toMatchObject({ status: "failed", recipients: 30, fannedOut: 20, failed: 10, completedAt: null });
    const letters = (await (await api("/v1/dead-letters?source=channel&limit=100")).json()) as { items: { id: string; payload: unknown }[] };
    const letter = letters.items.filter((l) => JSON.stringify(l.payload) === JSON.stringify(chunk));
    expect(letter).toHaveLength(1);
    expect((await findDeadLetter(env.DB, letter[0]!.id))!.queue).toBe("herald-broadcasts");

    // The inboxes are back: the redrive puts the chunk on the real queue, and only the 10 are called.
    const redriven = await api(`/v1/dead-letters/${letter[0]!.id}/redrive`, { method: "POST" });
    expect(redriven.status).toBe(202);
    expect(await waitForBroadcast(broadcastId)).toMatchObject({ status: "completed", recipients: 30, fannedOut: 30, failed: 0 });
    const items = await inboxItems(users);
    for (const u of users) expect(items.get(u), u).toEqual([broadcastId]);
    expect((await api(`/v1/dead-letters/${letter[0]!.id}`)).status).toBe(404);
  });

  it("keeps `failed` until every dead chunk is redriven, and counts a recipient once across chunks", { timeout: 60_000 }, async () => {
    const topic = await audienceTopic();
    const users = freshUsers(6, "aufm");
    await subscribe(topic, users);
    const { broadcastId } = await acceptHeld(topic, "Two dead chunks");
    const first = { kind: "broadcast-chunk", broadcastId, userIds: users.slice(0, 3) };
    // Overlaps the first by one recipient, as a re-planned chunk could.
    const second = { kind: "broadcast-chunk", broadcastId, userIds: users.slice(2) };
    await deadLetter(`m_${broadcastId}_1`, first);
    await deadLetter(`m_${broadcastId}_2`, second);
    expect(await view(broadcastId)).toMatchObject({ status: "failed", fannedOut: 0, failed: 6 });

    const letters = (await (await api("/v1/dead-letters?source=channel&limit=100")).json()) as { items: { id: string; payload: { broadcastId?: string; userIds?: string[] } }[] };
    const mine = letters.items.filter((l) => l.payload.broadcastId === broadcastId);
    expect(mine).toHaveLength(2);
    const firstLetter = mine.find((l) => l.payload.userIds?.[0] === users[0])!;
    // Redriven into a queue nobody consumes here, so the counts stay readable.
    const held = recordingQueue();
    await redrive(bindingsWith({ BROADCASTS: held.queue }), (await findDeadLetter(env.DB, firstLetter.id))!);
    expect(held.sent).toEqual([first]);
    expect(await view(broadcastId)).toMatchObject({ status: "failed", failed: 3 });

    // The redriven chunk fans out: its three recipients are counted once, the dead one still waits.
    await runQueueBatch("herald-broadcasts", held.sent, bindings);
    expect(await view(broadcastId)).toMatchObject({ status: "failed", fannedOut: 3, failed: 3 });
    await api(`/v1/dead-letters/${mine.find((l) => l !== firstLetter)!.id}/redrive`, { method: "POST" });
    expect(await waitForBroadcast(broadcastId)).toMatchObject({ status: "completed", fannedOut: 6, failed: 0 });
    const items = await inboxItems(users);
    for (const u of users) expect(items.get(u), u).toEqual([broadcastId]);
  });
});
