/**
 * `npm start`'s local setup (scripts/dev-env.mjs, issue 14): the server it starts allows http and
 * loopback webhooks (and dev tokens) — local development only — and `.dev.vars` gets a
 * `SECRET_KEYS` keyring, whether it is new or was written before the keyring existed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSecretKeys } from "../../src/lib/secret-box";
import { DEV_SERVER_VARS, ensureDevVars, parseVars } from "../../scripts/dev-env.mjs";

const tempPath = () => `/tmp/dev-vars-${crypto.randomUUID()}`;

describe("npm start", () => {
  it("starts wrangler dev with http webhooks and dev tokens allowed", () => {
    expect(DEV_SERVER_VARS).toEqual({ ALLOW_DEV_TOKENS: "true", ALLOW_HTTP_WEBHOOKS: "true" });
  });

  it("writes a new .dev.vars with API_KEYS, JWT_SECRET and a one-key SECRET_KEYS", () => {
    const path = tempPath();
    const { vars, created } = ensureDevVars(path);
    expect(created).toBe(true);
    expect(parseVars(readFileSync(path, "utf8"))).toEqual(vars);
    expect(new TextEncoder().encode(vars.JWT_SECRET).byteLength).toBeGreaterThanOrEqual(32);
    expect(parseSecretKeys(vars.SECRET_KEYS).map((k) => k.kid)).toEqual(["k1"]);
  });

  it("adds SECRET_KEYS to an older .dev.vars and leaves the rest as it was", () => {
    const path = tempPath();
    const before = "# mine\nAPI_KEYS=hk_dev_old\nJWT_SECRET=0123456789abcdef0123456789abcdef";
    writeFileSync(path, before);
    const { vars, created, added } = ensureDevVars(path);
    expect([created, added]).toEqual([false, ["SECRET_KEYS"]]);
    const text = readFileSync(path, "utf8");
    expect(text.startsWith(`${before}\n`)).toBe(true);
    expect(parseVars(text)).toEqual({ API_KEYS: "hk_dev_old", JWT_SECRET: "0123456789abcdef0123456789abcdef", SECRET_KEYS: vars.SECRET_KEYS });
    expect(parseSecretKeys(vars.SECRET_KEYS)).toHaveLength(1);
    // Run again: nothing changes.
    expect(ensureDevVars(path).added).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe(text);
  });
});
