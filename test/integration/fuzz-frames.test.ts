/**
 * Property-based fuzzing of client WebSocket frames (issue 9; docs/protocol.md#client-frames): random and boundary
 * frames — any JSON, frame-shaped objects with wrong types and unknown fields, truncated frames,
 * lone surrogates, deep nesting, binary frames — never break the connection; each bad frame is
 * answered by an `error` frame with a stable code, and a refused frame changes nothing in the
 * inbox (its SQLite tables, read inside the object with `runInDurableObject`, are unchanged).
 *
 * After each frame the test sends a sentinel ping that the object itself answers (not the
 * byte-exact one the runtime auto-answers): frames of one socket are handled in order, so when
 * its `pong` arrives, every reply to the fuzzed frame has too. A socket spends two frames of its
 * budget per run (src/inbox/frame-budget.ts), so the test moves to a fresh socket before the
 * budget runs out — the budget is proven in security-frame-flood.test.ts, not here.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FRAME_BURST } from "../../src/inbox/frame-budget";
import { PING_FRAME } from "../../src/inbox/frames";
import { inboxOf, type UserInbox } from "../../src/inbox/user-inbox";
import type { Bindings } from "../../src/env";
import { hostileString, hostileValue, loneSurrogate, nested } from "../fuzz-arbitraries";
import { Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

const RUNS = 200;
/** Runs per socket: two budgeted frames each, within the burst. */
const RUNS_PER_SOCKET = Math.floor(FRAME_BURST / 2) - 1;
const SENTINEL = '{ "type": "ping" }';
/** Codes the inbox answers a bad frame with (src/inbox/user-inbox.ts). */
const FRAME_ERROR_CODES = new Set(["invalid_frame", "malformed_json", "invalid_ack", "frame_too_large"]);

/** Everything the inbox stores, as one string to compare. */
async function inboxState(stub: DurableObjectStub<UserInbox>): Promise<string> {
  return runInDurableObject(stub, (_instance, state) =>
    JSON.stringify(["inbox", "pending_changes", "outbox", "meta"].map((table) => state.storage.sql.exec(`SELECT * FROM ${table} ORDER BY 1`).toArray())),
  );
}

const frameShaped = fc.record(
  {
    type: fc.oneof(fc.constantFrom("ack", "read", "ping", "pong", "hello", "notification", "ACK", ""), hostileString),
    seq: hostileValue,
    ids: fc.oneof(fc.array(hostileString, { maxLength: 5 }), hostileValue, fc.constant(Array.from({ length: 1001 }, (_, i) => `id${i}`))),
    extra: hostileValue,
  },
  { requiredKeys: [] },
);

/** A frame to send: text (usually JSON) or binary. */
const frames: fc.Arbitrary<string | Uint8Array> = fc
  .oneof(
    { weight: 4, arbitrary: frameShaped.map((f) => JSON.stringify(f)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('{"type":"ack","seq":1}', '{"type":"read","ids":["a"]}'), fc.nat()).map(([f, n]) => f.slice(0, n % f.length)) },
    { weight: 1, arbitrary: fc.oneof(loneSurrogate, fc.string({ unit: "binary", maxLength: 64 })) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 50_000 }).map((d) => JSON.stringify({ type: "read", ids: nested(d) })) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }) },
    // Well-formed frames among them: acks within and past what was sent, reads of unknown ids.
    { weight: 1, arbitrary: fc.oneof(fc.nat(6).map((seq) => JSON.stringify({ type: "ack", seq })), fc.array(fc.uuid(), { minLength: 1, maxLength: 3 }).map((ids) => JSON.stringify({ type: "read", ids }))) },
  )
  // The byte-exact ping never reaches the object (the runtime answers it); it has its own test.
  .filter((f) => f !== PING_FRAME);

describe("fuzzing WebSocket frames", () => {
  const tally: Record<string, number> = {};

  afterAll(() => {
    console.log(`fuzz (frames): ${RUNS} frames; replies ${Object.entries(tally).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  });

  it("answers every bad frame with a stable error, keeps the socket open, and changes nothing on refusal", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    for (let i = 0; i < 3; i++) await sendNotification(userId, { title: `n${i}` });
    const stub = inboxOf(env as unknown as Bindings, userId);
    await waitFor(async () => (await stub.unreadCount()) === 3, { what: "3 items in the inbox" });

    let device: Device | null = null;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        if (runs++ % RUNS_PER_SOCKET === 0) {
          (device as Device | null)?.close();
          device = await Device.connect(token, 3);
          await device.next("hello");
          // The connect's presence report leaves MIRROR_COALESCE_MS later, writing `meta`: let it
          // go before comparing storage around a frame.
          await waitFor(async () => runInDurableObject(stub, (instance) => !(instance as unknown as { mirror: { pending: boolean } }).mirror.pending), { what: "the presence report sent" });
        }
        const socket = device!;
        const before = await inboxState(stub);
        const read = socket.frames.length;
        socket.ws.send(frame);
        socket.send(SENTINEL);
        await socket.next("pong");
        const replies = socket.frames.slice(read, -1);
        for (const reply of replies) {
          tally[reply.type === "error" ? String(reply.code) : reply.type] = (tally[reply.type === "error" ? String(reply.code) : reply.type] ?? 0) + 1;
          if (reply.type !== "error" && reply.type !== "read" && reply.type !== "pong") throw new Error(`unexpected ${JSON.stringify(reply).slice(0, 200)}`);
          if (reply.type === "error" && !FRAME_ERROR_CODES.has(String(reply.code))) throw new Error(`unstable code ${String(reply.code)}`);
        }
        if (replies.length === 0) tally.none = (tally.none ?? 0) + 1;
        if (socket.closed) throw new Error("the socket closed");
        if (replies.some((r) => r.type === "error") && (await inboxState(stub)) !== before) throw new Error("a refused frame changed the inbox");
      }),
      { numRuns: RUNS },
    );
    (device as Device | null)?.close();
    expect(runs).toBeGreaterThanOrEqual(RUNS);
  }, 60_000);
});
