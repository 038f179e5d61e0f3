/**
 * Client frame limits (src/inbox/frames.ts, src/inbox/frame-budget.ts): the size limit refuses
 * nothing valid and counts UTF-8 bytes, and a refunded token is the one a frame took.
 */
import { describe, expect, it } from "vitest";
import { FRAME_BURST, FrameBudget } from "../../src/inbox/frame-budget";
import { ClientFrame, frameTooLarge, MAX_CLIENT_FRAME_BYTES, MAX_READ_IDS } from "../../src/inbox/frames";

describe("frameTooLarge", () => {
  it("lets the longest valid frame through: a read of the most ids of the longest length", () => {
    const longest = JSON.stringify({ type: "read", ids: Array.from({ length: MAX_READ_IDS }, () => "x".repeat(64)) });
    expect(ClientFrame.safeParse(JSON.parse(longest)).success).toBe(true);
    expect(frameTooLarge(longest)).toBe(false);
    expect(frameTooLarge(new TextEncoder().encode(longest).buffer as ArrayBuffer)).toBe(false);
  });

  it("counts UTF-8 bytes, in strings and binary frames alike", () => {
    expect(frameTooLarge("a".repeat(MAX_CLIENT_FRAME_BYTES))).toBe(false);
    expect(frameTooLarge("a".repeat(MAX_CLIENT_FRAME_BYTES + 1))).toBe(true);
    // One two-byte character: as many characters as the limit, one byte over it.
    expect(frameTooLarge("é" + "a".repeat(MAX_CLIENT_FRAME_BYTES - 1))).toBe(true);
    expect(frameTooLarge("é" + "a".repeat(MAX_CLIENT_FRAME_BYTES - 2))).toBe(false);
    expect(frameTooLarge(new ArrayBuffer(MAX_CLIENT_FRAME_BYTES))).toBe(false);
    expect(frameTooLarge(new ArrayBuffer(MAX_CLIENT_FRAME_BYTES + 1))).toBe(true);
  });
});

describe("FrameBudget.refund", () => {
  it("gives back a taken token, never more than the burst", () => {
    const budget = new FrameBudget(0);
    for (let i = 0; i < FRAME_BURST; i++) expect(budget.take(0)).toBe(true);
    expect(budget.take(0)).toBe(false);
    budget.refund();
    expect(budget.take(0)).toBe(true);
    expect(budget.take(0)).toBe(false);

    const full = new FrameBudget(0);
    full.refund();
    for (let i = 0; i < FRAME_BURST; i++) expect(full.take(0)).toBe(true);
    expect(full.take(0)).toBe(false);
  });
});
