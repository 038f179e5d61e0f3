/**
 * Encryption of stored secrets (webhook signing secrets), so a D1 dump does not reveal them.
 *
 * Keyring: the Worker secret `SECRET_KEYS` is a comma-separated list of `<kid>:<key>` entries,
 * each key at least 32 random bytes in base64 (`openssl rand -base64 32`), the kid 1–32 of
 * `[A-Za-z0-9_-]`. The FIRST entry seals every new value; every entry opens. Each value is
 * AES-256-GCM under a key derived by HKDF-SHA-256 from its entry (the kid in the `info`, so no
 * two kids share a key even if their material did), with the version and kid as associated data.
 * Format: `v2.<kid>.<iv>.<ciphertext>`, iv and ciphertext base64url.
 *
 * Rotation (also in README.md, "Rotating the secret keyring"):
 * 1. Generate a key (`openssl rand -base64 32`) and put it FIRST:
 *    `SECRET_KEYS="k2:<new>,k1:<old>"` (`wrangler secret put SECRET_KEYS`). From the next request
 *    on, new values are sealed with k2; values sealed with k1 still open. Nothing else changes.
 * 2. An old key may stay in the keyring as an opening-only key for as long as values use it. To
 *    retire k1, first replace what it sealed: a sync target's secret by
 *    `POST /v1/sync/targets/{id}/rotate-secret` (the previous secret is used 24 h more, then
 *    ignored), a topic webhook's by subscribing anew and deleting the old subscription.
 * 3. Once no stored value starts with `v2.k1.`, drop k1 from `SECRET_KEYS`. A value whose kid is
 *    not in the keyring fails to open with {@link SealedSecretError}, naming the kid — only that
 *    value, so put the key back rather than lose the data.
 *
 * Legacy: values sealed before the keyring start with `v1.` and were sealed under a key derived
 * from `JWT_SECRET`. They still open as long as `JWT_SECRET` is unchanged; `JWT_SECRET` seals
 * nothing new and no longer is the master key. Re-seal them (step 2) before rotating `JWT_SECRET`.
 */
import { ApiError } from "./errors";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const unb64url = (text: string) => Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));

/** Where the keyring comes from: the secrets `SECRET_KEYS` (sealing, opening) and `JWT_SECRET` (opening `v1.` only). */
export interface SecretKeyringEnv {
  SECRET_KEYS?: string;
  JWT_SECRET?: string;
}

/** A stored value that cannot be opened: an unknown key id, a changed key, altered text. */
export class SealedSecretError extends Error {
  override readonly name = "SealedSecretError";
}

/** Fewest bytes a keyring key may have (AES-256 wants 256 bits of input keying material). */
export const MIN_SECRET_KEY_BYTES = 32;

const KID = /^[A-Za-z0-9_-]{1,32}$/;

interface Keyring {
  /** The kid that seals new values: the first entry. */
  sealingKid: string;
  keys: Map<string, Promise<CryptoKey>>;
}

function deriveKey(material: Uint8Array, salt: string, info: string): Promise<CryptoKey> {
  return crypto.subtle
    .importKey("raw", material, "HKDF", false, ["deriveKey"])
    .then((base) =>
      crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: encoder.encode(salt), info: encoder.encode(info) },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      ),
    );
}

/**
 * Parses `SECRET_KEYS` (see the module comment).
 * @throws ApiError `not_configured` when it is missing or an entry is malformed, too short or repeated.
 */
export function parseSecretKeys(raw: string | undefined): { kid: string; key: Uint8Array }[] {
  const entries = (raw ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new ApiError("not_configured", "No SECRET_KEYS is configured to seal stored secrets (`<kid>:<base64 of 32 bytes>`).");
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const colon = entry.indexOf(":");
    const kid = entry.slice(0, colon);
    let key: Uint8Array;
    try {
      key = unb64url(entry.slice(colon + 1).replace(/=+$/, ""));
    } catch {
      key = new Uint8Array();
    }
    if (colon < 0 || !KID.test(kid) || key.byteLength < MIN_SECRET_KEY_BYTES || seen.has(kid)) {
      throw new ApiError(
        "not_configured",
        `SECRET_KEYS entry ${i + 1} is not \`<kid>:<base64 of ${MIN_SECRET_KEY_BYTES}+ bytes>\` with a unique kid of [A-Za-z0-9_-].`,
      );
    }
    seen.add(kid);
    return { kid, key };
  });
}

