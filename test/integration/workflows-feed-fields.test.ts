/**
 * Workflows carry the feed fields (docs/api.md#feed, docs/api.md#workflows): an in-app step's
 * `tags` and `actions` and the workflow's `category` reach the recipient's inbox item; a step with a
 * bad action URL is refused at save and changes nothing.
 */
import { describe, expect, it } from "vitest";
import { api, userToken, waitFor } from "../helpers";
import { template, trigger, waitForOnlyRun, workflow } from "../workflow-helpers";

interface FeedItem {
  id: string;
  category: string;
  tags: string[];
  actions: { label: string; url: string }[];
}

describe("workflow feed fields", () => {
  it("gives the in-app item of a step its tags, actions and the workflow's category", async () => {
    const inApp = await template("in_app", "Hi {{name}}");
    const actions = [{ label: "Open", url: "/posts/1" }, { label: "Docs", url: "https://example.com/docs" }];
    const key = await workflow([{ type: "in_app", template: inApp, tags: ["comments", "posts"], actions }], { category: "social" });
    const userId = `wf-feed-${crypto.randomUUID()}`;
    expect((await trigger(key, { to: userId, data: { name: "Ada" } })).status).toBe(202);
    const run = await waitForOnlyRun(userId, (r) => r.status === "completed");
    const notificationId = run.steps[0]!.notificationId;
    const token = await userToken(userId);
    const item = await waitFor(async () => {
      const page = (await (await api("/v1/me/notifications", { auth: token })).json()) as { items: FeedItem[] };
      return page.items.find((i) => i.id === notificationId);
    }, { what: "the run's in-app item" });
    expect({ category: item.category, tags: item.tags, actions: item.actions }).toEqual({ category: "social", tags: ["comments", "posts"], actions });
    const counts = (await (await api("/v1/me/notifications/counts", { auth: token })).json()) as { byTag: Record<string, { total: number }> };
    expect(counts.byTag.comments?.total).toBe(1);
  });

  it("refuses a step whose action points at a javascript: URL, and saves nothing", async () => {
    const inApp = await template("in_app", "Hi");
    const key = `wf-bad-action-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api(`/v1/workflows/${key}`, {
      method: "PUT",
      json: { steps: [{ type: "in_app", template: inApp, actions: [{ label: "x", url: "javascript:alert(1)" }] }] },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
    expect((await api(`/v1/workflows/${key}`)).status).toBe(404);
  });
});
