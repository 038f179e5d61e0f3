/**
 * A socket is closed with 4001 when its user token's `exp` passes (docs/protocol.md, issue 14) — by the
 * inbox's alarm, so also after the object was evicted while the socket hibernated — while another
 * device of the same user with a longer-lived token stays connected; the client then reconnects
 * with a fresh token from its token function.
 */
import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { decode, sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { harness } from "../../client-harness";
import { BASE, freshId, sendNotification, userToken, waitFor } from "../../helpers";

const JWT_SECRET = (env as unknown as Bindings).JWT_SECRET!;

/** A user token that expires `seconds` from now (the API mints 60 s at the shortest). */
async function shortToken(userId: string, seconds: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return sign({ sub: userId, typ: "user", aud: "herald", iat, exp: iat + seconds }, JWT_SECRET, "HS256");
}

/** A connected socket and the close code it gets (a promise, resolved on close). */
async function connect(token: string): Promise<{ ws: WebSocket; closed: Promise<number>; frames: string[] }> {
  const res = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?token=${token}`, { headers: { upgrade: "websocket" } }));
  if (res.status !== 101 || !res.webSocket) throw new Error(`connect: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  const frames: string[] = [];
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (event) => resolve(event.code)));
  ws.addEventListener("message", (event) => void frames.push(String(event.data)));
  ws.accept();
  return { ws, closed, frames };
}

/** The close code within `ms`, or "open" when the socket is still open then. */
const closeCodeWithin = (socket: { closed: Promise<number> }, ms: number) =>
  Promise.race([socket.closed, new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms))]);

describe("token expiry on open sockets", () => {
  it("closes a socket with 4001 once its token expires, and only that socket", async () => {
    const userId = freshId();
    const shortLived = await shortToken(userId, 2);
    const exp = decode(shortLived).payload.exp!;
    const short = await connect(shortLived);
    const long = await connect(await userToken(userId));
    expect(await closeCodeWithin(short, 8_000)).toBe(4001);
    // Not before `exp` (s): measured against the token's own time, not the test's start, which a
    // slow second connect can push to within a few ms of `exp`.
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
    expect(await closeCodeWithin(long, 500)).toBe("open");
    await sendNotification(userId, { title: "still here" });
    await waitFor(() => long.frames.some((f) => f.includes("still here")), { what: "the long-lived socket still served" });
    long.ws.close(1000, "done");
  });

  it("closes it after the inbox was evicted while the socket hibernated", async () => {
    const userId = freshId();
    const short = await connect(await shortToken(userId, 2));
    await waitFor(() => short.frames.length > 0, { what: "hello" });
    await evictDurableObject(env.USER_INBOX.get(env.USER_INBOX.idFromName(userId)));
    expect(await closeCodeWithin(short, 8_000)).toBe(4001);
  });

  it("lets the client reconnect with a fresh token from its token function", async () => {
    const userId = freshId();
    const tokens = [await shortToken(userId, 2), await userToken(userId)];
    let asked = 0;
    const h = harness(() => tokens[Math.min(asked++, 1)]!);
    h.client.connect();
    await waitFor(() => h.client.state === "open", { what: "open" });
    await waitFor(() => h.sockets.length === 2 && h.client.state === "open", { what: "reconnected after 4001", timeoutMs: 10_000 });
    expect(asked).toBe(2);
    expect(h.urls[1]!.searchParams.get("token")).toBe(tokens[1]);
    h.client.close();
  });
});
