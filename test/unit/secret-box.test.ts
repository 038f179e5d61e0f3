/**
 * The secret keyring (src/lib/secret-box.ts, issue 14): the first key of `SECRET_KEYS` seals, all
 * keys open, so a new key can be put in front while values sealed by the old one still open; a
 * value names its key id, and one sealed by a key the keyring no longer holds fails with a clear
 * error; legacy `v1.` values, sealed under a key derived from `JWT_SECRET`, still open.
 */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/lib/errors";
import { openSecret, parseSecretKeys, SealedSecretError, sealSecret } from "../../src/lib/secret-box";
import { legacySeal } from "../integration/security/legacy-seal";

const key = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const k1 = `k1:${key()}`;
const k2 = `k2:${key()}`;
const JWT_SECRET = "legacy-jwt-secret-0123456789abcdef0123456789";

describe("the secret keyring", () => {
  it("keeps opening values of an old key after a new one is put in front, and seals with the new one", async () => {
    const old = await sealSecret({ SECRET_KEYS: k1 }, "whsec_old");
    expect(old).toMatch(/^v2\.k1\.[\w-]+\.[\w-]+$/);
    const rotated = { SECRET_KEYS: `${k2},${k1}` };
    expect(await openSecret(rotated, old)).toBe("whsec_old");
    const fresh = await sealSecret(rotated, "whsec_new");
    expect(fresh).toMatch(/^v2\.k2\./);
    expect(await openSecret(rotated, fresh)).toBe("whsec_new");
    // The order of opening-only keys does not matter; only the first entry seals.
    expect(await openSecret({ SECRET_KEYS: `${k1},${k2}` }, fresh)).toBe("whsec_new");
  });

  it("fails a value sealed by a key the keyring does not hold, naming the key", async () => {
    const sealed = await sealSecret({ SECRET_KEYS: k2 }, "whsec_x");
    const error = await openSecret({ SECRET_KEYS: k1 }, sealed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealedSecretError);
    expect((error as Error).message).toMatch(/key "k2", which SECRET_KEYS does not hold/);
  });

  it("fails a value whose key changed under the same id, whose text was altered, or whose id was swapped", async () => {
    const sealed = await sealSecret({ SECRET_KEYS: `${k1},${k2}` }, "whsec_y");
    await expect(openSecret({ SECRET_KEYS: `k1:${key()}` }, sealed)).rejects.toThrow(/does not decrypt/);
    const [v, kid, iv, data] = sealed.split(".") as [string, string, string, string];
    const flipped = `${data.slice(0, -2)}${data.endsWith("AA") ? "BB" : "AA"}`;
    await expect(openSecret({ SECRET_KEYS: `${k1},${k2}` }, [v, kid, iv, flipped].join("."))).rejects.toBeInstanceOf(SealedSecretError);
    // The version and key id are authenticated: relabelling a value cannot make another key open it.
    await expect(openSecret({ SECRET_KEYS: `k2:${k1.slice(3)}` }, sealed.replace("v2.k1.", "v2.k2."))).rejects.toThrow(/does not decrypt/);
    await expect(openSecret({ SECRET_KEYS: k1 }, "plain text")).rejects.toThrow(/Not a sealed secret/);
  });

  it("opens legacy v1 values under JWT_SECRET, which seals nothing any more", async () => {
    const legacy = await legacySeal(JWT_SECRET, "whsec_legacy");
    expect(await openSecret({ SECRET_KEYS: k1, JWT_SECRET }, legacy)).toBe("whsec_legacy");
    await expect(openSecret({ SECRET_KEYS: k1 }, legacy)).rejects.toThrow(/JWT_SECRET, which is not configured/);
    // JWT_SECRET is not the master key: without a keyring nothing is sealed, and new values open without it.
    await expect(sealSecret({ JWT_SECRET }, "whsec_z")).rejects.toMatchObject({ code: "not_configured" });
    const sealed = await sealSecret({ SECRET_KEYS: k1, JWT_SECRET }, "whsec_z");
    expect(await openSecret({ SECRET_KEYS: k1, JWT_SECRET: `${JWT_SECRET}-rotated` }, sealed)).toBe("whsec_z");
  });

  it("refuses a malformed SECRET_KEYS with not_configured", () => {
    for (const raw of [undefined, "", "nokid", `k1:${btoa("too short")}`, `bad.kid:${key()}`, `k1:${key()},k1:${key()}`]) {
      let thrown: unknown;
      try {
        parseSecretKeys(raw);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, String(raw)).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).code).toBe("not_configured");
    }
    expect(parseSecretKeys(` ${k2} , ${k1} `).map((e) => e.kid)).toEqual(["k2", "k1"]);
  });
});
