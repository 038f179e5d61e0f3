/**
 * `npm run token -- <userId>` (scripts/token.ts, issue 19 "the first hour"): a fresh 24 h user
 * token from the secrets `npm start` wrote to `.dev.vars`, accepted by the Worker's own verifier
 * (src/lib/auth.ts) for the deployment's audience, and clear refusals when the secrets are not there.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_USER_TOKEN_TTL_SECONDS, verifyUserToken } from "../../src/lib/auth";
import { audienceFromWranglerToml, tokenFromDevVars } from "../../scripts/token";

const SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef";

/** A temp project dir with a `.dev.vars` (and a wrangler.toml when given). */
function project(devVars: string | null, wranglerToml?: string): string {
  const dir = `/tmp/token-script-${crypto.randomUUID()}`;
  mkdirSync(dir, { recursive: true });
  if (devVars !== null) writeFileSync(`${dir}/.dev.vars`, devVars);
  if (wranglerToml !== undefined) writeFileSync(`${dir}/wrangler.toml`, wranglerToml);
  return dir;
}

describe("npm run token", () => {
  it("mints a 24 h token the Worker's verifier accepts for the user, with wrangler.toml's audience", async () => {
    const dir = project(`# generated\nAPI_KEYS=hk_dev_x\nJWT_SECRET=${SECRET}\nSECRET_KEYS=k1:abc\n`, `name = "herald"\n[vars]\nPUBLIC_URL = "https://h.example"\nJWT_AUDIENCE = "herald-staging"\n`);
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await tokenFromDevVars(dir, "dev-user");
    const claims = await verifyUserToken({ secret: SECRET, audience: "herald-staging" }, token);
    expect(claims.userId).toBe("dev-user");
    expect(claims.exp - before).toBeGreaterThanOrEqual(MAX_USER_TOKEN_TTL_SECONDS);
    expect(claims.exp - before).toBeLessThanOrEqual(MAX_USER_TOKEN_TTL_SECONDS + 1);
    expect(expiresAt).toBe(new Date(claims.exp * 1000).toISOString());
    // Another deployment's audience refuses it.
    await expect(verifyUserToken({ secret: SECRET, audience: "herald" }, token)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("uses JWT_AUDIENCE from .dev.vars over wrangler.toml, and 'herald' when neither says", async () => {
    const own = await tokenFromDevVars(project(`JWT_SECRET=${SECRET}\nJWT_AUDIENCE=mine\n`, `[vars]\nJWT_AUDIENCE = "herald-staging"\n`), "u-1");
    expect((await verifyUserToken({ secret: SECRET, audience: "mine" }, own.token)).userId).toBe("u-1");
    const plain = await tokenFromDevVars(project(`JWT_SECRET=${SECRET}\n`), "u-2");
    expect((await verifyUserToken({ secret: SECRET, audience: "herald" }, plain.token)).userId).toBe("u-2");
  });

  it("reads JWT_AUDIENCE only from the [vars] table of wrangler.toml", () => {
    expect(audienceFromWranglerToml(`[env.prod.vars]\nJWT_AUDIENCE = "prod"\n[vars]\nA = "1"\nJWT_AUDIENCE = "dev"\n`)).toBe("dev");
    expect(audienceFromWranglerToml(`[env.prod.vars]\nJWT_AUDIENCE = "prod"\n`)).toBeUndefined();
  });

  it("refuses without .dev.vars, with a short JWT_SECRET, and without a user id", async () => {
    await expect(tokenFromDevVars(project(null), "u")).rejects.toThrow(/npm start/);
    await expect(tokenFromDevVars(project("JWT_SECRET=short\n"), "u")).rejects.toThrow(/shorter than 32 bytes/);
    await expect(tokenFromDevVars(project(`JWT_SECRET=${SECRET}\n`), "")).rejects.toThrow(/user id/);
  });
});
