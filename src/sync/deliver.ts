/**
 * The sync delivery engine (SPEC §8): fan a user event out to every enabled target subscribed
 * to its type, POST each message signed, and record the outcome. Retries use exponential
 * backoff with full jitter through delayed queue messages, honouring `Retry-After`; a 410
 * disables the target; exhausted deliveries become dead letters. Per (target, user) the
 * acknowledged version only grows, and a message older than what the target already has is
 * `superseded` instead of sent (receivers drop stale versions anyway; this spares the call).
 */
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { backoffSeconds, chunkByBytes, MAX_QUEUE_DELAY_SECONDS, sendPacked } from "../lib/queue";
import { pool } from "../lib/pool";
import { openSecret } from "../lib/secret-box";
import { syncConfig } from "./config";
import type { UserEvent } from "./users";
import { sendWebhook, type AttemptOutcome } from "./webhook";

/** Queue messages of `herald-sync`. */
export type SyncMessage =
  | { kind: "user_events"; events: UserEvent[] }
  | { kind: "deliver"; ids: string[] }
  | { kind: "reconcile"; targetId: string; cursor: string | null; graceMs: number };

const JSON_CHUNK_BYTES = 90 * 1024;
/** Parallel POSTs per consumer invocation; a Worker may hold 6 outbound connections open at once. */
const CONCURRENCY = 6;

interface TargetRow {
  id: string;
  url: string;
  enabled: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  events: string | null;
}

interface DeliveryRow {
  id: string;
  target_id: string;
  user_id: string;
  event_type: string;
  version: number;
  payload: string;
  status: string;
  attempts: number;
}

/** The webhook body (SPEC §8): `{type, timestamp, data:{userId, version, user}}`. */
export function webhookBody(event: Pick<UserEvent, "type" | "userId" | "version" | "user" | "at">): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.at).toISOString(), data: { userId: event.userId, version: event.version, user: event.user } });
}

/** Enqueues user events for fan-out, packed many per message. A lost send is repaired by reconciliation. */
export async function enqueueUserEvents(env: Pick<Bindings, "SYNC">, events: UserEvent[]): Promise<void> {
  await sendPacked<UserEvent, SyncMessage>(env.SYNC, events, (chunk) => ({ kind: "user_events", events: chunk }));
}

/**
 * Creates one pending delivery per (event, subscribed enabled target), set-based and idempotent
 * (unique (target, user, version, type): a redelivered event fans out once).
 * @returns ids of the pending deliveries for these events, to attempt now.
 */
export async function fanOut(db: D1Database, events: UserEvent[], now = Date.now()): Promise<string[]> {
  if (events.length === 0) return [];
  const { results: targets } = await db.prepare(`SELECT id, events FROM sync_targets WHERE enabled = 1`).all<{ id: string; events: string | null }>();
  const rows = events.flatMap((event) =>
    targets
      .filter((t) => t.events === null || (JSON.parse(t.events) as string[]).includes(event.type))
      .map((t) => ({ id: `msg_${newId()}`, targetId: t.id, userId: event.userId, type: event.type, version: event.version, payload: webhookBody(event) })),
  );
  if (rows.length === 0) return [];
  const chunks = chunkByBytes(rows, JSON_CHUNK_BYTES);
  await db.batch(
    chunks.map((chunk) =>
      db
        .prepare(
          `INSERT INTO sync_deliveries (id, target_id, user_id, event_type, version, payload, status, attempts, next_attempt_at, created_at, updated_at)
           SELECT v->>'id', v->>'targetId', v->>'userId', v->>'type', v->>'version', v->>'payload', 'pending', 0, ?2, ?2, ?2
           FROM (SELECT value AS v FROM json_each(?1)) WHERE true
           ON CONFLICT (target_id, user_id, version, event_type) DO NOTHING`,
        )
        .bind(JSON.stringify(chunk), now),
    ),
  );
  const found = await db.batch<{ id: string }>(
    chunks.map((chunk) =>
      db
        .prepare(
          `SELECT d.id FROM sync_deliveries d JOIN (SELECT value AS v FROM json_each(?1)) k
             ON d.target_id = k.v->>'targetId' AND d.user_id = k.v->>'userId' AND d.version = k.v->>'version' AND d.event_type = k.v->>'type'
           WHERE d.status = 'pending'`,
        )
        .bind(JSON.stringify(chunk.map(({ payload: _payload, ...key }) => key))),
    ),
  );
  return found.flatMap((r) => r.results.map((row) => row.id));
}

