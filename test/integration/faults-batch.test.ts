/**
 * D1 write errors on the accept path (issue 9; docs/api.md#batch-idempotency): a transient error costs only the items
 * of the chunk it hit — reported `failed`, never stored — and sending the same batch again creates
 * exactly those, once; every notification reaches its user's inbox once. A single request whose
 * insert fails answers 500 with a request id and leaves its `Idempotency-Key` free, so the retry
 * creates the notification once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { inboxOf } from "../../src/inbox/user-inbox";
import { batchItems, countByKeyPrefix, sendBatch, type BatchBody } from "../batch-helpers";
import { failingWrites, instrumentD1 } from "../d1-proxy";
import { API_KEY, api, freshId, waitFor } from "../helpers";
import { appFetch, bindingsWith, expectProblem } from "../security-helpers";

const bindings = env as unknown as Bindings;
const USERS = 10;
const ITEMS = 1000;

/** The app over a D1 that fails the first write matching `pattern`. */
function faultyApp(pattern: RegExp) {
  const { hooks, state } = failingWrites(pattern);
  const fetch = appFetch(bindingsWith({ DB: instrumentD1(env.DB, hooks) }));
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { post, injected: state };
}

describe("a D1 error during a batch", () => {
  it(`fails only the chunk it hit; the resend creates exactly those items once, and each of ${ITEMS} reaches its inbox once`, async () => {
    const users = Array.from({ length: USERS }, () => freshId());
    const prefix = freshId("k");
    const items = batchItems(ITEMS, { users, prefix });
    const { post, injected } = faultyApp(/INSERT INTO notifications/);

    const first = (await (await post("/v1/notifications/batch", { items })).json()) as BatchBody;
    expect(injected.failed).toBe(1);
    const failed = first.results.filter((r) => r.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(ITEMS);
    expect(first.summary).toEqual({ created: ITEMS - failed.length, duplicate: 0, conflict: 0, invalid: 0, failed: failed.length });
    expect(failed.every((r) => r.notificationId === null && r.error?.code === "internal")).toBe(true);
    expect(await countByKeyPrefix(prefix)).toBe(ITEMS - failed.length);

    const resend = (await (await sendBatch(items)).json()) as BatchBody;
    expect(resend.summary).toEqual({ created: failed.length, duplicate: ITEMS - failed.length, conflict: 0, invalid: 0, failed: 0 });
    expect(resend.results.filter((r) => r.status === "created").map((r) => r.index)).toEqual(failed.map((r) => r.index));
    const third = (await (await sendBatch(items)).json()) as BatchBody;
    expect(third.summary).toMatchObject({ created: 0, duplicate: ITEMS });
    expect(await countByKeyPrefix(prefix)).toBe(ITEMS);

    // Every user's inbox holds its 100 items, each once.
    const ids = new Map(users.map((u) => [u, new Set<string>()]));
    resend.results.forEach((r, i) => ids.get(items[i]!.userId)!.add(r.notificationId!));
    for (const userId of users) {
      const inbox = inboxOf(bindings, userId);
      await waitFor(async () => (await inbox.unreadCount()) === ITEMS / USERS, { what: `${userId} holds ${ITEMS / USERS}`, timeoutMs: 20_000 });
      // RPC typing cannot express `data: Record<string, unknown>`; the shape is UserInbox.list's.
      const page = (await inbox.list({ limit: 200 })) as unknown as { items: { id: string }[] };
      expect(page.items).toHaveLength(ITEMS / USERS);
      expect(new Set(page.items.map((i) => i.id))).toEqual(ids.get(userId));
    }
  }, 60_000);
});

describe("a D1 error on a single notification", () => {
  it("answers 500 with a request id, leaves the idempotency key free, and the retry creates it once", async () => {
    const userId = freshId();
    const key = freshId("key");
    const body = { userId, title: "once" };
    const { post, injected } = faultyApp(/INSERT INTO notifications/);

    const failed = await post("/v1/notifications", body, { "idempotency-key": key });
    expect(failed.status).toBe(500);
    expect(injected.failed).toBe(1);
    const problem = (await expectProblem(failed)) as unknown as { code: string; requestId: string };
    expect(problem.code).toBe("internal");
    expect(problem.requestId).toBe(failed.headers.get("x-request-id"));

    const retry = await api("/v1/notifications", { method: "POST", json: body, headers: { "idempotency-key": key } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    const replay = await api("/v1/notifications", { method: "POST", json: body, headers: { "idempotency-key": key } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(((await retry.json()) as { id: string }).id);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?1").bind(userId).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    await waitFor(async () => (await inboxOf(bindings, userId).unreadCount()) === 1, { what: "in the inbox once" });
  });
});
