/**
 * The `dead_letters` table: work that will not succeed without a person, kept with its original
 * queue body (so a redrive can put it back unchanged) and its last error (docs/api.md#retries-and-dead-letters).
 * Writers: the delivery engines (a judged `dead` or `disable_target` verdict), the consumer
 * skeleton (a body that fails its schema) and the dead-letter queue consumer (retries exhausted).
 */
import { z } from "zod";
import { derivedId, newId } from "../lib/ids";
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
export function deadLetterIdFor(messageId: string, enqueuedAt: Date): Promise<string> {
  return derivedId(messageId, enqueuedAt.getTime());
}

/** One dead letter, or null. */
export async function findDeadLetter(db: D1Database, id: string): Promise<DeadLetter | null> {
  const row = await db.prepare(`SELECT * FROM dead_letters WHERE id = ?1`).bind(id).first<Row>();
  return row ? toDeadLetter(row) : null;
}

/**
 * What a dead letter's work was about, read from the rows its payload names (the first of its
 * `ids`, or of its `events`): every field null when that row is gone (purged, or never existed).
 * Turned into topic / target / recipient by src/delivery/dead-letter-subject.ts.
 */
export interface DeadLetterSubjectFacts {
  /** The queue body's `kind` (`attempt`, `channel`, `deliver`, `behaviours`…). */
  kind: string | null;
  /** Work items in the letter: its `ids`, `events` or `userIds`. */
  items: number;
  /** Topic message letters: the message's topic and payload (JSON text), the subscription's kind, URL, template and user-id pointer. */
  topic: string | null;
  messagePayload: string | null;
  subscriptionKind: string | null;
  subscriptionUrl: string | null;
  subscriptionTemplate: string | null;
  subscriptionUserIdPointer: string | null;
  /** The notification concerned (channel and dispatch letters; a notify subscription's once created). */
  notificationUserId: string | null;
  notificationTitle: string | null;
  notificationTemplate: string | null;
  /** Sync letters: the target's name and URL, and the user of the delivery (or of the first event). */
  syncTargetName: string | null;
  syncTargetUrl: string | null;
  syncUserId: string | null;
  /** Behaviour letters: the first event's type, target and target owner. */
  behaviourType: string | null;
  behaviourTargetId: string | null;
  behaviourTargetOwnerId: string | null;
}

/** A listed dead letter and what its work was about. */
export type ListedDeadLetter = DeadLetter & { facts: DeadLetterSubjectFacts };

interface ListedRow extends Row {
  kind: string | null;
  items: number | null;
  topic: string | null;
  message_payload: string | null;
  subscription_kind: string | null;
  subscription_url: string | null;
  subscription_template: string | null;
  subscription_user_id_pointer: string | null;
  notification_user_id: string | null;
  notification_title: string | null;
  notification_template: string | null;
  sync_target_name: string | null;
  sync_target_url: string | null;
  sync_user_id: string | null;
  behaviour_type: string | null;
  behaviour_target_id: string | null;
  behaviour_target_owner_id: string | null;
}

/**
 * A page of dead letters, newest first, each with {@link DeadLetterSubjectFacts}: one statement,
 * the page first, then primary-key lookups of the row each letter's payload names (at most a
 * page of them), so the console can show a topic, target and recipient instead of raw ids.
 * @param before only ids below this (the cursor), or all.
 * @param limit rows to read (callers ask one more than the page, to know if more follow).
 */
export async function listDeadLetters(db: D1Database, opts: { source?: DeadLetterSource; before?: string; limit: number }): Promise<ListedDeadLetter[]> {
  const { results } = await db
    .prepare(
      `WITH page AS (
         SELECT *, payload->>'$.kind' AS kind, COALESCE(payload->>'$.ids[0]', payload->>'$.userIds[0]') AS first_id,
                COALESCE(json_array_length(payload, '$.ids'), json_array_length(payload, '$.events'), json_array_length(payload, '$.userIds'), 1) AS items
         FROM dead_letters WHERE (?1 IS NULL OR source = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3
       )
       SELECT p.id, p.source, p.source_id, p.queue, p.payload, p.attempts, p.last_error, p.created_at, p.kind, p.items,
              m.topic, m.payload AS message_payload,
              ts.kind AS subscription_kind, ts.url AS subscription_url, ts.template AS subscription_template, ts.user_id_pointer AS subscription_user_id_pointer,
              n.user_id AS notification_user_id, n.title AS notification_title, n.template AS notification_template,
              st.name AS sync_target_name, st.url AS sync_target_url,
              COALESCE(sd.user_id, CASE p.kind WHEN 'user_events' THEN p.payload->>'$.events[0].userId' END) AS sync_user_id,
              CASE p.kind WHEN 'behaviours' THEN p.payload->>'$.events[0].type' END AS behaviour_type,
              CASE p.kind WHEN 'behaviours' THEN p.payload->>'$.events[0].targetId' END AS behaviour_target_id,
              CASE p.kind WHEN 'behaviours' THEN p.payload->>'$.events[0].targetOwnerId' END AS behaviour_target_owner_id
       FROM page p
       LEFT JOIN message_deliveries md ON p.kind = 'attempt' AND md.id = p.first_id
       LEFT JOIN messages m ON m.id = CASE p.kind WHEN 'attempt' THEN md.message_id WHEN 'publish' THEN p.first_id END
       LEFT JOIN topic_subscriptions ts ON ts.id = md.subscription_id
       LEFT JOIN notifications n ON n.id = CASE WHEN p.kind IN ('channel', 'dispatch') THEN p.first_id WHEN p.kind = 'attempt' THEN md.notification_id END
       LEFT JOIN sync_deliveries sd ON p.kind = 'deliver' AND sd.id = p.first_id
       LEFT JOIN sync_targets st ON st.id = CASE p.kind WHEN 'deliver' THEN sd.target_id WHEN 'reconcile' THEN p.payload->>'$.targetId' END
       ORDER BY p.id DESC`,
    )
    .bind(opts.source ?? null, opts.before ?? "\u{10FFFF}", opts.limit)
    .all<ListedRow>();
  return results.map((r) => ({
    ...toDeadLetter(r),
    facts: {
      kind: r.kind,
      items: r.items ?? 1,
      topic: r.topic,
      messagePayload: r.message_payload,
      subscriptionKind: r.subscription_kind,
      subscriptionUrl: r.subscription_url,
      subscriptionTemplate: r.subscription_template,
      subscriptionUserIdPointer: r.subscription_user_id_pointer,
      notificationUserId: r.notification_user_id,
      notificationTitle: r.notification_title,
      notificationTemplate: r.notification_template,
      syncTargetName: r.sync_target_name,
      syncTargetUrl: r.sync_target_url,
      syncUserId: r.sync_user_id,
      behaviourType: r.behaviour_type,
      behaviourTargetId: r.behaviour_target_id,
      behaviourTargetOwnerId: r.behaviour_target_owner_id,
    },
  }));
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
