/**
 * Helpers for the behaviour tests: build events, run them through the real consumer as queue
 * batches, read the resulting D1 state, and call the app with a recording behaviours queue.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../src/app";
import type { BehaviourEvent, BehavioursMessage } from "../src/behaviours/events";
import type { Bindings } from "../src/env";
import { newId } from "../src/lib/ids";
import { processBehaviours } from "../src/queues/behaviours";
import { API_KEY, BASE } from "./helpers";

/** The test bindings typed as the Worker sees them. */
export const bindings = env as unknown as Bindings;

/**
 * The bindings with one replaced. Defined as an own property of an object inheriting from `env`:
 * assigning instead would go through `env`'s proxy and replace the binding for every test.
 */
export function withBinding<K extends keyof Bindings>(name: K, value: unknown): Bindings {
  return Object.create(bindings, { [name]: { value, enumerable: true } }) as Bindings;
}

/** A resolved event with defaults: an `add` now, fresh event id, no owner. */
export function event(fields: Pick<BehaviourEvent, "userId" | "targetId"> & Partial<BehaviourEvent>): BehaviourEvent {
  return { eventId: newId(), type: "like", action: "add", occurredAt: Date.now(), targetOwnerId: null, ...fields };
}

/** A queue message as `createMessageBatch` takes it; `id` fixed so a batch can be replayed exactly. */
export function message(events: BehaviourEvent[], id: string = crypto.randomUUID(), attempts = 1) {
  return { id, timestamp: 0, attempts, body: { kind: "behaviours", events } satisfies BehavioursMessage as unknown };
}

/** Runs one batch of messages through `processBehaviours` and returns its ack/retry outcome. */
export async function consume(messages: ReturnType<typeof message>[], bindingsOverride: Bindings = bindings): Promise<QueueResult> {
  const batch = createMessageBatch("herald-behaviours", messages);
  const ctx = createExecutionContext();
  await processBehaviours(bindingsOverride, batch);
  return getQueueResult(batch, ctx);
}

/** Row of D1 `behaviours` as stored. */
export interface StoredBehaviour {
  user_id: string;
  target_id: string;
  type: string;
  active: number;
  occurred_at: number;
  event_id: string;
  target_owner_id: string | null;
  updated_at: number;
}

/** Every stored behaviour row of `userIds`, in a stable order. */
export async function storedBehaviours(...userIds: string[]): Promise<StoredBehaviour[]> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM behaviours WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY user_id, target_id, type`,
  )
    .bind(JSON.stringify(userIds))
    .all<StoredBehaviour>();
  return results;
}

/** The notifications stored for `ownerId` (ids, template, data) and the behaviour idempotency records naming them. */
export async function ownerNotifications(ownerId: string) {
  const { results: notifications } = await env.DB.prepare(`SELECT id, template, data, idempotency_key FROM notifications WHERE user_id = ?1 ORDER BY id`)
    .bind(ownerId)
    .all<{ id: string; template: string; data: string; idempotency_key: string }>();
  const { results: records } = await env.DB.prepare(
    `SELECT key, resource_id FROM idempotency_records WHERE scope = 'behaviour' AND resource_id IN (SELECT value FROM json_each(?1))`,
  )
    .bind(JSON.stringify(notifications.map((n) => n.id)))
    .all<{ key: string; resource_id: string }>();
  return { notifications, records };
}

/**
 * The real app with a behaviours queue that records every message it is given (and forwards it
 * to the real queue), to see what the HTTP layer enqueued — or that it enqueued nothing.
 */
export function appWithRecordingQueue() {
  const sent: BehavioursMessage[] = [];
  const queue = {
    send: (body: BehavioursMessage, options?: QueueSendOptions) => {
      sent.push(body);
      return env.BEHAVIOURS.send(body, options);
    },
    sendBatch: (messages: Iterable<MessageSendRequest<BehavioursMessage>>, options?: QueueSendBatchOptions) => {
      const list = [...messages];
      sent.push(...list.map((m) => m.body));
      return env.BEHAVIOURS.sendBatch(list, options);
    },
  };
  const app = createApp();
  const request = (path: string, json: unknown) =>
    app.request(
      `${BASE}${path}`,
      { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(json) },
      withBinding("BEHAVIOURS", queue),
      createExecutionContext(),
    );
  return { sent, request };
}
