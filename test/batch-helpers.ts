/** Helpers for the batch notification tests. */
import { env } from "cloudflare:workers";
import { api, freshId } from "./helpers";

export interface BatchResult {
  index: number;
  idempotencyKey: string | null;
  notificationId: string | null;
  status: string;
  isIdempotent: boolean;
  processedAt: string;
  deliveryStatus?: string | null;
  error?: { code: string; errors?: { path: string }[] };
}
export interface BatchBody {
  results: BatchResult[];
  summary: Record<string, number>;
}

/** POSTs a batch; `atomic` is sent only when given. */
export const sendBatch = (items: unknown[], atomic?: boolean) =>
  api("/v1/notifications/batch", { method: "POST", json: atomic === undefined ? { items } : { items, atomic } });

/** `n` literal items with keys `${prefix}-${i}`, spread round-robin over `users`. */
export function batchItems(n: number, opts: { users?: string[]; prefix?: string } = {}) {
  const users = opts.users ?? [freshId()];
  const prefix = opts.prefix ?? freshId("k");
  return Array.from({ length: n }, (_, i) => ({ idempotencyKey: `${prefix}-${i}`, userId: users[i % users.length]!, title: `item ${i}` }));
}

/** Notifications in D1 created with keys `${prefix}-*`. */
export async function countByKeyPrefix(prefix: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE idempotency_key LIKE ?").bind(`${prefix}-%`).first<{ n: number }>();
  return row!.n;
}
