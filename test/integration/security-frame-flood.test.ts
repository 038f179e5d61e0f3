/**
 * WebSocket frame flooding (issue 9; src/inbox/frame-budget.ts): a device sending more than
 * 20 frames/s (bursts of 40) gets an `error` frame `rate_limited` and a close with 4008, while
 * the user's other devices and other users go on untouched. Pings (auto-answered by the runtime)
 * and acks that advance never count, so a fast replay acked frame by frame is never cut off.
 */
import { describe, expect, it } from "vitest";
import { FRAME_BURST } from "../../src/inbox/frame-budget";
import { CLOSE_CODES, PING_FRAME } from "../../src/inbox/frames";
import { Device, freshId, sendNotification, userToken, waitFor } from "../helpers";

/** Resolves with the close code the device's socket gets. */
function closeCode(device: Device): Promise<number> {
  return new Promise((resolve) => device.ws.addEventListener("close", (event) => resolve(event.code)));
}

describe("frame flooding", () => {
  it("tells a flooding device rate_limited and closes it with 4008; its sibling device and other users carry on", async () => {
    const alice = freshId("alice");
    const bob = freshId("bob");
    const [aliceToken, bobToken] = await Promise.all([userToken(alice), userToken(bob)]);
    const flooder = await Device.connect(aliceToken);
    const sibling = await Device.connect(aliceToken);
    const other = await Device.connect(bobToken);
    await Promise.all([flooder.next("hello"), sibling.next("hello"), other.next("hello")]);
    const closed = closeCode(flooder);

    // Frames that do no work still cost: non-advancing acks and garbage alike.
    for (let i = 0; i < 3 * FRAME_BURST; i++) flooder.send(i % 2 === 0 ? { type: "ack", seq: 0 } : "not json");
    const limited = await waitFor(() => flooder.frames.find((f) => f.type === "error" && f.code === "rate_limited"), { what: "rate_limited frame", timeoutMs: 5000 });
    expect(limited.detail).toMatch(/frames per second/);
    expect(await closed).toBe(CLOSE_CODES.rateLimited);
    // Garbage within the budget was answered frame by frame; past it, nothing more was handled.
    const malformed = flooder.frames.filter((f) => f.code === "malformed_json").length;
    expect(malformed).toBeGreaterThan(0);
    expect(malformed).toBeLessThan(FRAME_BURST);
    expect(flooder.frames.filter((f) => f.code === "rate_limited")).toHaveLength(1);

    const toAlice = await sendNotification(alice, { title: "still here" });
    const toBob = await sendNotification(bob, { title: "unaffected" });
    expect(await sibling.next("notification")).toMatchObject({ notification: { id: toAlice } });
    expect(await other.next("notification")).toMatchObject({ notification: { id: toBob } });
    other.send({ type: "read", ids: [toBob] });
    expect(await other.next("read")).toMatchObject({ ids: [toBob], unreadCount: 0 });
    sibling.close();
    other.close();
  });

  it("never counts auto-answered pings", async () => {
    const device = await Device.connect(await userToken(freshId()));
    await device.next("hello");
    for (let i = 0; i < 5 * FRAME_BURST; i++) device.send(PING_FRAME);
    await device.take(5 * FRAME_BURST, "pong");
    expect(device.closed).toBe(false);
    expect(device.frames.filter((f) => f.type === "error")).toEqual([]);
    device.close();
  });

  it("never counts acks that advance: a replay acked frame by frame runs to the end", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const count = 4 * FRAME_BURST;
    for (let i = 0; i < count; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => sendNotification(userId, { title: `n${i + j}` })));
    const device = await Device.connect(token, 0, 10);
    await device.next("hello");
    for (let i = 0; i < count; i++) {
      const frame = await device.next("notification");
      device.send({ type: "ack", seq: frame.seq });
    }
    expect(device.closed).toBe(false);
    expect(device.frames.filter((f) => f.type === "error")).toEqual([]);
    device.close();
  });
});
