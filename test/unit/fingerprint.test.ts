/** Fingerprints decide idempotency replays (docs/api.md#idempotency): same meaning → same hash, any change → another. */
import fc from "fast-check";
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

  it("keeps the fingerprints already stored: a fixed vector", async () => {
    // Records in D1 hold fingerprints made by earlier versions; a change here would turn every
    // replay of a live key into a 422 conflict.
    const value = { userId: "u", title: "t", data: { b: [1, { y: 2, x: 1 }, null], a: "é\u2028", n: -0.5 }, skip: undefined };
    expect(canonicalJson(value)).toBe('{"data":{"a":"é\u2028","b":[1,{"x":1,"y":2},null],"n":-0.5},"title":"t","userId":"u"}');
    expect(await fingerprint(value)).toBe("f780244eae088a3d05cd90654f58fb6ec3a1b4e281320c37afba6afec917d70f");
  });

  it("means what JSON.stringify means, whatever the key order, for any JSON value", () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])]))
          : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });
});
