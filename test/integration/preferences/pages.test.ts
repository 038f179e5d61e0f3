/**
 * The preference pages under their policies (src/http/security-headers.ts, public/_headers): the
 * hosted /preferences page and the Worker's unsubscribe confirmation get PAGE_CSP, carry no inline
 * script or style, and /inbox links to the preference page. The page's behaviour in Chromium is
 * test/e2e/preferences.test.ts.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { PAGE_CSP } from "../../../src/http/security-headers";
import { mintLinkToken } from "../../../src/preferences/links";
import { BASE, freshId } from "../../helpers";

const asset = (path: string) => (env as unknown as { ASSETS: Fetcher }).ASSETS.fetch(new Request(`${BASE}${path}`));
const noInline = (html: string) => {
  expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  for (const [, attrs] of html.matchAll(/<script\b([^>]*)>/g)) expect(attrs).toMatch(/\ssrc="\//);
};

describe("preference pages", () => {
  it("serves /preferences/ and its script under PAGE_CSP with no inline script or style", async () => {
    for (const path of ["/preferences/", "/preferences/preferences.js"]) {
      const res = await asset(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy"), path).toBe(PAGE_CSP);
      if (path.endsWith("/")) noInline(await res.text());
      else await res.body?.cancel();
    }
  });

  it("renders the unsubscribe confirmation under PAGE_CSP with no inline script or style", async () => {
    const token = await mintLinkToken(env as unknown as Bindings, { use: "unsubscribe", sub: freshId(), cat: "news", ch: "email" });
    const res = await exports.default.fetch(new Request(`${BASE}/v1/unsubscribe?token=${token}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    noInline(await res.text());
  });

  it("links /inbox to the preference page", async () => {
    expect(await (await asset("/inbox/")).text()).toContain('id="preferences-link" href="/preferences/"');
  });
});
