/**
 * Owner notifications for behaviours (SPEC §4): an `add` that names a `targetOwnerId` tells the
 * owner, with template `behaviour.<type>`, exactly once per (actor, target, type) — ever.
 * "Once" is held by an idempotency record per (actor, target, type) under scope `behaviour`
 * (primary key, claimed in the same transaction as the insert), not by checking first.
 */
import type { Bindings } from "../env";
import { ApiError } from "../lib/errors";
import { enqueueDispatch } from "../notifications/dispatch";
import { createNotificationsOnce, loadTemplates, prepareNotification, type NotificationRow } from "../notifications/store";
import type { BehaviourEvent } from "./events";

/** Idempotency scope of behaviour notifications. */
export const NOTIFY_SCOPE = "behaviour";

/** "Ever", as an idempotency record lifetime: 100 years in ms (the cron purges only expired records). */
const FOREVER_MS = 100 * 365 * 86_400 * 1000;

/**
 * `<type>:<actorId>:<targetId>`, each id URI-encoded: user ids may contain `:`, and without the
 * encoding actor `a:b` on target `c` and actor `a` on target `b:c` would share one key, so the
 * second owner would never be told.
 */
export function notifyKey(e: Pick<BehaviourEvent, "type" | "userId" | "targetId">): string {
  return `${e.type}:${encodeURIComponent(e.userId)}:${encodeURIComponent(e.targetId)}`;
}

/** Whether an event asks for an owner notification at all (someone else's target, and an add). */
export function notifiesOwner(e: BehaviourEvent): e is BehaviourEvent & { targetOwnerId: string } {
  return e.action === "add" && e.targetOwnerId !== null && e.targetOwnerId !== e.userId;
}

/**
 * Creates and dispatches the owner notifications for `winners` (add events that currently hold
 * their row), skipping any (actor, target, type) already notified. Safe to call again with the
 * same events: the idempotency records make a second call create nothing. If dispatching fails
 * after the insert committed, the sweeper re-dispatches the stranded rows (SPEC §5).
 * A type whose template is missing or inactive is logged and skipped: retrying cannot fix it.
 * @param now ms.
 * @returns the notifications created by this call.
 * @throws D1 or queue errors (the caller retries the batch).
 */
export async function notifyOwners(env: Pick<Bindings, "DB" | "DISPATCH">, winners: readonly BehaviourEvent[], now: number): Promise<NotificationRow[]> {
  const byKey = new Map<string, BehaviourEvent & { targetOwnerId: string }>();
  for (const e of winners) if (notifiesOwner(e)) byKey.set(notifyKey(e), e);
  if (byKey.size === 0) return [];

  const templates = await loadTemplates(env.DB, [...byKey.values()].map((e) => `behaviour.${e.type}`));
  const rows = [...byKey].flatMap(([idempotencyKey, e]) => {
    const input = {
      userId: e.targetOwnerId,
      template: `behaviour.${e.type}`,
      data: { actorId: e.userId, targetId: e.targetId, type: e.type },
      channels: ["in_app" as const],
      priority: "normal" as const,
    };
    try {
      return [prepareNotification(input, templates, { idempotencyKey, fingerprint: null, now })];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      console.error(JSON.stringify({ level: "error", msg: "behaviour notification skipped", template: input.template, code: error.code, detail: error.detail }));
      return [];
    }
  });

  const created = await createNotificationsOnce(env.DB, NOTIFY_SCOPE, rows, FOREVER_MS, now);
  await enqueueDispatch(env, created, now);
  return created;
}
