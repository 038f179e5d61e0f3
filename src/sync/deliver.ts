/**
 * The sync delivery engine (docs/api.md#user-sync): fan a user event out to every enabled target subscribed
 * to its type, POST each message signed, and record the outcome. Retries use exponential
 * backoff with full jitter through delayed queue messages, honouring `Retry-After`; a 410
 * disables the target; exhausted and non-retryable deliveries become dead letters (the verdicts
 * are src/delivery/policy.ts's). Per (target, user) the
 * acknowledged version only grows, and a message older than what the target already has is
 * `superseded` instead of sent (receivers drop stale versions anyway; this spares the call).
 */
import { z } from "zod";
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { chunkByBytes, sendPacked } from "../lib/queue";
import { pool } from "../lib/pool";
import { openSecret } from "../lib/secret-box";
import { syncConfig } from "./config";
import { USER_EVENT_TYPES, UserView, type UserEvent } from "./users";
import { countFinishedWebhookDeliveriesStatement, observeWebhookDurationsStatement } from "../db/counters";
import { insertDeadLettersStatements, type NewDeadLetter } from "../db/dead-letters";
import { acksStatement, growAcksStatement, type AckRow } from "../db/sync-acks";
import {
  insertPendingStatement,
  markStalledSyncDeliveries,
  pendingIdsForEventsStatement,
  pendingSyncDeliveries,
  recordSyncAttemptsStatement,
  type SyncAttemptUpdate,
  type SyncDeliveryRow,
} from "../db/sync-deliveries";
import { disableGoneTargetsStatement, enabledTargets, signingTargetsOf, signingTargetsStatement } from "../db/sync-targets";
import { judgeAttempt, type AttemptOutcome, type RetryPolicy } from "../delivery/policy";
import { sendWebhook } from "../delivery/webhook";

/** Queue messages of `herald-sync`. */
export type SyncMessage =
  | { kind: "user_events"; events: UserEvent[] }
  | { kind: "deliver"; ids: string[] }
  | { kind: "reconcile"; targetId: string; cursor: string | null; graceMs: number };

const UserEventSchema = z.object({ type: z.enum(USER_EVENT_TYPES), userId: z.string(), version: z.number().int().min(1), user: UserView, at: z.number() });
/** The consumer's check of a `herald-sync` body (src/queues/sync.ts). */
export const SyncMessageSchema: z.ZodType<SyncMessage> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user_events"), events: z.array(UserEventSchema) }),
  z.object({ kind: z.literal("deliver"), ids: z.array(z.string()) }),
  z.object({ kind: z.literal("reconcile"), targetId: z.string(), cursor: z.string().nullable(), graceMs: z.number().min(0) }),
]);

const JSON_CHUNK_BYTES = 90 * 1024;
/** Parallel POSTs per consumer invocation; a Worker may hold 6 outbound connections open at once. */
const CONCURRENCY = 6;

type DeliveryRow = SyncDeliveryRow;

/** The webhook body (docs/api.md#user-sync): `{type, timestamp, data:{userId, version, user}}`. */
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
  const targets = await enabledTargets(db);
  const rows = events.flatMap((event) =>
    targets
      .filter((t) => t.events === null || (JSON.parse(t.events) as string[]).includes(event.type))
      .map((t) => ({ id: `msg_${newId()}`, targetId: t.id, userId: event.userId, type: event.type, version: event.version, payload: webhookBody(event) })),
  );
  if (rows.length === 0) return [];
  const chunks = chunkByBytes(rows, JSON_CHUNK_BYTES);
  await db.batch(chunks.map((chunk) => insertPendingStatement(db, JSON.stringify(chunk), now)));
  const found = await db.batch<{ id: string }>(chunks.map((chunk) => pendingIdsForEventsStatement(db, JSON.stringify(chunk.map(({ payload: _payload, ...key }) => key)))));
  return found.flatMap((r) => r.results.map((row) => row.id));
}

/**
 * Attempts the pending deliveries `ids` once each and records every outcome in one transaction:
 * delivery rows, grown acks, targets disabled by 410, dead letters. Retries go back on the
 * queue with their backoff delay.
 */
