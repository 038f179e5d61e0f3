/** Helpers for the sync tests: the real local receiver (test/support/webhook-receiver.ts) and the API. */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { api, freshId, waitFor } from "./helpers";
import type { Mode } from "./support/webhook-receiver";

export const receiverUrl = () => inject("receiverUrl");

export interface Received {
  id: string;
  type: string;
  userId: string;
  version: number;
  verifiedBy: number[];
  answered: number;
  applied: boolean;
  at: number;
  /** The `webhook-signature` header as received. */
  signature: string;
}

/** Tells the receiver endpoint `name` which secrets to verify with and how to answer. */
export async function controlReceiver(name: string, control: { secrets?: string[]; mode?: Mode; retryAfter?: number; failTimes?: number; delayMs?: number }) {
  const res = await fetch(`${receiverUrl()}/control/${name}`, { method: "POST", body: JSON.stringify(control) });
  if (!res.ok) throw new Error(`receiver control: ${res.status}`);
}

/** What endpoint `name` received, and the user versions it applied. */
export interface ProviderCall {
  authorization: string;
  contentType: string;
  idempotencyKey: string;
  body: string;
  answered: number;
  at: number;
}

export async function received(name: string): Promise<{ received: Received[]; state: Record<string, number>; calls: ProviderCall[] }> {
  return (await (await fetch(`${receiverUrl()}/received/${name}`)).json()) as { received: Received[]; state: Record<string, number>; calls: ProviderCall[] };
}

/** Registers a sync target pointing at a fresh receiver endpoint, which verifies with its secret. */
export async function createTarget(opts: { events?: string[]; name?: string } = {}) {
  const name = opts.name ?? freshId("rcv");
  const res = await api("/v1/sync/targets", { method: "POST", json: { name, url: `${receiverUrl()}/hooks/${name}`, ...(opts.events ? { events: opts.events } : {}) } });
  if (res.status !== 201) throw new Error(`create target: ${res.status} ${await res.text()}`);
  const target = (await res.json()) as { id: string; secret: string };
  await controlReceiver(name, { secrets: [target.secret], mode: "ok" });
  return { ...target, name };
}

export const putUser = (userId: string, body: Record<string, unknown>) => api(`/v1/users/${userId}`, { method: "PUT", json: body });

/** Waits until the receiver endpoint holds `versions` (userId → version). */
export async function waitForState(name: string, versions: Record<string, number>, timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const { state } = await received(name);
      return Object.entries(versions).every(([u, v]) => state[u] === v) ? state : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `receiver ${name} at ${JSON.stringify(versions).slice(0, 200)}` },
  );
}

/** Removes every sync target, so a test's events reach only the targets it creates. */
export async function clearTargets() {
  await env.DB.batch([env.DB.prepare("DELETE FROM sync_targets"), env.DB.prepare("DELETE FROM sync_acks")]);
}