interface Update {
  id: string;
  status: string;
  attempts: number;
  code: number | null;
  error: string | null;
  latencyMs: number | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

/**
 * Attempts the pending deliveries `ids` once each and records every outcome in one transaction:
 * delivery rows, grown acks, targets disabled by 410, dead letters. Retries go back on the
 * queue with their backoff delay.
 */
export async function attemptDeliveries(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  const config = syncConfig(env);
  const { results: deliveries } = await env.DB.prepare(
    `SELECT d.id, d.target_id, d.user_id, d.event_type, d.version, d.payload, d.status, d.attempts
     FROM sync_deliveries d WHERE d.id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending'`,
  )
    .bind(JSON.stringify([...new Set(ids)]))
    .all<DeliveryRow>();
  if (deliveries.length === 0) return;
  const [{ results: targets }, { results: acks }] = await env.DB.batch([
    env.DB.prepare(
      `SELECT id, url, enabled, secret, previous_secret, previous_secret_expires_at, events FROM sync_targets WHERE id IN (SELECT value FROM json_each(?1))`,
    ).bind(JSON.stringify([...new Set(deliveries.map((d) => d.target_id))])),
    env.DB.prepare(
      `SELECT a.target_id, a.user_id, a.version FROM sync_acks a JOIN (SELECT value AS v FROM json_each(?1)) k ON a.target_id = k.v->>'t' AND a.user_id = k.v->>'u'`,
    ).bind(JSON.stringify(deliveries.map((d) => ({ t: d.target_id, u: d.user_id })))),
  ]) as [D1Result<TargetRow>, D1Result<{ target_id: string; user_id: string; version: number }>];
  const targetById = new Map(targets.map((t) => [t.id, t]));
  const acked = new Map(acks.map((a) => [`${a.target_id}\u0000${a.user_id}`, a.version]));
  const secrets = new Map<string, string[]>();
  for (const t of targets) {
    const list = [await openSecret(env, t.secret)];
    if (t.previous_secret && (t.previous_secret_expires_at ?? 0) > now) list.push(await openSecret(env, t.previous_secret));
    secrets.set(t.id, list);
  }

  const updates: Update[] = [];
  const newAcks: { targetId: string; userId: string; version: number }[] = [];
  const gone = new Set<string>();
  const retries = new Map<number, string[]>();
  const dead: DeliveryRow[] = [];
  const toSend = deliveries.filter((d) => {
    const target = targetById.get(d.target_id);
    const base = { id: d.id, attempts: d.attempts, code: null, latencyMs: null, nextAttemptAt: null, deliveredAt: null };
    if (!target || !target.enabled) {
      updates.push({ ...base, status: "failed", error: target ? "target disabled" : "target deleted" });
      return false;
    }
    if ((acked.get(`${d.target_id}\u0000${d.user_id}`) ?? 0) >= d.version) {
      updates.push({ ...base, status: "superseded", error: null });
      return false;
    }
    return true;
  });

  const outcomes = await pool(toSend, CONCURRENCY, (d) =>
    sendWebhook({ url: targetById.get(d.target_id)!.url, msgId: d.id, payload: d.payload, secrets: secrets.get(d.target_id)!, timeoutMs: config.timeoutMs }),
  );
  toSend.forEach((d, i) => {
    const outcome: AttemptOutcome = outcomes[i]!;
    const attempts = d.attempts + 1;
    const base = { id: d.id, attempts, code: outcome.status, latencyMs: outcome.latencyMs };
    if (outcome.kind === "ok") {
      updates.push({ ...base, status: "succeeded", error: null, nextAttemptAt: null, deliveredAt: now });
      newAcks.push({ targetId: d.target_id, userId: d.user_id, version: d.version });
    } else if (outcome.kind === "gone") {
      gone.add(d.target_id);
      updates.push({ ...base, status: "failed", error: `${outcome.error} (target disabled)`, nextAttemptAt: null, deliveredAt: null });
    } else if (outcome.kind === "retry" && attempts < config.maxAttempts) {
      const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(backoffSeconds(attempts, config.retryBaseSeconds, config.retryCapSeconds), outcome.retryAfterSeconds ?? 0));
      retries.set(delay, [...(retries.get(delay) ?? []), d.id]);
      updates.push({ ...base, status: "pending", error: outcome.error, nextAttemptAt: now + delay * 1000, deliveredAt: null });
    } else {
      if (outcome.kind === "retry") dead.push({ ...d, attempts });
      updates.push({ ...base, status: outcome.kind === "retry" ? "dead" : "failed", error: outcome.error, nextAttemptAt: null, deliveredAt: null });
    }
  });

