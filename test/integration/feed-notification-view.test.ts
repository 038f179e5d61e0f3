/**
 * The server's view of a notification (`GET /v1/notifications/{id}`, docs/api.md#notifications) shows
 * the feed fields it was sent with (docs/api.md#feed), and empty lists when it had none.
 */
import { describe, expect, it } from "vitest";
import { api, sendNotification } from "../helpers";

describe("notification view feed fields", () => {
  it("shows the tags and actions a notification was sent with", async () => {
    const actions = [{ label: "Pay now", url: "https://billing.example.com/pay/42" }];
    const id = await sendNotification(`view-${crypto.randomUUID()}`, { tags: ["billing", "invoices"], actions });
    const view = (await (await api(`/v1/notifications/${id}`)).json()) as { tags: unknown; actions: unknown };
    expect({ tags: view.tags, actions: view.actions }).toEqual({ tags: ["billing", "invoices"], actions });
  });

  it("shows empty lists for a notification sent without them", async () => {
    const id = await sendNotification(`view-${crypto.randomUUID()}`);
    const view = (await (await api(`/v1/notifications/${id}`)).json()) as { tags: unknown; actions: unknown };
    expect({ tags: view.tags, actions: view.actions }).toEqual({ tags: [], actions: [] });
  });
});
