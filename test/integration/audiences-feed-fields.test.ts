/**
 * Broadcasts carry the feed fields (docs/api.md#feed, docs/api.md#audiences): the `tags` and
 * `actions` of `POST /v1/notifications {topic}` reach every recipient's inbox item; a bad action
 * URL is refused before anything is stored.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { inboxOf } from "../../src/inbox/user-inbox";
import { audienceTopic, broadcast, freshUsers, subscribe, waitForBroadcast } from "../audience-helpers";
import { api } from "../helpers";

describe("broadcast feed fields", () => {
  it("gives every recipient's item the broadcast's tags and actions", async () => {
    const topic = await audienceTopic();
    const users = freshUsers(3, "aff");
    await subscribe(topic, users);
    const actions = [{ label: "Status page", url: "https://status.example.com" }];
    const res = await broadcast(topic, { tags: ["incidents"], actions, category: "status" });
    expect(res.status).toBe(202);
    const { broadcastId } = (await res.json()) as { broadcastId: string };
    await waitForBroadcast(broadcastId);
    for (const userId of users) {
      const { items } = (await inboxOf(env as unknown as Bindings, userId).list({ limit: 10 })) as { items: { id: string; tags: string[]; actions: unknown; category: string }[] };
      expect(items.map((i) => ({ id: i.id, tags: i.tags, actions: i.actions, category: i.category }))).toEqual([{ id: broadcastId, tags: ["incidents"], actions, category: "status" }]);
    }
  });

  it("refuses an action with a javascript: URL and accepts nothing", async () => {
    const topic = await audienceTopic();
    const users = freshUsers(1, "afr");
    await subscribe(topic, users);
    const res = await broadcast(topic, { actions: [{ label: "x", url: "javascript:alert(1)" }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
    const { items } = (await inboxOf(env as unknown as Bindings, users[0]!).list({ limit: 10 })) as { items: unknown[] };
    expect(items).toEqual([]);
    const list = (await (await api(`/v1/users/${users[0]}/topics`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });
});
