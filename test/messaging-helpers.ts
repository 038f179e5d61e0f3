/** Helpers for the topic/messaging tests. */
import { api, freshId, waitFor } from "./helpers";
import { controlReceiver, receiverUrl } from "./sync-helpers";

export interface MessageView {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  processedAt: string | null;
  deliveries: { subscriptionId: string; status: string; attempts: number; lastError: string | null; notificationId: string | null; nextAttemptAt: string | null }[];
}

/** A fresh topic. */
export async function createTopic(): Promise<string> {
  const name = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const res = await api(`/v1/topics/${name}`, { method: "PUT" });
  if (res.status !== 201) throw new Error(`topic: ${res.status} ${await res.text()}`);
  return name;
}

/** A webhook subscription on `topic` pointing at a fresh receiver endpoint that verifies with its secret. */
export async function subscribeWebhook(topic: string) {
  const name = freshId("mrcv");
  const res = await api(`/v1/topics/${topic}/subscriptions`, { method: "POST", json: { kind: "webhook", url: `${receiverUrl()}/hooks/${name}` } });
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
  const sub = (await res.json()) as { id: string; secret: string };
  await controlReceiver(name, { secrets: [sub.secret], mode: "ok" });
  return { ...sub, name };
}

export async function publish(topic: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`/v1/topics/${topic}/messages`, { method: "POST", json: body, headers });
}

export async function getMessage(id: string): Promise<MessageView> {
  return (await (await api(`/v1/messages/${id}`)).json()) as MessageView;
}

/** Waits until the message reaches `status`. */
export function waitForMessage(id: string, status: string, timeoutMs = 15_000): Promise<MessageView> {
  return waitFor(async () => {
    const m = await getMessage(id);
    return m.status === status ? m : undefined;
  }, { timeoutMs, intervalMs: 100, what: `message ${id} ${status}` });
}