export async function attemptDeliveries(env: Bindings, ids: string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  const config = syncConfig(env);
  const deliveries = await pendingSyncDeliveries(env.DB, ids);
  if (deliveries.length === 0) return;
  const [signingResult, { results: acks }] = (await env.DB.batch([
    signingTargetsStatement(env.DB, [...new Set(deliveries.map((d) => d.targetId))]),
    acksStatement(env.DB, deliveries.map((d) => ({ targetId: d.targetId, userId: d.userId }))),
  ])) as [D1Result, D1Result<AckRow>];
  const targets = signingTargetsOf(signingResult);
  const targetById = new Map(targets.map((t) => [t.id, t]));
  const acked = new Map(acks.map((a) => [`${a.targetId}\u0000${a.userId}`, a.version]));
  // A secret that cannot be opened (a rotated JWT_SECRET, a corrupt row) fails only the
  // deliveries of its own target, as a dead letter to redrive once the secret is reset.
  const secrets = new Map<string, string[] | Error>();
  for (const t of targets) {
    try {
      const list = [await openSecret(env, t.secret)];
      if (t.previousSecret && (t.previousSecretExpiresAt ?? 0) > now) list.push(await openSecret(env, t.previousSecret));
      secrets.set(t.id, list);
    } catch (error) {
      secrets.set(t.id, error instanceof Error ? error : new Error(String(error)));
    }
  }

  const updates: SyncAttemptUpdate[] = [];
  const newAcks: { targetId: string; userId: string; version: number }[] = [];
  const gone = new Set<string>();
  const retries = new Map<number, string[]>();
  const dead: NewDeadLetter[] = [];
  const policy: RetryPolicy = { maxAttempts: config.maxAttempts, baseSeconds: config.retryBaseSeconds, capSeconds: config.retryCapSeconds };
  const deadLetter = (d: DeliveryRow, attempts: number, reason: string) =>
    dead.push({ source: "sync", sourceId: d.id, queue: "herald-sync", payload: { kind: "deliver", ids: [d.id] }, attempts, lastError: reason });
  const toSend = deliveries.filter((d) => {
    const target = targetById.get(d.targetId);
    const base = { id: d.id, attempts: d.attempts, lastStatusCode: null, latencyMs: null, nextAttemptAt: null, deliveredAt: null };
    if (!target || !target.enabled) {
      const error = target ? "target disabled" : "target deleted";
      updates.push({ ...base, status: "failed", lastError: error });
      deadLetter(d, d.attempts, error);
      return false;
    }
    if ((acked.get(`${d.targetId}\u0000${d.userId}`) ?? 0) >= d.version) {
      updates.push({ ...base, status: "superseded", lastError: null });
      return false;
    }
    return true;
  });

  // Answer times of the webhook attempts made, for `webhook_duration_seconds` (docs/api.md#stats-and-metrics).
  const webhookLatenciesMs: (number | null)[] = [];
  const outcomes = await pool(toSend, CONCURRENCY, async (d): Promise<AttemptOutcome> => {
    const signing = secrets.get(d.targetId)!;
    if (signing instanceof Error) return { kind: "fail", status: null, latencyMs: 0, error: `cannot open the target's stored secret (rotate it): ${signing.message}` };
    const outcome = await sendWebhook({ url: targetById.get(d.targetId)!.url, msgId: d.id, payload: d.payload, secrets: signing, timeoutMs: config.timeoutMs });
    webhookLatenciesMs.push(outcome.latencyMs);
    return outcome;
  });
  toSend.forEach((d, i) => {
    const outcome = outcomes[i]!;
    const attempts = d.attempts + 1;
    const base = { id: d.id, attempts, lastStatusCode: outcome.status, latencyMs: outcome.latencyMs };
    const verdict = judgeAttempt(outcome, attempts, policy, now);
    switch (verdict.kind) {
      case "done":
        updates.push({ ...base, status: "succeeded", lastError: null, nextAttemptAt: null, deliveredAt: now });
        newAcks.push({ targetId: d.targetId, userId: d.userId, version: d.version });
        return;
      case "retry":
        retries.set(verdict.delaySeconds, [...(retries.get(verdict.delaySeconds) ?? []), d.id]);
        updates.push({ ...base, status: "pending", lastError: outcome.kind === "ok" ? null : outcome.error, nextAttemptAt: verdict.at, deliveredAt: null });
        return;
      case "disable_target":
        gone.add(d.targetId);
        updates.push({ ...base, status: "failed", lastError: `${verdict.reason} (target disabled)`, nextAttemptAt: null, deliveredAt: null });
        deadLetter(d, attempts, `${verdict.reason} (target disabled)`);
        return;
      case "dead":
        updates.push({ ...base, status: verdict.exhausted ? "dead" : "failed", lastError: verdict.reason, nextAttemptAt: null, deliveredAt: null });
        deadLetter(d, attempts, verdict.reason);
    }
  });

  const statements: D1PreparedStatement[] = [
    countFinishedWebhookDeliveriesStatement(env.DB, "sync", updates),
    observeWebhookDurationsStatement(env.DB, "sync", webhookLatenciesMs),
    recordSyncAttemptsStatement(env.DB, updates, now),
    ...insertDeadLettersStatements(env.DB, dead, now),
  ];
  if (newAcks.length > 0) statements.push(growAcksStatement(env.DB, newAcks, now));
  if (gone.size > 0) statements.push(disableGoneTargetsStatement(env.DB, [...gone], now));
  await env.DB.batch(statements);
  await Promise.all([...retries].map(([delay, retryIds]) => sendPacked<string, SyncMessage>(env.SYNC, retryIds, (chunk) => ({ kind: "deliver", ids: chunk }), delay)));
}

/**
 * Re-enqueues pending deliveries whose retry is more than a minute overdue (a lost or
 * exhausted queue message): delayed retries ride on the queue, and this makes them reliable.
 * @returns how many were re-enqueued (at most 1,000 per run).
 */
export async function sweepStalledDeliveries(env: Pick<Bindings, "DB" | "SYNC">, now = Date.now()): Promise<number> {
  const ids = await markStalledSyncDeliveries(env.DB, now, now - 60_000);
  await sendPacked<string, SyncMessage>(env.SYNC, ids, (chunk) => ({ kind: "deliver", ids: chunk }));
  return ids.length;
}
