/** Helpers for the audience (topic subscribers, broadcasts) tests. */
import { api, freshId } from "./helpers";

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
