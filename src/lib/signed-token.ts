/**
 * Signed tokens that Herald issues and checks itself (connect tickets, email link tokens):
 * `<payload>.<mac>`, both base64url (RFC 4648 §5, no padding), where the payload is JSON and the
 * mac is HMAC-SHA256 under a key derived with HKDF (RFC 5869) from `JWT_SECRET` and the
 * deployment's audience, with a `label` per kind of token — so a token of one kind is never
 * accepted as another, and two parts (not three) keep it from passing as a JWT.
 */
import type { UserTokenKey } from "./auth";

const encoder = new TextEncoder();
const macKeys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for tokens labelled `label`, derived once per isolate. */
function macKey(key: UserTokenKey, label: string): Promise<CryptoKey> {
  const cacheKey = `${label}\u0000${key.audience}\u0000${key.secret}`;
  let derived = macKeys.get(cacheKey);
  if (!derived) {
    derived = crypto.subtle
      .importKey("raw", encoder.encode(key.secret), "HKDF", false, ["deriveKey"])
      .then((ikm) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(`herald ${label} v1 ${key.audience}`) },
          ikm,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    macKeys.set(cacheKey, derived);
  }
  return derived;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Signs `payload` (any JSON value) as a token of kind `label`. */
export async function signToken(key: UserTokenKey, label: string, payload: unknown): Promise<string> {
  const bytes = encoder.encode(JSON.stringify(payload));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await macKey(key, label), bytes));
  return `${base64url(bytes)}.${base64url(mac)}`;
}

/**
 * Checks a token of kind `label` (mac compared in constant time by `crypto.subtle.verify`) and
 * returns its payload, parsed JSON but not yet validated — the caller checks its shape and expiry.
 * @returns null when the token is malformed, forged or tampered with.
 */
export async function openToken(key: UserTokenKey, label: string, token: string): Promise<unknown> {
  const [payloadPart, macPart, ...rest] = token.split(".");
  const payload = fromBase64url(payloadPart ?? "");
  const mac = fromBase64url(macPart ?? "");
  if (rest.length > 0 || !payload || !mac || !(await crypto.subtle.verify("HMAC", await macKey(key, label), mac, payload))) return null;
  try {
    return JSON.parse(new TextDecoder().decode(payload)) as unknown;
  } catch {
    return null;
  }
}
