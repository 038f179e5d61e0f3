/**
 * Connect tickets (issue 14, src/inbox/tickets.ts): `POST /v1/me/connect-tickets` → a ticket that
 * opens the user's WebSocket once within 60 s as `?ticket=`, so the user token stays out of URLs.
 * Single use holds under concurrency (the user's inbox redeems it); an expired, forged or
 * foreign ticket is refused; a ticket is no bearer credential; a socket opened with one is
 * still closed with 4001 when the token it was made from expires.
 */
import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { mintTicket, TICKET_TTL_MS } from "../../../src/inbox/tickets";
import { inboxOf } from "../../../src/inbox/user-inbox";
import { userTokenKey } from "../../../src/lib/auth";
import { harness } from "../../client-harness";
import { api, BASE, Device, freshId, sendNotification, userToken, waitFor } from "../../helpers";
import { expectProblem } from "../../security-helpers";

const KEY = userTokenKey(env as unknown as Bindings);

async function ticketFor(token: string): Promise<{ ticket: string; expiresAt: string }> {
  const res = await api("/v1/me/connect-tickets", { method: "POST", auth: token });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticket: string; expiresAt: string };
}

const connectWith = (query: string) => exports.default.fetch(new Request(`${BASE}/v1/me/connect?${query}`, { headers: { upgrade: "websocket" } }));

/** Accepts a 101's socket and resolves with its first frame (hello) and its close code. */
function open(res: Response) {
  const ws = res.webSocket!;
  const frames: { type: string; [k: string]: unknown }[] = [];
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (event) => resolve(event.code)));
  const first = new Promise<void>((resolve) =>
    ws.addEventListener("message", (event) => {
      frames.push(JSON.parse(String(event.data)));
      resolve();
    }),
  );
  ws.accept();
  return { ws, frames, closed, first };
}

async function expectUnauthorized(res: Response, what: string): Promise<string> {
  expect(res.status, what).toBe(401);
  return (await expectProblem(res)).detail;
}

