/**
 * The consumer skeleton (src/delivery/consumer.ts) keeps a queue body that fails its schema as a
 * dead letter naming the parse error, acks it, and still processes — or retries — the valid rest.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { failingWrites, instrumentD1 } from "../../d1-proxy";
import { bindingsWith, runQueueBatch } from "../../security-helpers";

const bindings = env as unknown as Bindings;

const lettersFor = async (marker: string) =>
  (
    await env.DB.prepare(`SELECT source, queue, attempts, last_error, payload FROM dead_letters WHERE payload LIKE ?1`)
      .bind(`%${marker}%`)
      .all<{ source: string; queue: string; attempts: number; last_error: string; payload: string }>()
  ).results;

describe("invalid queue bodies", () => {
  for (const [queue, source] of [
    ["herald-sync", "sync"],
    ["herald-messages", "message"],
    ["herald-channels", "channel"],
    ["herald-behaviours", "behaviour"],
    ["herald-dispatch", "channel"],
    ["herald-broadcasts", "channel"],
    ["herald-receipts", "channel"],
  ] as const) {
    it(`dead-letters an invalid ${queue} body with its parse error and acks it`, async () => {
      const marker = crypto.randomUUID();
      const result = await runQueueBatch(queue, [{ kind: "deliver-me", ids: [marker] }], bindings, 3);
      expect(result.retryBatch.retry).toBe(false);
      expect(result.explicitAcks).toHaveLength(1);
      const [letter, ...more] = await lettersFor(marker);
      expect(more).toEqual([]);
      expect(letter).toMatchObject({ source, queue, attempts: 3, last_error: expect.stringContaining("kind") });
      expect(letter!.last_error).toMatch(/^invalid queue body: /);
      expect(JSON.parse(letter!.payload)).toEqual({ kind: "deliver-me", ids: [marker] });
    });
  }

  it("acks the invalid body and retries only the valid ones when their work fails", async () => {
    const marker = crypto.randomUUID();
    const { hooks, state } = failingWrites(/INSERT INTO message_deliveries/, 1);
    const faulty = bindingsWith({ DB: instrumentD1(env.DB, hooks) });
    // The valid body's work fails on D1 (the injected fault hits fan-out's insert).
    const topic = `t_${marker.replaceAll("-", "").slice(0, 16)}`;
    await env.DB.prepare(`INSERT INTO topics (name, created_at) VALUES (?1, 0)`).bind(topic).run();
    const messageId = `msg_${marker}`;
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO messages (id, topic, payload, status, attempts, max_attempts, deliver_at, created_at, updated_at) VALUES (?1, ?2, '{}', 'pending', 0, 8, ?3, ?3, ?3)`,
    )
      .bind(messageId, topic, now)
      .run();
    const result = await runQueueBatch("herald-messages", [{ kind: "publish", ids: [messageId] }, { nonsense: marker }], faulty);
    expect(state.failed).toBe(1);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(1);
    expect(await lettersFor(marker)).toHaveLength(1);
  });
});
