/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units, as `Array.prototype.sort`
 * orders strings), no whitespace, `undefined` members dropped (in arrays they become `null`, as
 * in `JSON.stringify`). Two bodies that mean the same thing (key order, spacing) get the same text.
 * Built by string concatenation: this runs for every item of a 1,000-item batch.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i] === undefined ? null : value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = "{";
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

const encoder = new TextEncoder();
/** Character codes of the hex digits. */
const HEX_DIGITS = encoder.encode("0123456789abcdef");

/**
 * SHA-256 of the canonical JSON of a request body, hex-encoded (64 chars).
 * Idempotency compares fingerprints, not raw bytes (docs/api.md#idempotency).
 */
export async function fingerprint(value: unknown): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(canonicalJson(value))));
  // One flat string from its 64 character codes: `+=` of 32 pairs leaves a rope that every
  // comparison with a stored fingerprint (1,000 in a replayed batch) flattens first, and joining
  // an array of pairs costs more than either (measured in workerd over 1,000 fingerprints).
  const codes = new Array<number>(64);
  for (let i = 0; i < 32; i++) {
    codes[2 * i] = HEX_DIGITS[digest[i]! >> 4]!;
    codes[2 * i + 1] = HEX_DIGITS[digest[i]! & 15]!;
  }
  return String.fromCharCode(...codes);
}
