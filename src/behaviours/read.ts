/**
 * Reading behaviours for the API: a user's active behaviours, newest first with keyset
 * pagination, and a target's active counts per type. Tombstones (`active = 0`) are never shown.
 */
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { BEHAVIOUR_TYPES, type BehaviourType } from "./events";

/** Sort key of the user list, newest first: (occurredAt desc, targetId asc, type asc) — unique per user. */
export interface BehaviourCursor {
  occurredAt: number;
  targetId: string;
  type: BehaviourType;
}

/** A behaviour as listed. `occurredAt` in ms. */
export interface BehaviourListRow {
  userId: string;
  targetId: string;
  type: BehaviourType;
  occurredAt: number;
  targetOwnerId: string | null;
}

/** Opaque cursor of the JSON sort key `[occurredAt, targetId, type]`. */
export function encodeBehaviourCursor(key: BehaviourCursor): string {
  return encodeCursor([key.occurredAt, key.targetId, key.type]);
}

/** Inverse of `encodeBehaviourCursor`; `null` for anything this API did not produce. */
export function decodeBehaviourCursor(cursor: string): BehaviourCursor | null {
  const value = decodeCursor(cursor);
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [occurredAt, targetId, type] = value as unknown[];
  if (!Number.isSafeInteger(occurredAt) || typeof targetId !== "string" || !BEHAVIOUR_TYPES.includes(type as BehaviourType)) return null;
  return { occurredAt: occurredAt as number, targetId, type: type as BehaviourType };
}

/**
 * One page of `userId`'s active behaviours, optionally of one `type`, after `cursor`.
 * Reads `limit + 1` rows to know whether another page exists without a count query.
 * @returns the page and the cursor of its last item, `null` at the end.
 */
export async function listActiveBehaviours(
  db: D1Database,
  query: { userId: string; type?: BehaviourType; limit: number; cursor?: BehaviourCursor },
): Promise<{ items: BehaviourListRow[]; nextCursor: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT user_id AS userId, target_id AS targetId, type, occurred_at AS occurredAt, target_owner_id AS targetOwnerId
       FROM behaviours
       WHERE user_id = ?1 AND active = 1 AND (?2 IS NULL OR type = ?2)
         AND (?3 IS NULL OR occurred_at < ?3 OR (occurred_at = ?3 AND (target_id, type) > (?4, ?5)))
       ORDER BY occurred_at DESC, target_id, type
       LIMIT ?6`,
    )
    .bind(query.userId, query.type ?? null, query.cursor?.occurredAt ?? null, query.cursor?.targetId ?? null, query.cursor?.type ?? null, query.limit + 1)
    .all<BehaviourListRow>();
  const items = results.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: results.length > query.limit && last ? encodeBehaviourCursor(last) : null };
}

/** Active counts per type for `targetId`, every type present (zeros included), in one GROUP BY. */
export async function summariseTarget(db: D1Database, targetId: string): Promise<Record<BehaviourType, number>> {
  const { results } = await db
    .prepare(`SELECT type, COUNT(*) AS n FROM behaviours WHERE target_id = ?1 AND active = 1 GROUP BY type`)
    .bind(targetId)
    .all<{ type: BehaviourType; n: number }>();
  const counts = Object.fromEntries(BEHAVIOUR_TYPES.map((t) => [t, 0])) as Record<BehaviourType, number>;
  for (const row of results) counts[row.type] = row.n;
  return counts;
}
