/**
 * Getting accepted notifications into users' inboxes. The dispatch queue is the reliable path
 * (at-least-once, retried, swept when stranded); the HTTP handler may also deliver directly for
 * latency. Both are safe together because `UserInbox.deliver` dedupes by notification id.
 */
import type { notifications } from "../db/schema";
import type { Bindings } from "../env";
import { inboxOf, type InboxItemInput } from "../inbox/user-inbox";
import { sendPacked } from "../lib/queue";
import type { Skip } from "../db/deliveries";
import { loadJudge, type Judge } from "../preferences/apply";

/**
 * Body of a message on the dispatch queue: notification ids to hand to their inboxes.
 * `inboxed: true` — every id's inbox already accepted it (the HTTP fast path did, and its RPC
 * returned), so the consumer records the dispatch without calling the inbox again.
 */
export interface DispatchMessage {
  kind: "dispatch";
  ids: string[];
  inboxed?: true;
}

const PRIORITY_ORDER = { high: 0, normal: 1, low: 2 } as const;

/**
 * What the dispatcher needs of a notification row (`$inferSelect`). Times in ms. `version` is the
 * edit counter from D1 (0 until the first `PATCH`); absent on rows just created. `tags` and
 * `actions` (docs/api.md#feed) are absent or null where a producer has none.
 */
export type DispatchRow = Pick<
  typeof notifications.$inferSelect,
  "id" | "userId" | "title" | "body" | "data" | "priority" | "channels" | "createdAt" | "expiresAt" | "dispatchAfter" | "category" | "critical"
> & { version?: number } & Partial<Pick<typeof notifications.$inferSelect, "tags" | "actions">>;

/**
 * Enqueues dispatch for `rows`, grouped by remaining delay (Queues cap delays at 12 h; rows
 * further out are left to the sweeper, see store.ts).
 * @param inboxed ids whose inbox already accepted them (see {@link DispatchMessage}); they travel
 *        in messages of their own, flagged.
 */
export async function enqueueDispatch(
  env: Pick<Bindings, "DISPATCH">,
  rows: Pick<DispatchRow, "id" | "dispatchAfter">[],
  now = Date.now(),
  inboxed: ReadonlySet<string> = new Set(),
) {
  const groups = new Map<string, { delay: number; inboxed: boolean; ids: string[] }>();
  for (const row of rows) {
    const delay = Math.max(0, Math.ceil((row.dispatchAfter - now) / 1000));
    const flagged = inboxed.has(row.id);
    const key = `${delay}:${flagged}`;
    const group = groups.get(key) ?? { delay, inboxed: flagged, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  await Promise.all(
    [...groups.values()].map((g) =>
      sendPacked<string, DispatchMessage>(env.DISPATCH, g.ids, (chunk) => ({ kind: "dispatch", ids: chunk, ...(g.inboxed ? { inboxed: true as const } : {}) }), g.delay),
    ),
  );
}

/**
 * Hands in-app notifications to each user's UserInbox, one RPC per user, high priority first
 * (docs/api.md#notifications priority): within a batch or fan-out, `high` rows get lower seqs than the `normal`
 * and `low` rows waiting with them — the inbox assigns `seq` in the order it receives items —
 * and the calls start in that order too. Rows that are not in-app, not due or expired are left out.
 * Each user's preferences (loaded in one query for all rows) judge the in-app delivery first: a
 * category switched off in-app never reaches the inbox, so it never counts as unread.
 * @param loaded the judge for the rows' users when the caller loaded their preferences already (in
 *        the transaction that accepted them: one D1 round trip less on the HTTP fast path).
 * @param reportSent the caller sends no dispatch message for the in-app-only rows an inbox takes
 *        ({@link deliverFast}): their inbox reports them `sent` instead.
 * @returns ids each inbox holds now (new or known; not one it refused as recalled or dropped as
 *          expired), the users whose inbox call failed (their rows are to be retried), and the
 *          in-app deliveries the preferences skip (for the caller to record).
 */
export async function deliverToInboxes(env: Pick<Bindings, "USER_INBOX" | "DB">, rows: DispatchRow[], now = Date.now(), loaded?: Judge, reportSent = false) {
  const byUser = new Map<string, InboxItemInput[]>();
  const inApp = rows.filter((r) => r.channels.includes("in_app") && r.dispatchAfter <= now && (r.expiresAt === null || r.expiresAt > now));
  const judge = loaded ?? (await loadJudge(env.DB, [...new Set(inApp.filter((r) => !r.critical).map((r) => r.userId))]));
  const skipped: Skip[] = [];
  const sorted = inApp
    .filter((r) => {
      const verdict = judge(r.userId, r, "in_app", now);
      if (verdict.kind === "skip") skipped.push({ id: r.id, channel: "in_app", reason: verdict.reason });
      return verdict.kind !== "skip";
    })
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const row of sorted) {
    const items = byUser.get(row.userId) ?? [];
    items.push({
      id: row.id,
      title: row.title,
      body: row.body,
      data: row.data,
      priority: row.priority,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      version: row.version ?? 0,
      category: row.category,
      tags: row.tags ?? [],
      actions: row.actions ?? [],
    });
    byUser.set(row.userId, items);
  }
  const inAppOnly = new Set(sorted.filter(isInAppOnly).map((r) => r.id));
  const delivered: string[] = [];
  const failedUsers: string[] = [];
  await Promise.all(
    [...byUser].map(async ([userId, items]) => {
      try {
        const held = await inboxOf(env, userId).deliver(userId, items, reportSent ? items.filter((i) => inAppOnly.has(i.id)).map((i) => i.id) : []);
        // Only what the inbox holds: it refuses an id recalled before it arrived, and drops one
        // that expired on the way.
        delivered.push(...held.map((h) => h.id));
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "inbox deliver failed", userId, error: String(error) }));
        failedUsers.push(userId);
      }
    }),
  );
  return { delivered, failedUsers, skipped };
}

/** Whether in-app is the row's only channel: nothing but its inbox has to see it. */
const isInAppOnly = (row: Pick<DispatchRow, "channels">) => row.channels.every((c) => c === "in_app");

/**
 * The fast path, for latency: hands `rows` (due now, a few users) straight to their inboxes, then
 * enqueues dispatch for the rest — those the inboxes took flagged `inboxed`, so the consumer only
 * records them (and sends their email/SMS/push). An in-app-only row its inbox took needs no
 * message at all: the inbox reports it `sent`, and D1 marks it dispatched from that report
 * (src/inbox/mirror.ts); if the report is lost, the sweeper dispatches it again after a minute and
 * the inbox dedupes it (docs/api.md#sweepers). A failed inbox call leaves its rows to the queue.
 * @param judge the rows' preferences, when the caller read them already.
 * @throws when the dispatch enqueue fails (the rows stay undispatched in D1 for the sweeper).
 */
export async function deliverFast(env: Pick<Bindings, "USER_INBOX" | "DB" | "DISPATCH">, rows: DispatchRow[], judge?: Judge): Promise<void> {
  let inboxed = new Set<string>();
  try {
    inboxed = new Set((await deliverToInboxes(env, rows, Date.now(), judge, true)).delivered);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "inbox fast path failed", error: String(error) }));
  }
  const rest = rows.filter((r) => !(inboxed.has(r.id) && isInAppOnly(r)));
  if (rest.length > 0) await enqueueDispatch(env, rest, Date.now(), inboxed);
}
