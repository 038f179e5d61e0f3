/**
 * Packing work into Cloudflare Queues within the platform's limits: a message ≤ 128 KB,
 * `sendBatch` ≤ 100 messages and ≤ 256 KB, ~5,000 messages/s per queue. Many small items
 * per message is what lets a queue carry more than 5,000 items/s.
 */

/** Per-message budget for the JSON body, under the 128 KB limit with room for envelope overhead. */
export const MAX_MESSAGE_BYTES = 100 * 1024;
/** Per-sendBatch budget, under the 256 KB limit. */
export const MAX_SEND_BATCH_BYTES = 240 * 1024;
/** `sendBatch` takes at most 100 messages. */
export const MAX_SEND_BATCH_MESSAGES = 100;
/** Queues cap `delaySeconds` at 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

const encoder = new TextEncoder();
const NON_ASCII = /[\x80-\uffff]/;
const NON_LATIN1 = /[\u0100-\uffff]/;

/** UTF-8 byte length of `text`: its length when it is ASCII (the common case: ids, JSON of ids), without encoding it. */
export function utf8Bytes(text: string): number {
  return NON_ASCII.test(text) ? encoder.encode(text).byteLength : text.length;
}

/** UTF-8 byte length of a value's JSON (0 for `undefined`, which has none). */
export function jsonBytes(value: unknown): number {
  const json: string | undefined = JSON.stringify(value);
  return json === undefined ? 0 : utf8Bytes(json);
}

/**
 * Consecutive chunks of items, each with the byte length of its JSON.
 * @param v8 size items as structured clones instead (see `sendPacked`'s `contentType`).
 */
function packByBytes<T>(items: readonly T[], maxBytes: number, maxItems: number, v8 = false): { chunk: T[]; bytes: number }[] {
  const packs: { chunk: T[]; bytes: number }[] = [];
  let pack: { chunk: T[]; bytes: number } = { chunk: [], bytes: 2 };
  for (const item of items) {
    // Inside an array, what has no JSON of its own (undefined, a function) is written as null.
    const json: string = JSON.stringify(item) ?? "null";
    const bytes = !NON_ASCII.test(json) ? json.length : v8 && NON_LATIN1.test(json) ? 2 * json.length : encoder.encode(json).byteLength;
    if (pack.chunk.length > 0 && (pack.bytes + bytes + 1 > maxBytes || pack.chunk.length >= maxItems)) {
      packs.push(pack);
      pack = { chunk: [], bytes: 2 };
    }
    pack.bytes += (pack.chunk.length > 0 ? 1 : 0) + bytes;
    pack.chunk.push(item);
  }
  if (pack.chunk.length > 0) packs.push(pack);
  return packs;
}

/**
 * Splits `items` into consecutive chunks whose JSON stays under `maxBytes` (and at most
 * `maxItems` items). A single item larger than `maxBytes` gets a chunk of its own.
 */
export function chunkByBytes<T>(items: readonly T[], maxBytes: number, maxItems = Infinity): T[][] {
  return packByBytes(items, maxBytes, maxItems).map((pack) => pack.chunk);
}

/**
 * Sends `items` packed into as few messages as the limits allow: each message body is
 * `wrap(chunk)`, messages go out through `sendBatch` in groups of ≤ 100 messages / ≤ 240 KB.
 * Each item is serialised once to size it: a body's size is its chunk's plus what `wrap` adds
 * around an empty chunk, so `wrap` must embed the chunk once beside fixed fields (as every caller does).
 * @param delaySeconds 0..43,200 (clamped to the queue maximum; longer delays are the caller's to schedule).
 * @param contentType `v8` (structured clone) costs producer, queue and consumer less CPU than
 *        `json` (measured: ~15% of behaviour ingest locally, where the queue simulation shares the
 *        Worker's thread). Items are then sized as their JSON, doubled if it has a character past
 *        U+00FF (V8 stores such a string at two bytes per character). That bounds the clone of
 *        objects of strings, nulls and integers to within a few bytes per item, which the room
 *        under the 128 KB limit absorbs; not of small numbers (`0.5` clones to 9 bytes): send
 *        those as `json`.
 * @param maxItems at most this many items per message (default: as many as the bytes allow), for
 *        consumers whose work per message must stay bounded (broadcast chunks).
 * @returns how many messages were sent.
 */
export async function sendPacked<T, B>(
  queue: Queue,
  items: readonly T[],
  wrap: (chunk: T[]) => B,
  delaySeconds = 0,
  contentType: "json" | "v8" = "json",
  maxItems = Infinity,
): Promise<number> {
  if (items.length === 0) return 0;
  const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
  const wrapBytes = jsonBytes(wrap([])) - 2;
  const packs = packByBytes(items, MAX_MESSAGE_BYTES, maxItems, contentType === "v8");
  let group: MessageSendRequest<B>[] = [];
  let groupBytes = 0;
  const sends: Promise<unknown>[] = [];
  for (const { chunk, bytes: chunkBytes } of packs) {
    const bytes = chunkBytes + wrapBytes;
    if (group.length > 0 && (group.length >= MAX_SEND_BATCH_MESSAGES || groupBytes + bytes > MAX_SEND_BATCH_BYTES)) {
      sends.push(queue.sendBatch(group));
      group = [];
      groupBytes = 0;
    }
    group.push({ body: wrap(chunk), contentType, ...(delay > 0 ? { delaySeconds: delay } : {}) });
    groupBytes += bytes;
  }
  sends.push(queue.sendBatch(group));
  await Promise.all(sends);
  return packs.length;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): a uniform random delay in [0, min(cap, base·2^attempt)] seconds, at least 1 s.
 * @param attempt 1 for the first retry.
 * @param random a number in [0, 1) (default `Math.random`; src/delivery/policy.ts passes its own so tests can pin it).
 */
export function backoffSeconds(attempt: number, baseSeconds = 2, capSeconds = 3600, random: () => number = Math.random): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(random() * ceiling));
}
