/**
 * The React hooks of @herald/client/react (README.md#react) render what the stores hold, against a
 * real local Herald: useFeed and useCounts show a notification as it arrives and its read state
 * after an optimistic action; usePreferences shows the user's preferences and a change made
 * through the store. Rendered with react-dom/server, which runs `useSyncExternalStore` with the
 * stores' snapshots and needs no DOM.
 */
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, inject, it } from "vitest";
import { FeedStore, HeraldClient } from "../src/index.ts";
import { PreferencesStore, useCounts, useFeed, usePreferences } from "../src/react.ts";

const base = () => inject("heraldBase");
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

async function devToken(userId: string): Promise<string> {
  const res = await fetch(`${base()}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  return ((await res.json()) as { token: string }).token;
}

async function send(userId: string, title: string): Promise<string> {
  const res = await fetch(`${base()}/v1/notifications`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${inject("heraldApiKey")}` },
    body: JSON.stringify({ userId, title }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** Resolves when `probe` holds, polling every 20 ms; fails after `timeoutMs`. */
async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function Feed({ store }: { store: FeedStore }) {
  const feed = useFeed(store);
  return h("ul", { "data-connection": feed.connection }, ...feed.items.map((n) => h("li", { key: n.id, "data-read": String(n.readAt !== null) }, n.title)));
}

function Badge({ store }: { store: FeedStore }) {
  return h("span", null, `${useCounts(store).unread} unread`);
}

function Channels({ store }: { store: PreferencesStore }) {
  const { preferences, error } = usePreferences(store);
  if (error) return h("p", null, `error: ${error.message}`);
  return preferences ? h("p", null, `email ${preferences.channels.email ? "on" : "off"}, v${preferences.version}`) : h("p", null, "loading");
}

describe("@herald/client/react", () => {
  it("useFeed and useCounts render arrivals and an optimistic read, then the server's count", async () => {
    const userId = `pkg-react-${crypto.randomUUID().slice(0, 8)}`;
    const client = new HeraldClient({ baseUrl: base(), token: await devToken(userId), since: 0 });
    const store = new FeedStore(client);
    cleanup.push(() => store.dispose(), () => client.close());
    const view = () => renderToStaticMarkup(h("div", null, h(Badge, { store }), h(Feed, { store })));
    expect(view()).toBe('<div><span>0 unread</span><ul data-connection="closed"></ul></div>');

    client.connect();
    await until("the connection", () => store.getSnapshot().connection === "open");
    const first = await send(userId, "First");
    await send(userId, "Second");
    await until("both notifications", () => store.getSnapshot().items.length === 2);
    await until("the exact count", () => store.getSnapshot().counts.unread === 2);
    expect(view()).toBe('<div><span>2 unread</span><ul data-connection="open"><li data-read="false">Second</li><li data-read="false">First</li></ul></div>');

    const done = store.markRead([first]);
    // Optimistic: shown read before the server has answered.
    expect(view()).toBe('<div><span>1 unread</span><ul data-connection="open"><li data-read="false">Second</li><li data-read="true">First</li></ul></div>');
    expect(await done).toBe(true);
    await until("the read frame", () => client.unreadCount === 1);
    expect(view()).toBe('<div><span>1 unread</span><ul data-connection="open"><li data-read="false">Second</li><li data-read="true">First</li></ul></div>');
  });

  it("rolls an action back when the server refuses it, and reports the error", async () => {
    const userId = `pkg-react-refused-${crypto.randomUUID().slice(0, 8)}`;
    const client = new HeraldClient({ baseUrl: base(), token: await devToken(userId), since: 0 });
    const store = new FeedStore(client);
    cleanup.push(() => store.dispose(), () => client.close());
    client.connect();
    const id = await send(userId, "Snooze me too long");
    await until("the notification", () => store.getSnapshot().items.length === 1);
    const view = () => renderToStaticMarkup(h(Feed, { store }));
    const shown = view();
    expect(shown).toContain("Snooze me too long");

    // A year ahead: the server refuses snoozes past 90 days (400), so the item comes back.
    const done = store.snooze([id], Date.now() + 365 * 86_400_000);
    expect(view()).toBe('<ul data-connection="open"></ul>');
    expect(await done).toBe(false);
    expect(view()).toBe(shown);
    expect(store.getSnapshot().error).toMatchObject({ action: "snooze", ids: [id], message: expect.stringMatching(/./) });
    expect(store.getSnapshot().items[0]).toMatchObject({ id, snoozedUntil: null, pending: false });
    // The server holds it as it was.
    expect(await client.rest.counts()).toMatchObject({ unread: 1, total: 1 });
  });

  it("usePreferences renders the user's preferences and a change made through the store", async () => {
    const userId = `pkg-react-prefs-${crypto.randomUUID().slice(0, 8)}`;
    const client = new HeraldClient({ baseUrl: base(), token: await devToken(userId) });
    const store = new PreferencesStore(client.rest);
    const view = () => renderToStaticMarkup(h(Channels, { store }));
    expect(view()).toBe("<p>loading</p>");
    await store.load();
    const version = store.getSnapshot().preferences!.version;
    expect(view()).toBe(`<p>email on, v${version}</p>`);
    expect(await store.update({ channels: { email: false } })).toBe(true);
    expect(view()).toBe(`<p>email off, v${store.getSnapshot().preferences!.version}</p>`);
    expect(store.getSnapshot().preferences!.version).toBeGreaterThan(version);
  });
});
