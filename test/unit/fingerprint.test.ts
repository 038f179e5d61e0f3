/** Fingerprints decide idempotency replays (SPEC §5): same meaning → same hash, any change → another. */
import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint } from "../../src/lib/fingerprint";

describe("canonical JSON fingerprint", () => {
  it("ignores key order and undefined members at every depth", async () => {
    const a = { userId: "u", data: { x: 1, nested: { b: [1, { d: 2, c: 3 }], a: null } }, title: "t", skip: undefined };
    const b = { title: "t", data: { nested: { a: null, b: [1, { c: 3, d: 2 }] }, x: 1 }, userId: "u" };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(await fingerprint(a)).toBe(await fingerprint(b));
    expect(await fingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with any value, including array order and types", async () => {
    const base = await fingerprint({ a: [1, 2], b: "1" });
    expect(await fingerprint({ a: [2, 1], b: "1" })).not.toBe(base);
    expect(await fingerprint({ a: [1, 2], b: 1 })).not.toBe(base);
    expect(await fingerprint({ a: [1, 2], b: "1", c: null })).not.toBe(base);
  });
});