  const statements: D1PreparedStatement[] = [
    env.DB.prepare(
      `UPDATE sync_deliveries SET status = u.v->>'status', attempts = u.v->>'attempts', last_status_code = u.v->>'code',
         last_error = u.v->>'error', latency_ms = COALESCE(u.v->>'latencyMs', latency_ms), next_attempt_at = u.v->>'nextAttemptAt',
         delivered_at = COALESCE(u.v->>'deliveredAt', delivered_at), updated_at = ?2
       FROM (SELECT value AS v FROM json_each(?1)) AS u WHERE sync_deliveries.id = u.v->>'id'`,
    ).bind(JSON.stringify(updates), now),
  ];
  if (newAcks.length > 0) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO sync_acks (target_id, user_id, version, acked_at)
         SELECT v->>'targetId', v->>'userId', v->>'version', ?2 FROM (SELECT value AS v FROM json_each(?1)) WHERE true
         ON CONFLICT (target_id, user_id) DO UPDATE SET version = excluded.version, acked_at = excluded.acked_at
         WHERE excluded.version > sync_acks.version`,
      ).bind(JSON.stringify(newAcks), now),
    );
  }
  if (gone.size > 0) {
    statements.push(
      env.DB.prepare(`UPDATE sync_targets SET enabled = 0, disabled_reason = 'endpoint answered 410 Gone', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))`).bind(
        JSON.stringify([...gone]),
        now,
      ),
    );
  }
  if (dead.length > 0) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO dead_letters (id, source, source_id, queue, payload, attempts, last_error, created_at)
         SELECT v->>'dlId', 'sync', v->>'id', 'herald-sync', json_object('kind', 'deliver', 'ids', json_array(v->>'id')), v->>'attempts', v->>'error', ?2
         FROM (SELECT value AS v FROM json_each(?1))`,
      ).bind(JSON.stringify(dead.map((d) => ({ dlId: newId(), id: d.id, attempts: d.attempts, error: updates.find((u) => u.id === d.id)?.error ?? null }))), now),
    );
  }
  await env.DB.batch(statements);
  await Promise.all([...retries].map(([delay, retryIds]) => sendPacked<string, SyncMessage>(env.SYNC, retryIds, (chunk) => ({ kind: "deliver", ids: chunk }), delay)));
}

/**
 * Re-enqueues pending deliveries whose retry is more than a minute overdue (a lost or
 * exhausted queue message): delayed retries ride on the queue, and this makes them reliable.
 * @returns how many were re-enqueued (at most 1,000 per run).
 */
export async function sweepStalledDeliveries(env: Pick<Bindings, "DB" | "SYNC">, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE sync_deliveries SET next_attempt_at = ?1, updated_at = ?1
     WHERE id IN (SELECT id FROM sync_deliveries WHERE status = 'pending' AND next_attempt_at <= ?2 LIMIT 1000)
     RETURNING id`,
  )
    .bind(now, now - 60_000)
    .all<{ id: string }>();
  await sendPacked<string, SyncMessage>(env.SYNC, results.map((r) => r.id), (chunk) => ({ kind: "deliver", ids: chunk }));
  return results.length;
}
