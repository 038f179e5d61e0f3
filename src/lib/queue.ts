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

/** UTF-8 byte length of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).byteLength;
}

/**
 * Splits `items` into consecutive chunks whose JSON stays under `maxBytes` (and at most
 * `maxItems` items). A single item larger than `maxBytes` gets a chunk of its own.
 */
export function chunkByBytes<T>(items: readonly T[], maxBytes: number, maxItems = Infinity): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const item of items) {
    const bytes = jsonBytes(item) + 1;
    if (current.length > 0 && (size + bytes > maxBytes || current.length >= maxItems)) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends `items` packed into as few messages as the limits allow: each message body is
 * `wrap(chunk)`, messages go out through `sendBatch` in groups of ≤ 100 messages / ≤ 240 KB.
 * @param delaySeconds 0..43,200 (clamped to the queue maximum; longer delays are the caller's to schedule).
 * @returns how many messages were sent.
 */
export async function sendPacked<T, B>(
  queue: Queue,
  items: readonly T[],
  wrap: (chunk: T[]) => B,
  delaySeconds = 0,
): Promise<number> {
  if (items.length === 0) return 0;
  const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
  const bodies = chunkByBytes(items, MAX_MESSAGE_BYTES).map(wrap);
  let group: MessageSendRequest<B>[] = [];
  let groupBytes = 0;
  const sends: Promise<unknown>[] = [];
  for (const body of bodies) {
    const bytes = jsonBytes(body);
    if (group.length > 0 && (group.length >= MAX_SEND_BATCH_MESSAGES || groupBytes + bytes > MAX_SEND_BATCH_BYTES)) {
      sends.push(queue.sendBatch(group));
      group = [];
      groupBytes = 0;
    }
    group.push({ body, contentType: "json", ...(delay > 0 ? { delaySeconds: delay } : {}) });
    groupBytes += bytes;
  }
  sends.push(queue.sendBatch(group));
  await Promise.all(sends);
  return bodies.length;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): a uniform random delay in [0, min(cap, base·2^attempt)] seconds, at least 1 s.
 * @param attempt 1 for the first retry.
 */
export function backoffSeconds(attempt: number, baseSeconds = 2, capSeconds = 3600): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(Math.random() * ceiling));
}
