/**
 * Client frames over a real WebSocket (issue 14): a frame's size is checked before it is parsed —
 * a frame over MAX_CLIENT_FRAME_BYTES gets an `error` frame `frame_too_large`, is never parsed or
 * acted on, and the socket stays up — and the frame budget is charged before the JSON is parsed,
 * so the frame that exhausts it is never parsed either. (The inbox runs in this isolate, so a spy
 * on `JSON.parse` sees what it parses.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { FRAME_BURST } from "../../../src/inbox/frame-budget";
import { CLOSE_CODES, MAX_CLIENT_FRAME_BYTES } from "../../../src/inbox/frames";
import { Device, freshId, sendNotification, userToken, waitFor } from "../../helpers";

afterEach(() => vi.restoreAllMocks());

/** A `read` frame of `ids`, padded with JSON whitespace to exactly `bytes` bytes. */
function readFrame(ids: string[], bytes: number): string {
  const frame = JSON.stringify({ type: "read", ids });
  return frame.slice(0, -1) + " ".repeat(bytes - frame.length) + "}";
}

/** Strings passed to `JSON.parse` anywhere in this isolate from now on. */
function parsedStrings(): string[] {
  const seen: string[] = [];
  const parse = JSON.parse;
  vi.spyOn(JSON, "parse").mockImplementation((text: string, reviver?: (key: string, value: unknown) => unknown) => {
    seen.push(text);
    return parse(text, reviver);
  });
  return seen;
}

async function deviceWithOneUnread() {
  const userId = freshId();
  const device = await Device.connect(await userToken(userId));
  await device.next("hello");
  const id = await sendNotification(userId, { title: "unread" });
  await device.next("notification");
  return { device, id };
}

describe("frame size", () => {
  it("refuses a frame over the limit with frame_too_large, without parsing or acting on it; the socket stays up", async () => {
    const { device, id } = await deviceWithOneUnread();
    const parsed = parsedStrings();
    const tooLarge = readFrame([id], MAX_CLIENT_FRAME_BYTES + 1);
    device.send(tooLarge);
    const error = await device.next("error");
    expect(error).toMatchObject({ code: "frame_too_large" });
    expect(String(error.detail)).toContain(String(MAX_CLIENT_FRAME_BYTES));
    expect(parsed).not.toContain(tooLarge);

    // A megabyte, and one multi-byte character over the limit in bytes but not in characters.
    device.send("x".repeat(1024 * 1024));
    expect(await device.next("error")).toMatchObject({ code: "frame_too_large" });
    const wide = readFrame([id, "é"], MAX_CLIENT_FRAME_BYTES);
    expect(wide.length).toBe(MAX_CLIENT_FRAME_BYTES);
    device.send(wide);
    expect(await device.next("error")).toMatchObject({ code: "frame_too_large" });
    expect(parsed).not.toContain(wide);
    expect(await device.quiet(200, "read")).toEqual([]);

    // Still connected, and a frame of exactly the limit is handled.
    expect(device.closed).toBe(false);
    device.send(readFrame([id], MAX_CLIENT_FRAME_BYTES));
    expect(await device.next("read")).toMatchObject({ ids: [id], unreadCount: 0 });
    device.close();
  });

  it("refuses a binary frame over the limit the same way", async () => {
    const { device, id } = await deviceWithOneUnread();
    device.ws.send(new TextEncoder().encode(readFrame([id], MAX_CLIENT_FRAME_BYTES + 1)));
    expect(await device.next("error")).toMatchObject({ code: "frame_too_large" });
    device.ws.send(new TextEncoder().encode(readFrame([id], 200)));
    expect(await device.next("read")).toMatchObject({ ids: [id], unreadCount: 0 });
    device.close();
  });

  it("counts oversized frames against the budget: a flood of them is closed with 4008", async () => {
    const device = await Device.connect(await userToken(freshId()));
    await device.next("hello");
    const closed = new Promise<number>((resolve) => device.ws.addEventListener("close", (event) => resolve(event.code)));
    const huge = "y".repeat(MAX_CLIENT_FRAME_BYTES + 1);
    for (let i = 0; i < 2 * FRAME_BURST; i++) device.send(huge);
    expect(await closed).toBe(CLOSE_CODES.rateLimited);
    const tooLarge = device.frames.filter((f) => f.code === "frame_too_large").length;
    // Answered until the budget ran out (a little past the burst when it refilled meanwhile), never all.
    expect(tooLarge).toBeGreaterThan(0);
    expect(tooLarge).toBeLessThan(2 * FRAME_BURST);
  });
});

describe("frame budget before parsing", () => {
  it("never parses the frame that finds the budget empty, nor any after it", async () => {
    const device = await Device.connect(await userToken(freshId()));
    await device.next("hello");
    const parsed = parsedStrings();
    const frames = Array.from({ length: 2 * FRAME_BURST }, (_, i) => `{"type":"read","ids":["flood-${i}"]`);
    for (const frame of frames) device.send(frame);
    await waitFor(() => device.closed, { what: "the 4008 close" });
    const parsedIndexes = frames.map((frame, i) => (parsed.includes(frame) ? i : -1)).filter((i) => i >= 0);
    const answered = device.frames.filter((f) => f.code === "malformed_json").length;
    // Each frame within the budget was parsed and answered; the one that found it empty was not parsed.
    expect(answered).toBeGreaterThan(0);
    expect(parsedIndexes).toEqual(Array.from({ length: answered }, (_, i) => i));
    expect(device.frames.filter((f) => f.code === "rate_limited")).toHaveLength(1);
  });

  it("an advancing ack still costs nothing once parsed: acking a long replay frame by frame never trips the limit", async () => {
    const userId = freshId();
    const token = await userToken(userId);
    const count = 3 * FRAME_BURST;
    for (let i = 0; i < count; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => sendNotification(userId, { title: `n${i + j}` })));
    const device = await Device.connect(token, 0, 5);
    await device.next("hello");
    for (let i = 0; i < count; i++) device.send({ type: "ack", seq: (await device.next("notification")).seq });
    expect(device.closed).toBe(false);
    expect(device.frames.filter((f) => f.type === "error")).toEqual([]);
    device.close();
  });
});
