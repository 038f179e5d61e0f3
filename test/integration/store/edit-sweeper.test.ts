/**
 * Edits reach the inbox even when the call from `PATCH /v1/notifications/{id}` failed (issue 13
 * §3): D1 holds the edit with the version the inbox has not confirmed, and the sweeper repeats it,
 * as it does for recalls.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { EDIT_SETTLED_AFTER_MS, sweepEdits } from "../../../src/sweepers";
import { api, API_KEY, freshId, sendNotification, userToken, waitFor } from "../../helpers";
import { appFetch, bindingsWith } from "../../security-helpers";

async function inboxItems(token: string) {
  return ((await (await api("/v1/me/notifications", { auth: token })).json()) as { items: { id: string; title: string; data: unknown }[] }).items;
}

const versions = (id: string) =>
  env.DB.prepare(`SELECT title, version, inbox_version AS inboxVersion FROM notifications WHERE id = ?1`).bind(id).first<{ title: string; version: number; inboxVersion: number }>();

/** A USER_INBOX whose `edit` calls fail, as an unreachable Durable Object would. */
const unreachableInboxes = { idFromName: (name: string) => env.USER_INBOX.idFromName(name), get: () => ({ edit: () => Promise.reject(new Error("inbox unreachable")) }) };

describe("an edit whose inbox call failed", () => {
  it("is repeated by the sweeper, bringing the inbox to the edited version", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const id = await sendNotification(userId, { title: "v1", data: { n: 1 } });
    await waitFor(async () => (await inboxItems(token)).length === 1, { what: "delivered to the inbox" });

    const patch = await appFetch(bindingsWith({ USER_INBOX: unreachableInboxes }) as Bindings)(`/v1/notifications/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "v2", data: { n: 2 } }),
    });
    expect(patch.status).toBe(500);
    expect(await versions(id)).toEqual({ title: "v2", version: 1, inboxVersion: 0 });
    expect(await inboxItems(token)).toEqual([expect.objectContaining({ id, title: "v1", data: { n: 1 } })]);

    // Too fresh to repeat: the request that made it may still be telling the inbox.
    expect(await sweepEdits(env)).toBe(0);
    const later = Date.now() + EDIT_SETTLED_AFTER_MS + 1000;
    expect(await sweepEdits(env, later)).toBe(1);
    expect(await inboxItems(token)).toEqual([expect.objectContaining({ id, title: "v2", data: { n: 2 } })]);
    expect(await versions(id)).toEqual({ title: "v2", version: 1, inboxVersion: 1 });
    expect(await sweepEdits(env, later)).toBe(0);
  });

  it("is confirmed at once when the inbox call succeeds, and never swept", async () => {
    const userId = freshId();
    const id = await sendNotification(userId, { title: "v1" });
    const emailOnly = await sendNotification(userId, { title: "mail", channels: ["email"] });
    expect((await api(`/v1/notifications/${id}`, { method: "PATCH", json: { title: "v2" } })).status).toBe(200);
    expect((await api(`/v1/notifications/${emailOnly}`, { method: "PATCH", json: { title: "mail 2" } })).status).toBe(200);
    expect(await versions(id)).toEqual({ title: "v2", version: 1, inboxVersion: 1 });
    // No inbox to tell: nothing to confirm or sweep.
    expect(await versions(emailOnly)).toEqual({ title: "mail 2", version: 1, inboxVersion: 1 });
    expect(await sweepEdits(env, Date.now() + EDIT_SETTLED_AFTER_MS + 1000)).toBe(0);
  });
});
