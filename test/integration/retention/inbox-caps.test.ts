/**
 * Per-user caps of the UserInbox (docs/data-model.md#per-user-caps): 10,000 stored items, past which
 * the oldest read items make room and unread ones are never evicted; 100 open sockets, past which
 * a connect is refused with 409 `conflict`.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Meta } from "../../../src/inbox/schema";
import { inboxOf, type InboxItemInput } from "../../../src/inbox/user-inbox";
import { freshId } from "../../helpers";

const MAX_ITEMS = 10_000;
const MAX_SOCKETS = 100;

function items(prefix: string, n: number): InboxItemInput[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}_${String(i).padStart(5, "0")}`, title: `t${i}`, body: null, data: null, priority: "normal", createdAt: now, expiresAt: null }));
}

async function deliverAll(userId: string, list: InboxItemInput[]): Promise<void> {
  for (let i = 0; i < list.length; i += 1000) await inboxOf(env, userId).deliver(userId, list.slice(i, i + 1000));
}

/** Ids the inbox stores, oldest first, and its `items` counter (kept in memory: src/inbox/schema.ts). */
async function stored(userId: string): Promise<{ ids: string[]; counter: number }> {
  return runInDurableObject(inboxOf(env, userId), (instance, state) => ({
    ids: state.storage.sql
      .exec<{ id: string }>(`SELECT id FROM inbox ORDER BY seq`)
      .toArray()
      .map((r) => r.id),
    counter: (instance as unknown as { meta: Meta }).meta.number("items"),
  }));
}

/** Opens a socket on the user's inbox directly (the Worker route adds auth and rate limits, tested elsewhere). */
function connect(userId: string): Promise<Response> {
  return inboxOf(env, userId).fetch(new Request("https://inbox.test/connect", { headers: { upgrade: "websocket", "x-herald-user-id": userId } }));
}

describe("inbox item cap", () => {
  it("evicts the oldest read items to stay at 10,000, and keeps every unread one", async () => {
    const userId = freshId();
    const first = items("a", MAX_ITEMS);
    await deliverAll(userId, first);
    const readIds = first.slice(0, 100).map((i) => i.id);
    await inboxOf(env, userId).markRead(readIds);

    const more = items("b", 60);
    await deliverAll(userId, more);
    const after = await stored(userId);
    expect(after.ids.length).toBe(MAX_ITEMS);
    expect(after.counter).toBe(MAX_ITEMS);
    // The 60 oldest read items went; the 40 younger read ones and every unread one stayed.
    expect(after.ids.slice(0, 40)).toEqual(readIds.slice(60));
    expect(after.ids).toEqual([...readIds.slice(60), ...first.slice(100).map((i) => i.id), ...more.map((i) => i.id)]);
    const unread = await runInDurableObject(inboxOf(env, userId), (instance) => instance.unreadCount());
    expect(unread).toBe(MAX_ITEMS - 40);
  });

  it("evicts the items read longest ago first, whatever their seq", async () => {
    const userId = freshId();
    const first = items("a", MAX_ITEMS);
    await deliverAll(userId, first);
    // Read in the reverse of their seqs, one at a time: a_00002 is read first, a_00000 last.
    for (const item of first.slice(0, 3).reverse()) await inboxOf(env, userId).markRead([item.id]);

    await deliverAll(userId, items("b", 2));
    const after = await stored(userId);
    expect(after.ids.length).toBe(MAX_ITEMS);
    expect(after.ids.slice(0, 2)).toEqual(["a_00000", "a_00003"]);
    expect(after.ids).not.toContain("a_00001");
    expect(after.ids).not.toContain("a_00002");
  });

  it("stores new items past the cap when every stored item is unread, evicting none", async () => {
    const userId = freshId();
    await deliverAll(userId, items("a", MAX_ITEMS));
    await deliverAll(userId, items("b", 5));
    const after = await stored(userId);
    expect(after.ids.length).toBe(MAX_ITEMS + 5);
    expect(after.counter).toBe(MAX_ITEMS + 5);
    expect(after.ids[0]).toBe("a_00000");
    expect(await runInDurableObject(inboxOf(env, userId), (instance) => instance.unreadCount())).toBe(MAX_ITEMS + 5);
  });
});

describe("inbox socket cap", () => {
  it("refuses the 101st open socket with 409 conflict, and takes one again once a socket closed", async () => {
    const userId = freshId();
    const sockets: WebSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS; i++) {
      const res = await connect(userId);
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      sockets.push(res.webSocket!);
    }
    const refused = await connect(userId);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe("conflict");
    expect(problem.detail).toContain(`${MAX_SOCKETS} open connections`);
    expect((await inboxOf(env, userId).presence()).connections).toBe(MAX_SOCKETS);

    sockets.pop()!.close(1000, "making room");
    let again: Response | undefined;
    for (let tries = 0; tries < 50 && again?.status !== 101; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 20));
      again = await connect(userId);
    }
    expect(again!.status).toBe(101);
    again!.webSocket!.accept();
    sockets.push(again!.webSocket!);
    for (const ws of sockets) ws.close(1000, "test done");
  });
});
