/**
 * Opaque pagination cursors (SPEC §2): base64url (no padding) of a JSON value's UTF-8 bytes, so
 * clients cannot depend on their shape and non-Latin-1 ids survive the round trip.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes any JSON value as a cursor. */
export function encodeCursor(value: unknown): string {
  const bytes = encoder.encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a cursor made by {@link encodeCursor}; `undefined` when it is not one. Callers check the shape. */
export function decodeCursor(cursor: string | undefined): unknown {
  if (cursor === undefined) return undefined;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return JSON.parse(decoder.decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    return undefined;
  }
}
