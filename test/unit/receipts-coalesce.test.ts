/**
 * Coalescing an ack and a read of one item in one receipts batch (src/queues/receipts.ts,
 * docs/cost.md): the delivery row is written once, with the ack's time as `delivered_at`.
 */
import { describe, expect, it } from "vitest";
import { coalesceAckAndRead, type ReceiptStatus } from "../../src/queues/receipts";
import type { Receipt } from "../../src/db/deliveries";

const batch = (entries: [ReceiptStatus, Receipt[]][]) => new Map(entries);

describe("coalesceAckAndRead", () => {
  it("folds a delivered into the read of the same item, keeping the ack's time", () => {
    const out = coalesceAckAndRead(batch([["delivered", [["a", 10], ["b", 11]]], ["read", [["a", 20]]]]));
    expect(out.get("delivered")).toEqual([["b", 11]]);
    expect(out.get("read")).toEqual([["a", 20, 10]]);
  });

  it("drops the delivered list when every item of it was read, and takes an item's earliest ack", () => {
    const out = coalesceAckAndRead(batch([["delivered", [["a", 12], ["a", 10]]], ["read", [["a", 20]]], ["expired", [["c", 5]]]]));
    expect(out.has("delivered")).toBe(false);
    expect(out.get("read")).toEqual([["a", 20, 10]]);
    expect(out.get("expired")).toEqual([["c", 5]]);
  });

  it("never puts delivered after read (a read over REST before the ack)", () => {
    expect(coalesceAckAndRead(batch([["delivered", [["a", 30]]], ["read", [["a", 20]]]])).get("read")).toEqual([["a", 20, 20]]);
  });

  it("leaves a batch without both statuses as it is", () => {
    const only = batch([["delivered", [["a", 10]]]]);
    expect(coalesceAckAndRead(only)).toEqual(only);
  });
});