describe("connect tickets", () => {
  it("open the user's socket once; a second use is refused with 401", async () => {
    const userId = freshId();
    const before = Date.now();
    const { ticket, expiresAt } = await ticketFor(await userToken(userId));
    expect(Date.parse(expiresAt) - before).toBeGreaterThan(TICKET_TTL_MS - 5_000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(TICKET_TTL_MS + 1_000);

    const first = await connectWith(`ticket=${encodeURIComponent(ticket)}`);
    expect(first.status).toBe(101);
    const socket = open(first);
    await socket.first;
    expect(socket.frames[0]).toMatchObject({ type: "hello", userId });

    expect(await expectUnauthorized(await connectWith(`ticket=${encodeURIComponent(ticket)}`), "second use")).toMatch(/used already/);
    // The first socket is unaffected by the refused second.
    await sendNotification(userId, { title: "via ticket" });
    await expect.poll(() => socket.frames.some((f) => f.type === "notification"), { timeout: 5_000 }).toBe(true);
    socket.ws.close(1000, "done");
  });

  it("stay single-use when many connects race with one ticket", async () => {
    const { ticket } = await ticketFor(await userToken(freshId()));
    const results = await Promise.all(Array.from({ length: 8 }, () => connectWith(`ticket=${encodeURIComponent(ticket)}`)));
    const opened = results.filter((r) => r.status === 101);
    expect(opened).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 101)) await expectUnauthorized(r, "raced use");
    open(opened[0]!).ws.close(1000, "done");
  });

  it("stay used after the inbox was evicted: the redeemed id is in its storage, not its memory", async () => {
    const userId = freshId();
    const { ticket } = await ticketFor(await userToken(userId));
    const res = await connectWith(`ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(101);
    open(res).ws.close(1000, "done");
    await evictDurableObject(inboxOf(env as unknown as Bindings, userId));
    await expectUnauthorized(await connectWith(`ticket=${encodeURIComponent(ticket)}`), "use after eviction");
  });

  it("are refused once expired", async () => {
    const userId = freshId();
    const tokenExp = Math.floor(Date.now() / 1000) + 3600;
    const { ticket } = await mintTicket(KEY, userId, tokenExp, Date.now() - TICKET_TTL_MS - 1);
    expect(await expectUnauthorized(await connectWith(`ticket=${encodeURIComponent(ticket)}`), "expired")).toMatch(/expired/);
  });

  it("never open another user's inbox: a ticket names its user, and editing that name breaks it", async () => {
    const alice = freshId("alice");
    const bob = freshId("bob");
    const { ticket } = await ticketFor(await userToken(alice));
    const [payload, mac] = ticket.split(".") as [string, string];
    const claims = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    const forged = btoa(JSON.stringify({ ...claims, sub: bob })).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    await expectUnauthorized(await connectWith(`ticket=${encodeURIComponent(`${forged}.${mac}`)}`), "forged sub");

    // With another user's token beside it, the ticket still opens only its own user's inbox.
    const res = await connectWith(`ticket=${encodeURIComponent(ticket)}&token=${await userToken(bob)}`);
    expect(res.status).toBe(101);
    const socket = open(res);
    await socket.first;
    expect(socket.frames[0]).toMatchObject({ type: "hello", userId: alice });
    socket.ws.close(1000, "done");
  });

  it("from another deployment (another audience over the same secret) are refused", async () => {
    const { ticket } = await mintTicket({ ...KEY, audience: "herald-staging" }, freshId(), Math.floor(Date.now() / 1000) + 3600);
    await expectUnauthorized(await connectWith(`ticket=${encodeURIComponent(ticket)}`), "other audience");
  });

  it("are no bearer credential, and count nowhere but the WebSocket route", async () => {
    const token = await userToken(freshId());
    const { ticket } = await ticketFor(token);
    await expectUnauthorized(await api("/v1/me/notifications", { auth: ticket }), "bearer on REST");
    await expectUnauthorized(await api("/v1/me/connect-tickets", { method: "POST", auth: ticket }), "bearer minting a ticket");
    await expectUnauthorized(await api(`/v1/me/notifications?ticket=${encodeURIComponent(ticket)}`, { auth: null }), "query on REST");
    await expectUnauthorized(
      await exports.default.fetch(new Request(`${BASE}/v1/me/connect`, { headers: { upgrade: "websocket", authorization: `Bearer ${ticket}` } })),
      "bearer on the WebSocket route",
    );
    // Still unused after all that: it opens the socket.
    const res = await connectWith(`ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(101);
    open(res).ws.close(1000, "done");
  });

  it("need a user token to be minted: an API key is refused", async () => {
    const res = await api("/v1/me/connect-tickets", { method: "POST" });
    expect(res.status).toBe(403);
  });

  it("keep the token's exp: a socket opened with a ticket is closed with 4001 when the token expires", async () => {
    const userId = freshId();
    const iat = Math.floor(Date.now() / 1000);
    const shortToken = await sign({ sub: userId, typ: "user", aud: KEY.audience, iat, exp: iat + 2 }, KEY.secret, "HS256");
    const { ticket, expiresAt } = await ticketFor(shortToken);
    // The ticket does not outlive the token it was made from.
    expect(Date.parse(expiresAt)).toBe((iat + 2) * 1000);
    const res = await connectWith(`ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(101);
    const socket = open(res);
    const code = await Promise.race([socket.closed, new Promise<"open">((resolve) => setTimeout(() => resolve("open"), 8_000))]);
    expect(code).toBe(4001);
  });

  it("leave ?token= working", async () => {
    const device = await Device.connect(await userToken(freshId()));
    expect(await device.next("hello")).toMatchObject({ type: "hello" });
    device.close();
  });

  it("are what the client opens its socket with when asked: a fresh ticket on every (re)connect, never the token", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const h = harness(token, { connectTickets: true, fetch: (url, init) => exports.default.fetch(new Request(url, init)) });
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    h.sockets[0]!.close(1000, "server gone");
    await waitFor(() => h.sockets.length === 2 && h.client.state === "open", { what: "reconnected" });
    const tickets = h.urls.map((url) => url.searchParams.get("ticket"));
    expect(h.urls.every((url) => !url.searchParams.has("token") && !url.toString().includes(token))).toBe(true);
    expect(tickets.every((t) => t !== null)).toBe(true);
    expect(new Set(tickets).size).toBe(2);
    await sendNotification(userId, { title: "over a ticket" });
    await waitFor(() => h.received.some((f) => f.notification.title === "over a ticket"), { what: "the notification" });
    h.client.close();
  });
});