/** Parsed keyrings by their `SECRET_KEYS` text, once per isolate. */
const keyrings = new Map<string, Keyring>();

function keyringOf(raw: string | undefined): Keyring {
  const text = raw ?? "";
  let ring = keyrings.get(text);
  if (!ring) {
    const entries = parseSecretKeys(text);
    ring = {
      sealingKid: entries[0]!.kid,
      keys: new Map(entries.map(({ kid, key }) => [kid, deriveKey(key, "herald/secret-box", `herald/secret-box/v2/${kid}`)])),
    };
    keyrings.set(text, ring);
  }
  return ring;
}

/** The pre-keyring key of `v1.` values, derived from `JWT_SECRET`. */
const legacyKeys = new Map<string, Promise<CryptoKey>>();

function legacyKey(jwtSecret: string): Promise<CryptoKey> {
  let key = legacyKeys.get(jwtSecret);
  if (!key) legacyKeys.set(jwtSecret, (key = deriveKey(encoder.encode(jwtSecret), "herald", "herald/secret-box/v1")));
  return key;
}

/**
 * Encrypts `plaintext` for storage under the keyring's first key.
 * @returns `v2.<kid>.<iv>.<ciphertext>`.
 * @throws ApiError `not_configured` when `SECRET_KEYS` is missing or malformed.
 */
export async function sealSecret(env: SecretKeyringEnv, plaintext: string): Promise<string> {
  const ring = keyringOf(env.SECRET_KEYS);
  const header = `v2.${ring.sealingKid}`;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await ring.keys.get(ring.sealingKid)!;
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(header) }, key, encoder.encode(plaintext));
  return `${header}.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/**
 * Decrypts what {@link sealSecret} stored, or a legacy `v1.` value (under `JWT_SECRET`).
 * @throws SealedSecretError when the value is not a sealed secret, names a kid the keyring does
 *         not hold, or does not decrypt (key changed, text altered); ApiError `not_configured`
 *         when `SECRET_KEYS` is malformed.
 */
export async function openSecret(env: SecretKeyringEnv, sealed: string): Promise<string> {
  const parts = sealed.split(".");
  let key: CryptoKey;
  let iv: string | undefined;
  let data: string | undefined;
  let header: string | undefined;
  if (parts[0] === "v2" && parts.length === 4) {
    const [, kid, ...rest] = parts as [string, string, string, string];
    [iv, data] = rest;
    header = `v2.${kid}`;
    const found = keyringOf(env.SECRET_KEYS).keys.get(kid);
    if (!found) throw new SealedSecretError(`Sealed with key "${kid}", which SECRET_KEYS does not hold; add it back (after the sealing key) to open this value.`);
    key = await found;
  } else if (parts[0] === "v1" && parts.length === 3) {
    [, iv, data] = parts;
    if (!env.JWT_SECRET) throw new SealedSecretError("A legacy v1 value is sealed under JWT_SECRET, which is not configured.");
    key = await legacyKey(env.JWT_SECRET);
  } else {
    throw new SealedSecretError("Not a sealed secret (expected v2.<kid>.<iv>.<ciphertext> or legacy v1.<iv>.<ciphertext>).");
  }
  try {
    const additional = header ? { additionalData: encoder.encode(header) } : {};
    return decoder.decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64url(iv!), ...additional }, key, unb64url(data!)));
  } catch {
    throw new SealedSecretError(`A value sealed ${header ? `with key "${header.slice(3)}"` : "under the legacy JWT_SECRET key"} does not decrypt: the key changed or the value was altered.`);
  }
}

/** A new Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}
