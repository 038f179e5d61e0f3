/**
 * Encryption of stored secrets (webhook signing secrets), so a D1 dump does not reveal them.
 * AES-256-GCM with a key derived by HKDF-SHA-256 from the Worker secret `JWT_SECRET` (a
 * separate `info` label keeps this key unrelated to token signing). Format: `v1.<iv>.<ciphertext>`,
 * both base64url. Rotating `JWT_SECRET` makes stored webhook secrets unreadable: rotate them too.
 */
import { ApiError } from "./errors";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const unb64url = (text: string) => Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(master: string | undefined): Promise<CryptoKey> {
  if (!master) throw new ApiError("not_configured", "No JWT_SECRET is configured to protect stored secrets.");
  let key = keys.get(master);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(master), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encoder.encode("herald"), info: encoder.encode("herald/secret-box/v1") },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(master, key);
  }
  return key;
}

/** Encrypts `plaintext` for storage. @throws ApiError `not_configured` without a master secret. */
export async function sealSecret(master: string | undefined, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFor(master), encoder.encode(plaintext));
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/** Decrypts what {@link sealSecret} stored. @throws when the master secret changed or the text was altered. */
export async function openSecret(master: string | undefined, sealed: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("not a sealed secret");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64url(iv) }, await keyFor(master), unb64url(data));
  return decoder.decode(plain);
}

/** A new Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}
