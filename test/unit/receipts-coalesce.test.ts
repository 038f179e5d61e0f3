/**
 * Coalescing an ack and a read of one item in one receipts batch (src/queues/receipts.ts,
 * docs/cost.md): the delivery row is written once, with the ack's time as `delivered_at`; and
 * a `sent` the inbox reported (the fast path, no dispatch message) folded into its item's ack or read.
 */
import { describe, expect, it } from "vitest";
import { coalesceAckAndRead, foldSent, type ReceiptStatus } from "../../src/queues/receipts";
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

describe("foldSent", () => {
  it("folds a sent into the delivered or read of the same item, keeping its earliest time", () => {
    const acked = coalesceAckAndRead(batch([["sent", [["a", 5], ["b", 6], ["a", 4], ["c", 7]]], ["delivered", [["a", 10], ["d", 11]]], ["read", [["b", 20]]]]));
    const out = foldSent(acked);
    expect(out.get("delivered")).toEqual([["a", 10, null, 4], ["d", 11]]);
    expect(out.get("read")).toEqual([["b", 20, null, 6]]);
    expect(out.get("sent")).toEqual([["c", 7]]);
  });

  it("keeps the ack's time of a read that folded a delivered", () => {
    const out = foldSent(coalesceAckAndRead(batch([["sent", [["a", 5]]], ["delivered", [["a", 10]]], ["read", [["a", 20]]]])));
    expect(out.has("sent")).toBe(false);
    expect(out.has("delivered")).toBe(false);
    expect(out.get("read")).toEqual([["a", 20, 10, 5]]);
  });

  it("leaves a batch without sent as it is", () => {
    const only = batch([["delivered", [["a", 10]]]]);
    expect(foldSent(only)).toEqual(only);
  });
});
