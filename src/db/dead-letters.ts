/**
 * The `dead_letters` table: work that will not succeed without a person, kept with its original
 * queue body (so a redrive can put it back unchanged) and its last error (docs/api.md#retries-and-dead-letters).
 * Writers: the delivery engines (a judged `dead` or `disable_target` verdict), the consumer
 * skeleton (a body that fails its schema) and the dead-letter queue consumer (retries exhausted).
 */
import { encodeTime } from "ulidx";
import { z } from "zod";
import { newId } from "../lib/ids";
import { packJson } from "../lib/json-pack";
import { countDeadLetterRemovedStatement, countDeadLettersCreatedStatement } from "./counters";
import { deadLetters } from "./schema";

export const DeadLetterSource = z.enum(deadLetters.source.enumValues);
export type DeadLetterSource = z.infer<typeof DeadLetterSource>;
export type DeadLetter = typeof deadLetters.$inferSelect;

/** A letter to store; `id` defaults to a fresh ULID, `createdAt` to the statement's `now`. */
export interface NewDeadLetter {
  id?: string;
  source: DeadLetterSource;
  sourceId: string | null;
  queue: string;
  /** The queue body that redoes the work (stored as JSON). */
  payload: unknown;
  attempts: number;
  lastError: string | null;
}

/**
 * JSON budget per insert statement. D1 allows 100 KB of SQL text per statement; the rows travel
 * as one bound JSON parameter, which D1 caps at its 2 MB value limit, so the budget here is what
 * keeps one statement's work (and a retried one) small, not a hard limit. A single letter larger
 * than the budget gets a statement of its own.
 */
const INSERT_JSON_BYTES = 90 * 1024;

interface Row {
  id: string;
  source: string;
  source_id: string | null;
  queue: string;
  payload: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  source: DeadLetterSource.parse(r.source),
  sourceId: r.source_id,
  queue: r.queue,
  payload: JSON.parse(r.payload) as unknown,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
});

/**
 * Insert statements for `letters`, packed into chunks under {@link INSERT_JSON_BYTES}, each chunk
 * a pair: the count of its new letters into `dead_letters.created.<source>` (src/db/counters.ts),
 * then the insert. Run a pair in one transaction (a caller's batch, or `db.batch(pair)`).
 * Idempotent per id (`ON CONFLICT DO NOTHING`): a retried insert with the same ids stores and
 * counts each letter once.
 * @param now ms since epoch, the letters' `createdAt`.
 */
export function insertDeadLetterChunks(db: D1Database, letters: readonly NewDeadLetter[], now: number): [count: D1PreparedStatement, insert: D1PreparedStatement][] {
  const rows = letters.map((l) => ({ ...l, id: l.id ?? newId() }));
  return packJson(rows, INSERT_JSON_BYTES).map((pack) => [
    countDeadLettersCreatedStatement(db, pack.json),
    db
      .prepare(
        `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
         SELECT v->>'id', v->>'source', v->>'sourceId', v->>'queue', json(v->'payload'), v->>'attempts', v->>'lastError', ?2
         FROM (SELECT value AS v FROM json_each(?1)) WHERE true
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(pack.json, now),
  ]);
}

/** {@link insertDeadLetterChunks}, flat, to run inside a caller's batch transaction. */
export function insertDeadLettersStatements(db: D1Database, letters: readonly NewDeadLetter[], now: number): D1PreparedStatement[] {
  return insertDeadLetterChunks(db, letters, now).flat();
}

/**
 * A dead letter's id derived from the queue message it stands for: the ULID time of the
 * message's first enqueue, then 16 base32 characters of a SHA-256 of the message id. Sortable
 * like every id, and the same on every redelivery of that message, so a retried store of a
 * batch (the dead-letter queue consumer) cannot store one letter twice.
 */
export async function deadLetterIdFor(messageId: string, enqueuedAt: Date): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(messageId)));
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let tail = "";
  for (let i = 0; i < 16; i++) tail += alphabet[digest[i]! % 32];
  return `${encodeTime(enqueuedAt.getTime(), 10)}${tail}`;
}

/** One dead letter, or null. */
export async function findDeadLetter(db: D1Database, id: string): Promise<DeadLetter | null> {
  const row = await db.prepare(`SELECT * FROM dead_letters WHERE id = ?1`).bind(id).first<Row>();
  return row ? toDeadLetter(row) : null;
}

/**
 * A page of dead letters, newest first.
 * @param before only ids below this (the cursor), or all.
 * @param limit rows to read (callers ask one more than the page, to know if more follow).
 */
export async function listDeadLetters(db: D1Database, opts: { source?: DeadLetterSource; before?: string; limit: number }): Promise<DeadLetter[]> {
  const { results } = await db
    .prepare(`SELECT * FROM dead_letters WHERE (?1 IS NULL OR source = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3`)
    .bind(opts.source ?? null, opts.before ?? "\u{10FFFF}", opts.limit)
    .all<Row>();
  return results.map(toDeadLetter);
}

/**
 * Removes a dead letter, counting it into `dead_letters.<outcome>.<source>` in the same
 * transaction (src/db/counters.ts). @returns whether one was there.
 */
export async function deleteDeadLetter(db: D1Database, id: string, outcome: "redriven" | "discarded"): Promise<boolean> {
  const [, deleted] = await db.batch([countDeadLetterRemovedStatement(db, id, outcome), db.prepare(`DELETE FROM dead_letters WHERE id = ?1`).bind(id)]);
  return deleted!.meta.changes > 0;
}

/** For `GET /v1/stats`: waiting dead letters by source, reading at most `cap` rows. */
export function deadLetterCountsStatement(db: D1Database, cap: number): D1PreparedStatement {
  return db.prepare(`SELECT source, COUNT(*) AS n FROM (SELECT source FROM dead_letters LIMIT ?1) GROUP BY source`).bind(cap);
}
