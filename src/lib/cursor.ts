/**
 * Opaque pagination cursors (docs/api.md#pagination): base64url (no padding) of a JSON value's UTF-8 bytes, so
 * clients cannot depend on their shape and non-Latin-1 ids survive the round trip.
 */
import { ApiError } from "./errors";

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

/**
 * Decodes a cursor that must hold a string key (an id or a name).
 * @returns the key, or undefined when no cursor was given.
 * @throws ApiError `validation_failed` for a cursor this API did not make.
 */
export function stringCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  if (typeof key !== "string") throw new ApiError("validation_failed", "Unknown cursor.", { errors: [{ path: "cursor", message: "Not a cursor from this API." }] });
  return key;
}

/**
 * One page from `rows` fetched with `LIMIT limit + 1`: the first `limit` rows, mapped, and the
 * cursor of the last one when a further row shows there is more (docs/api.md#pagination: null at the end).
 */
export function pageOf<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, map: (row: R) => T): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { items: page.map(map), nextCursor: rows.length > limit ? encodeCursor(keyOf(page[page.length - 1]!)) : null };
}
