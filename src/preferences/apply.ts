/**
 * Applying preferences at send time: one query loads what a whole batch needs (never one per
 * item), then {@link evaluate} judges each delivery; skips are recorded set-based and counted.
 */
import { countSkipsStatement } from "../db/counters";
import { skipDeliveriesStatement, type Skip } from "../db/deliveries";
import { skipInAppStatement } from "../db/notifications";
import { loadSendPreferences, type SendPreferences } from "../db/user-preferences";
import { packJson } from "../lib/json-pack";
import type { Channel } from "../notifications/input";
import { effectivePreferences, type EffectivePreferences } from "./document";
import { evaluate, type Verdict } from "./evaluate";

/** JSON parameter budget per statement, under D1's 100 KB statement limit. */
const STATEMENT_JSON_BYTES = 90 * 1024;

/** Judges one user's delivery: see {@link evaluate}. `now` in ms. */
export type Judge = (userId: string, notification: { category: string; critical: boolean }, channel: Channel, now: number) => Verdict;

/**
 * Loads the preferences of `userIds` (with the workspace defaults and profile time zones) in ONE
 * query and returns the judge for them. A user not in `userIds` is judged on the defaults alone.
 */
export async function loadJudge(db: D1Database, userIds: readonly string[]): Promise<Judge> {
  if (userIds.length === 0) return () => ({ kind: "send" });
  return judgeOf(await loadSendPreferences(db, userIds));
}

/** The judge for preferences already loaded (`sendPreferencesStatement` run in the caller's batch); users not loaded are judged on the defaults. */
export function judgeOf({ defaults, users }: SendPreferences): Judge {
  const effective = new Map<string, EffectivePreferences>();
  return (userId, notification, channel, now) => {
    const user = users.get(userId);
    let prefs = effective.get(userId);
    if (!prefs) {
      prefs = effectivePreferences(defaults, user?.document ?? {});
      effective.set(userId, prefs);
    }
    return evaluate(prefs, notification, channel, { now, profileTimezone: user?.profileTimezone ?? null });
  };
}

/**
 * Statements recording `skips` (still-queued deliveries only) and counting them, per ~90 KB: one
 * count over both, then the in-app ones on their notifications' rows and the others in
 * `deliveries`, each only when the pack has some. Run them in one `db.batch`.
 */
export function skipStatements(db: D1Database, skips: readonly Skip[], now: number): D1PreparedStatement[] {
  return packJson(skips, STATEMENT_JSON_BYTES).flatMap(({ items, json }) => [
    countSkipsStatement(db, json, now),
    ...(items.some((s) => s.channel === "in_app") ? [skipInAppStatement(db, json)] : []),
    ...(items.some((s) => s.channel !== "in_app") ? [skipDeliveriesStatement(db, json, now)] : []),
  ]);
}
