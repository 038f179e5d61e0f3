/**
 * How the behaviours consumer treats what it cannot apply: a D1 failure retries the whole batch
 * with backoff (and a retry is safe, see behaviours-replay); a body that is not a behaviours
 * message is acked and logged, since retrying cannot fix it.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { processBehaviours } from "../../src/queues/behaviours";
import { freshId } from "../helpers";
import { bindings, consume, event, message, storedBehaviours, withBinding } from "../behaviour-helpers";

describe("behaviours consumer failures", () => {
  it("retries the whole batch with a backoff delay when D1 fails, acking nothing", async () => {
    const userId = freshId();
    const failingDb = {
      prepare: (query: string) => bindings.DB.prepare(query),
      batch: () => Promise.reject(new Error("D1_ERROR: database is locked")),
    } as unknown as D1Database;

    const batch = createMessageBatch("herald-behaviours", [message([event({ userId, targetId: freshId("post") })], crypto.randomUUID(), 3)]);
    // getQueueResult does not report a retry's delay, so watch the call itself.
    const retryAll = vi.spyOn(batch, "retryAll");
    const ctx = createExecutionContext();
    await processBehaviours(withBinding("DB", failingDb), batch);
    const result = await getQueueResult(batch, ctx);

    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryBatch.retry).toBe(true);
    expect(retryAll).toHaveBeenCalledTimes(1);
    expect(retryAll.mock.calls[0]?.[0]?.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(await storedBehaviours(userId)).toHaveLength(0);
  });

  it("acks an invalid message without retrying and still applies the valid ones", async () => {
    const userId = freshId();
    const bad = { id: crypto.randomUUID(), timestamp: 0, attempts: 1, body: { kind: "behaviours", events: [{ userId, type: "poke" }] } };
    const good = message([event({ userId, targetId: freshId("post") })]);

    const result = await consume([bad, good]);

    expect(result.explicitAcks).toContain(bad.id);
    expect(result.ackAll).toBe(true);
    expect(result.retryBatch.retry).toBe(false);
    expect(await storedBehaviours(userId)).toHaveLength(1);
  });
});
