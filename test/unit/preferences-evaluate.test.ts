/**
 * The preference verdict of every channel send (src/preferences/evaluate.ts): a property over random
 * documents and notifications, the documented order (docs/api.md#preferences), and quiet hours on a moved clock — windows that
 * cross midnight and the Europe/Berlin DST transitions of 2026-03-29 and 2026-10-25.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectivePreferences, type StoredPreferences } from "../../src/preferences/document";
import { evaluate, quietUntil } from "../../src/preferences/evaluate";
import { CHANNELS } from "../../src/notifications/input";

const channelArb = fc.constantFrom(...CHANNELS);
const categoryArb = fc.constantFrom("general", "news", "billing", "security.otp");
const switchesArb = fc.record({ in_app: fc.boolean(), email: fc.boolean(), sms: fc.boolean(), push: fc.boolean() }, { requiredKeys: [] });
const timeArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const storedArb: fc.Arbitrary<StoredPreferences> = fc.record(
  {
    channels: switchesArb,
    categories: fc.dictionary(categoryArb, fc.record({ enabled: fc.boolean(), channels: switchesArb }, { requiredKeys: [] })),
    quietHours: fc.record({ start: timeArb, end: timeArb, timezone: fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata") }, { requiredKeys: ["start", "end"] }),
    unsubscribed: fc.dictionary(categoryArb, switchesArb),
  },
  { requiredKeys: [] },
);
const nowArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) });

describe("evaluate", () => {
  it("never sends to a channel switched off (globally, by category, or unsubscribed) unless critical", () => {
    fc.assert(
      fc.property(storedArb, storedArb, categoryArb, fc.boolean(), channelArb, nowArb, (defaults, own, category, critical, channel, now) => {
        const prefs = effectivePreferences(defaults, own);
        const verdict = evaluate(prefs, { category, critical }, channel, { now, profileTimezone: null });
        const off =
          prefs.channels[channel] === false ||
          prefs.categories[category]?.enabled === false ||
          prefs.categories[category]?.channels?.[channel] === false ||
          prefs.unsubscribed[category]?.[channel] === true;
        if (critical) expect(verdict).toEqual({ kind: "send" });
        else if (off) expect(verdict.kind).toBe("skip");
        if (verdict.kind === "hold") {
          expect(channel).not.toBe("in_app");
          expect(verdict.until).toBeGreaterThan(now);
          expect(verdict.until - now).toBeLessThanOrEqual(25 * 3600_000);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("checks in the documented order (docs/api.md#preferences): preference before unsubscribe before quiet hours", () => {
    const now = Date.UTC(2026, 5, 1, 23, 0);
    const base = effectivePreferences({}, { quietHours: { start: "22:00", end: "07:00" }, unsubscribed: { news: { email: true } } });
    expect(evaluate(base, { category: "news", critical: false }, "email", { now, profileTimezone: null })).toEqual({ kind: "skip", reason: "unsubscribed" });
    const off = effectivePreferences({}, { ...base, categories: { news: { channels: { email: false } } }, quietHours: { start: "22:00", end: "07:00" } });
    expect(evaluate(off, { category: "news", critical: false }, "email", { now, profileTimezone: null })).toEqual({ kind: "skip", reason: "preference" });
    expect(evaluate(base, { category: "billing", critical: false }, "email", { now, profileTimezone: null })).toEqual({ kind: "hold", until: Date.UTC(2026, 5, 2, 7, 0) });
    expect(evaluate(base, { category: "billing", critical: false }, "in_app", { now, profileTimezone: null })).toEqual({ kind: "send" });
    expect(evaluate(base, { category: "news", critical: true }, "email", { now, profileTimezone: null })).toEqual({ kind: "send" });
  });

  it("uses the document's zone, else the profile's, else UTC", () => {
    const now = Date.UTC(2026, 5, 1, 21, 30); // 23:30 in Berlin (CEST), 21:30 UTC
    const prefs = effectivePreferences({}, { quietHours: { start: "22:00", end: "07:00" } });
    const at = (profileTimezone: string | null) => evaluate(prefs, { category: "general", critical: false }, "sms", { now, profileTimezone });
    expect(at(null)).toEqual({ kind: "send" });
    expect(at("Not/AZone")).toEqual({ kind: "send" });
    expect(at("Europe/Berlin")).toEqual({ kind: "hold", until: Date.UTC(2026, 5, 2, 5, 0) });
    const own = effectivePreferences({}, { quietHours: { start: "22:00", end: "07:00", timezone: "UTC" } });
    expect(evaluate(own, { category: "general", critical: false }, "sms", { now, profileTimezone: "Europe/Berlin" })).toEqual({ kind: "send" });
  });
});

describe("quietUntil", () => {
  const at = (iso: string) => Date.parse(iso);

  it("handles windows that cross midnight, with the end excluded", () => {
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-01T21:59:59Z"))).toBeNull();
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-01T22:00:00Z"))).toBe(at("2026-06-02T07:00:00Z"));
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-01T23:59:00Z"))).toBe(at("2026-06-02T07:00:00Z"));
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-02T00:00:00Z"))).toBe(at("2026-06-02T07:00:00Z"));
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-02T06:59:00Z"))).toBe(at("2026-06-02T07:00:00Z"));
    expect(quietUntil("22:00", "07:00", "UTC", at("2026-06-02T07:00:00Z"))).toBeNull();
    expect(quietUntil("13:00", "14:00", "UTC", at("2026-06-02T13:30:00Z"))).toBe(at("2026-06-02T14:00:00Z"));
    expect(quietUntil("13:00", "14:00", "UTC", at("2026-06-02T12:59:00Z"))).toBeNull();
    expect(quietUntil("09:00", "09:00", "UTC", at("2026-06-02T09:00:00Z"))).toBeNull();
  });

  it("follows the clocks across the spring DST change (Europe/Berlin, 2026-03-29: the night is an hour shorter)", () => {
    // 00:00 CET on the 29th; 07:00 that morning is CEST (UTC+2): 05:00Z, 5 hours later, not 6.
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-03-28T23:00:00Z"))).toBe(at("2026-03-29T05:00:00Z"));
    // 22:30 CET on the 28th → 07:00 CEST.
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-03-28T21:30:00Z"))).toBe(at("2026-03-29T05:00:00Z"));
    // A window ending inside the gap (02:30 does not exist that night) ends just after it, at 03:00 CEST.
    expect(quietUntil("01:00", "02:30", "Europe/Berlin", at("2026-03-29T00:30:00Z"))).toBe(at("2026-03-29T01:30:00Z"));
  });

  it("follows the clocks across the autumn DST change (Europe/Berlin, 2026-10-25: the night is an hour longer)", () => {
    // 00:00 CEST on the 25th; 07:00 that morning is CET (UTC+1): 06:00Z, 8 hours later.
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-10-24T22:00:00Z"))).toBe(at("2026-10-25T06:00:00Z"));
    // During the repeated hour (02:30 CEST and 02:30 CET) both instants are held to the same end.
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-10-25T00:30:00Z"))).toBe(at("2026-10-25T06:00:00Z"));
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-10-25T01:30:00Z"))).toBe(at("2026-10-25T06:00:00Z"));
    // 06:59 CET is still quiet; 07:00 CET is not.
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-10-25T05:59:00Z"))).toBe(at("2026-10-25T06:00:00Z"));
    expect(quietUntil("22:00", "07:00", "Europe/Berlin", at("2026-10-25T06:00:00Z"))).toBeNull();
  });
});
