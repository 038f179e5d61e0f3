/**
 * The single-request idempotency path (docs/api.md#notifications, issue 13 §3): a request that stalls before
 * its write commits holds nothing (the notification is its key's record, taken by the insert
 * itself: migration 0017), so a retry with the key creates; the stalled request's insert then
 * finds the key held, creates nothing, and replays the retry's response — as the batch path does.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { inboxOf } from "../../../src/inbox/user-inbox";
import { api, API_KEY, freshId, waitFor } from "../../helpers";
import { appFetch, bindingsWith } from "../../security-helpers";

/** env.DB whose `batch()` (the insert transaction) waits for `gate`; `reached` resolves when one is held there. */
function stallingD1(gate: Promise<void>) {
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          reached();
          await gate;
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db, held };
}

describe("a request stalled before its write, and a retry with the same key", () => {
  it("create exactly one notification, and the stalled request answers with the retry's response", async () => {
    const userId = freshId();
    const key = freshId("key");
    const body = { userId, title: "Paid", body: "Order 7" };
    let release!: () => void;
    const { db, held } = stallingD1(new Promise<void>((resolve) => (release = resolve)));
    const stalledFetch = appFetch(bindingsWith({ DB: db }) as Bindings);
    const init = { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(body) };

    const stalled = stalledFetch("/v1/notifications", init);
    await held;
    // Nothing holds the key while the first request is stalled before its write.
    expect(await env.DB.prepare(`SELECT 1 FROM notifications WHERE idempotency_key = ?1`).bind(key).first()).toBeNull();

    const retry = await api("/v1/notifications", { method: "POST", json: body, headers: { "idempotency-key": key } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    const created = (await retry.json()) as { id: string };

    release();
    const late = await stalled;
    expect(late.status).toBe(202);
    expect(late.headers.get("idempotent-replayed")).toBe("true");
    expect(await late.json()).toEqual(created);

    const { results } = await env.DB.prepare(`SELECT id FROM notifications WHERE user_id = ?1`).bind(userId).all<{ id: string }>();
    expect(results).toEqual([{ id: created.id }]);
    const holder = await env.DB.prepare(`SELECT id FROM notifications WHERE idempotency_key = ?1 AND key_scope = 'notifications'`).bind(key).first();
    expect(holder).toEqual({ id: created.id });

    const inbox = inboxOf(env as unknown as Bindings, userId);
    await waitFor(async () => (await inbox.unreadCount()) >= 1, { what: "the notification in the inbox", timeoutMs: 10_000 });
    await waitFor(async () => (await env.DB.prepare(`SELECT dispatched_at FROM notifications WHERE id = ?1`).bind(created.id).first("dispatched_at")) !== null, {
      what: "the notification dispatched",
    });
    const page = (await inbox.list({ limit: 10 })) as unknown as { items: { id: string }[] };
    expect(page.items.map((i) => i.id)).toEqual([created.id]);
  });
});
