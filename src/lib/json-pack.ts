/**
 * Packing many rows into JSON parameters for set-based SQL (`json_each(?)`) within D1's 100 KB
 * statement limit, serialising each row once: the chunk's JSON text is joined from the rows'
 * own texts, not stringified again.
 */
import { utf8Bytes } from "./queue";

/** A chunk of rows and the JSON array text of exactly those rows. */
export interface JsonPack<T> {
  items: T[];
  json: string;
}

/**
 * Splits `items` into consecutive chunks whose JSON array text is at most `maxBytes` (UTF-8);
 * a single item larger than that gets a chunk of its own.
 * @param toJson the JSON text of one item (default `JSON.stringify`).
 */
export function packJson<T>(items: readonly T[], maxBytes: number, toJson: (item: T) => string = JSON.stringify): JsonPack<T>[] {
  const packs: JsonPack<T>[] = [];
  let current: T[] = [];
  let texts: string[] = [];
  let size = 2;
  const close = () => {
    packs.push({ items: current, json: `[${texts.join(",")}]` });
    current = [];
    texts = [];
    size = 2;
  };
  for (const item of items) {
    const text = toJson(item);
    const bytes = utf8Bytes(text) + 1;
    if (current.length > 0 && size + bytes > maxBytes) close();
    current.push(item);
    texts.push(text);
    size += bytes;
  }
  if (current.length > 0) close();
  return packs;
}
