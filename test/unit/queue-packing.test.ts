/** Packing work into queue messages within the platform limits (128 KB/message, 100 msgs and 256 KB/sendBatch). */
import { describe, expect, it } from "vitest";
import { backoffSeconds, chunkByBytes, jsonBytes, MAX_MESSAGE_BYTES } from "../../src/lib/queue";

describe("chunkByBytes", () => {
  it("keeps every item, in order, with each chunk under the byte budget", () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ i, text: "x".repeat(i % 300) }));
    const chunks = chunkByBytes(items, MAX_MESSAGE_BYTES);
    expect(chunks.flat()).toEqual(items);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(jsonBytes(chunk)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  it("respects an item cap and gives an oversize item a chunk of its own", () => {
    expect(chunkByBytes([1, 2, 3, 4, 5], 1000, 2)).toEqual([[1, 2], [3, 4], [5]]);
    const big = "y".repeat(200);
    expect(chunkByBytes(["a", big, "b"], 100)).toEqual([["a"], [big], ["b"]]);
  });
});

describe("backoffSeconds (full jitter)", () => {
  it("stays within [1, min(cap, base·2^(n-1))]", () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      for (let k = 0; k < 50; k++) {
        const delay = backoffSeconds(attempt, 2, 300);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(Math.max(1, Math.min(300, 2 * 2 ** (attempt - 1))));
      }
    }
  });

  it("spreads retries instead of synchronising them", () => {
    const delays = new Set(Array.from({ length: 200 }, () => backoffSeconds(8, 2, 3600)));
    expect(delays.size).toBeGreaterThan(20);
  });
});
