/**
 * Canonical JSON: object keys sorted recursively, no whitespace, `undefined` members dropped.
 * Two bodies that mean the same thing (key order, spacing) get the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * SHA-256 of the canonical JSON of a request body, hex-encoded (64 chars).
 * Idempotency compares fingerprints, not raw bytes (SPEC §5).
 */
export async function fingerprint(value: unknown): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(canonicalJson(value))));
  let hex = "";
  for (const b of digest) hex += HEX[b]!;
  return hex;
}
