/** Helpers for the audience (topic subscribers, broadcasts) tests. */
import { env } from "cloudflare:workers";
import type { Bindings } from "../src/env";
import { inboxOf } from "../src/inbox/user-inbox";
import { api, freshId, waitFor } from "./helpers";

/** A fresh topic, self-service when asked. */
export async function audienceTopic(selfService = false): Promise<string> {
  const name = `aud_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const res = await api(`/v1/topics/${name}`, { method: "PUT", json: selfService ? { selfService } : {} });
  if (res.status !== 201) throw new Error(`topic: ${res.status} ${await res.text()}`);
  return name;
}

/** `n` fresh user ids sharing one prefix (so they sort together). */
export function freshUsers(n: number, prefix = "au"): string[] {
  const base = freshId(prefix);
  return Array.from({ length: n }, (_, i) => `${base}_${String(i).padStart(5, "0")}`);
}

/** Subscribes `userIds` to `topic` through the API, 1,000 per request. */
export async function subscribe(topic: string, userIds: string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += 1000) {
    const res = await api(`/v1/topics/${topic}/subscribers`, { method: "PUT", json: { userIds: userIds.slice(i, i + 1000) } });
    if (res.status !== 200) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
  }
}

/** Every subscriber of `topic`, walking the pages. */
export async function allSubscribers(topic: string, limit = 200): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await api(`/v1/topics/${topic}/subscribers?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    if (res.status !== 200) throw new Error(`subscribers: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { items: { userId: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((i) => i.userId));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** Sends a broadcast to `topic`; returns the response. */
export function broadcast(topic: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return api("/v1/notifications", { method: "POST", json: { topic, title: "To everyone", ...extra }, headers });
}

export interface BroadcastView {
  id: string;
  status: string;
  recipients: number;
  fannedOut: number;
  completedAt: string | null;
}

/** Waits until the broadcast is `completed` (timeout `timeoutMs`). */
export async function waitForBroadcast(id: string, timeoutMs = 30_000): Promise<BroadcastView> {
  return waitFor(
    async () => {
      const b = (await (await api(`/v1/broadcasts/${id}`)).json()) as BroadcastView;
      return b.status === "completed" ? b : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `broadcast ${id} completed` },
  );
}

/**
 * The items each user's inbox holds, counted through the inbox itself (its own `list`), 100
 * inboxes at a time. @returns user id → item ids.
 */
export async function inboxItems(userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < userIds.length; i += 100) {
    await Promise.all(
      userIds.slice(i, i + 100).map(async (userId) => {
        const { items } = (await inboxOf(env as unknown as Bindings, userId).list({ limit: 100 })) as { items: { id: string }[] };
        out.set(userId, items.map((item) => item.id));
      }),
    );
  }
  return out;
}
