/**
 * Feed action targets (docs/api.md#feed): an https URL or a path inside the app; nothing a click
 * could turn into script, plain http or another site.
 */
import { describe, expect, it } from "vitest";
import { isActionUrl } from "../../src/notifications/input";

describe("feed action urls", () => {
  it("takes https URLs and app-relative paths", () => {
    for (const url of ["https://app.example.com/invoices/42", "https://example.com", "/invoices/42?tab=pay#top", "/"]) expect(isActionUrl(url), url).toBe(true);
  });

  it("refuses script, other schemes, protocol-relative and backslash paths, and bare words", () => {
    for (const url of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "http://example.com", "data:text/html,x", "ftp://x", "//evil.example.com", "/\\evil.example.com", "invoices/42", "", "https//missing-colon"]) {
      expect(isActionUrl(url), url).toBe(false);
    }
  });
});
