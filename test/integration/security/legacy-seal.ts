/**
 * How stored secrets were sealed before the keyring (issue 14), to prove such values still open:
 * AES-256-GCM under HKDF-SHA-256(JWT_SECRET, salt "herald", info "herald/secret-box/v1"),
 * stored as `v1.<iv>.<ciphertext>` in base64url.
 */
export async function legacySeal(jwtSecret: string, plaintext: string): Promise<string> {
  const encoder = new TextEncoder();
  const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const base = await crypto.subtle.importKey("raw", encoder.encode(jwtSecret), "HKDF", false, ["deriveKey"]);
  const aes = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("herald"), info: encoder.encode("herald/secret-box/v1") },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, aes, encoder.encode(plaintext));
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}
