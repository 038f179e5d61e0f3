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
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * SHA-256 of the canonical JSON of a request body, hex-encoded (64 chars).
 * Idempotency compares fingerprints, not raw bytes (docs/api.md#idempotency).
 */
export async function fingerprint(value: unknown): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(canonicalJson(value))));
  // Joined, not concatenated: `+=` leaves a rope of 32 pieces that every comparison with a stored
  // fingerprint (a 1,000-item batch makes 1,000) flattens first.
  return Array.from(digest, (b) => HEX[b]!).join("");
}
