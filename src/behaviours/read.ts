/**
 * Reading behaviours for the API: a user's active behaviours, newest first with keyset
 * pagination, and a target's active counts per type. Tombstones (`active = 0`) are never shown.
 */
import { activeCountsByType, listActiveBehaviourRows, type BehaviourListRow } from "../db/behaviours";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { BEHAVIOUR_TYPES, type BehaviourType } from "./events";

/** Sort key of the user list, newest first: (occurredAt desc, targetId asc, type asc) — unique per user. */
export interface BehaviourCursor {
  occurredAt: number;
  targetId: string;
  type: BehaviourType;
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
  const results = await listActiveBehaviourRows(db, { userId: query.userId, type: query.type, limit: query.limit + 1, after: query.cursor });
  const items = results.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: results.length > query.limit && last ? encodeBehaviourCursor(last) : null };
}

/** Active counts per type for `targetId`, every type present (zeros included), in one GROUP BY. */
export async function summariseTarget(db: D1Database, targetId: string): Promise<Record<BehaviourType, number>> {
  const results = await activeCountsByType(db, targetId);
  const counts = Object.fromEntries(BEHAVIOUR_TYPES.map((t) => [t, 0])) as Record<BehaviourType, number>;
  for (const row of results) counts[row.type] = row.n;
  return counts;
}
