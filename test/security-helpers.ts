/**
 * Helpers for the security, fuzz and fault tests: the real app and queue consumers under changed
 * bindings, recording queues, problem documents, and the docs/api.md#errors set of stable error codes.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../src/app";
import type { Bindings } from "../src/env";
import worker from "../src/index";
import { ERROR_STATUS } from "../src/lib/errors";
import { BASE } from "./helpers";

/**
 * The bindings with some replaced. Each override is an own property of an object inheriting from
 * `env`: assigning to `env` instead would go through its proxy and change the binding for every
 * test in the file.
 */
export function bindingsWith(overrides: Record<string, unknown>): Bindings {
  return Object.create(env, Object.fromEntries(Object.entries(overrides).map(([name, value]) => [name, { value, enumerable: true }]))) as Bindings;
}

/**
 * A fetch into a fresh app built over `bindings`, waiting for the request's background work
 * (`waitUntil`) before it resolves, so nothing outlives the call.
 */
export function appFetch(bindings: Bindings) {
  const app = createApp();
  return async (path: string, init: RequestInit = {}): Promise<Response> => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}${path}`, init), bindings, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

/**
 * A queue binding that keeps what it is sent instead of delivering it: nothing reaches a consumer
 * unless the test hands the bodies to one itself.
 */
export function recordingQueue() {
  const sent: unknown[] = [];
  const queue = {
    send: async (body: unknown) => void sent.push(body),
    sendBatch: async (messages: Iterable<{ body: unknown }>) => void sent.push(...[...messages].map((m) => m.body)),
  };
  return { queue, sent };
}

/**
 * Runs one batch of `bodies` through the Worker's queue handler for `queue` with `bindings`, as
 * the runtime would deliver it (each message on its `attempts`-th delivery).
 * @returns the queue's view of the outcome: acked, retried. Rejects when the handler throws.
 */
export async function runQueueBatch(queue: string, bodies: unknown[], bindings: Bindings, attempts = 1) {
  const batch = createMessageBatch(queue, bodies.map((body) => ({ id: `m_${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings);
  return getQueueResult(batch, ctx);
}

/** A browser `PushSubscription` JSON for `endpoint`, with well-formed keys (a 65-byte P-256 point, a 16-byte secret). */
export function pushSubscriptionJson(endpoint: string) {
  const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const point = new Uint8Array(65).fill(7);
  point[0] = 4;
  return { endpoint, expirationTime: null, keys: { p256dh: b64url(point), auth: b64url(new Uint8Array(16).fill(9)) } };
}

/** The stable machine codes of docs/api.md#errors (src/lib/errors.ts). */
export const STABLE_CODES = new Set(Object.keys(ERROR_STATUS));

/** A problem document as the tests read it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
}

/**
 * Reads a response that must be an RFC 9457 problem document with a stable code whose status
 * matches the response's.
 * @throws Error describing what is wrong otherwise (for property tests, which report the input).
 */
export async function expectProblem(res: Response): Promise<Problem> {
  const text = await res.text();
  if (!(res.headers.get("content-type") ?? "").startsWith("application/problem+json")) throw new Error(`${res.status} not problem+json: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as Problem;
  if (!STABLE_CODES.has(body.code)) throw new Error(`unstable code ${body.code}`);
  if (body.status !== res.status || ERROR_STATUS[body.code as keyof typeof ERROR_STATUS] !== res.status) throw new Error(`status ${res.status} vs body ${body.status} (${body.code})`);
  if (typeof body.type !== "string" || typeof body.title !== "string" || typeof body.detail !== "string") throw new Error(`incomplete problem: ${text.slice(0, 200)}`);
  if (/\bat .+:\d+:\d+/.test(text)) throw new Error(`stack trace in a problem: ${text.slice(0, 200)}`);
  return body;
}
