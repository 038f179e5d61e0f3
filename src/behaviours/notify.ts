/**
 * Owner notifications for behaviours (docs/api.md#behaviours): an `add` that names a `targetOwnerId` tells the
 * owner, with template `behaviour.<type>`, exactly once per (actor, target, type) — ever.
 * "Once" is a fact on the behaviour row: `owner_notification_id`, set in the transaction that
 * creates the notification, by an update that only fills it when empty, and the insert happens
 * only for the notification the row then names — so concurrent or redelivered events create one.
 * The fact lives (and is compacted) with its row: no record outlives it. The idempotency record
 * per (actor, target, type) under scope `behaviour` that `createNotificationsOnce` claims in the
 * same transaction lives the usual idempotency TTL only; "once" does not rely on it.
 */
import type { Bindings } from "../env";
import { markOwnerNotifiedStatement, OWNER_NOTIFICATION_MARKED } from "../db/behaviours";
import { ApiError } from "../lib/errors";
import { enqueueDispatch } from "../notifications/dispatch";
import { loadTemplates } from "../db/templates";
import { createNotificationsOnce, prepareNotification, type NotificationRow } from "../notifications/store";
import type { BehaviourEvent } from "./events";

/** Idempotency scope of behaviour notifications. */
export const NOTIFY_SCOPE = "behaviour";

/** Lifetime of the `behaviour` idempotency records, ms: the default `IDEMPOTENCY_TTL_HOURS` (24 h). "Once" does not depend on it. */
export const NOTIFY_RECORD_TTL_MS = 24 * 3600 * 1000;

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

/** Owner notifications of one template that could not be rendered, with the error and the events that asked for them. */
export interface Unrendered {
  template: string;
  /** `code: detail` of the refusal, naming the template (or the variables it lacks). */
  error: string;
  events: BehaviourEvent[];
}

export interface NotifyOutcome {
  created: NotificationRow[];
  unrendered: Unrendered[];
}

/**
 * Creates and dispatches the owner notifications for `winners` (add events that currently hold
 * their row), skipping any (actor, target, type) already notified. Safe to call again with the
 * same events: the behaviour rows' owner mark makes a second call create nothing. If dispatching fails
 * after the insert committed, the sweeper re-dispatches the stranded rows (docs/api.md#sweepers).
 * An event whose template is missing, inactive or cannot render is not notified: retrying cannot
 * fix it, so it is returned in `unrendered`, for the caller to dead-letter (docs/api.md#retries-and-dead-letters: nothing
 * vanishes). Its row stays unmarked, so once the template is fixed, redriving the events notifies.
 * @param now ms.
 * @returns the notifications created by this call, and the events left unrendered per template.
 * @throws D1 or queue errors (the caller retries the batch).
 */
export async function notifyOwners(env: Pick<Bindings, "DB" | "DISPATCH">, winners: readonly BehaviourEvent[], now: number): Promise<NotifyOutcome> {
  const byKey = new Map<string, BehaviourEvent & { targetOwnerId: string }>();
  for (const e of winners) if (notifiesOwner(e)) byKey.set(notifyKey(e), e);
  if (byKey.size === 0) return { created: [], unrendered: [] };

  const templates = await loadTemplates(env.DB, [...byKey.values()].map((e) => `behaviour.${e.type}`));
  const unrendered = new Map<string, Unrendered>();
  const prepared = [...byKey].flatMap(([idempotencyKey, e]) => {
    const input = {
      userId: e.targetOwnerId,
      template: `behaviour.${e.type}`,
      data: { actorId: e.userId, targetId: e.targetId, type: e.type },
      channels: ["in_app" as const],
      priority: "normal" as const,
    };
    try {
      return [{ event: e, row: prepareNotification(input, templates, { idempotencyKey, fingerprint: null, now }) }];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const entry = unrendered.get(input.template) ?? { template: input.template, error: `${error.code}: ${error.detail}`, events: [] };
      entry.events.push(e);
      unrendered.set(input.template, entry);
      return [];
    }
  });

  const rows = prepared.map((p) => p.row);
  // The insert's condition (OWNER_NOTIFICATION_MARKED) finds the row through `data`'s actorId, targetId and type.
  const marks = prepared.map(({ event: e, row }): [string, string, string, string] => [e.userId, e.targetId, e.type, row.id]);
  const created = await createNotificationsOnce(env.DB, NOTIFY_SCOPE, rows, NOTIFY_RECORD_TTL_MS, now, {
    before: marks.length > 0 ? [markOwnerNotifiedStatement(env.DB, marks)] : [],
    onlyIf: OWNER_NOTIFICATION_MARKED,
  });
  await enqueueDispatch(env, created, now);
  return { created, unrendered: [...unrendered.values()] };
}
