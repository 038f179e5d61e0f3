/**
 * How long D1 keeps finished work (docs/data-model.md#retention), from vars with the documented
 * defaults. Every table has a rule; the cron (src/retention/run.ts) enforces them in bounded
 * chunks. Live work — an undispatched notification, a pending message, an unresolved dead letter —
 * is never purged, whatever its age: these ages count from when the work finished or was created,
 * as each purge function documents.
 *
 * | var | default | rows |
 * | --- | --- | --- |
 * | `RETENTION_NOTIFICATIONS_DAYS` | 90 | notifications and their deliveries |
 * | `RETENTION_MESSAGES_DAYS` | 30 | topic messages and their deliveries |
 * | `RETENTION_OUTBOX_DAYS` | 7 | the outbox provider's stored messages |
 * | `RETENTION_SYNC_DELIVERIES_DAYS` | 30 | sync webhook deliveries in a final status |
 * | `RETENTION_TOMBSTONES_DAYS` | 30 | removed behaviours (tombstones); active rows are state |
 * | `RETENTION_PRESENCE_DAYS` | 90 | presence rows of users offline that long |
 * | `RETENTION_WORKFLOW_TRIGGERS_DAYS` | 30 | workflow triggers whose fan-out was enqueued, and their recipient snapshots |
 * | `IDEMPOTENCY_TTL_HOURS` | 24 | idempotency records (their own `expiresAt`) |
 *
 * Dead letters need no age: a redrive or a discard deletes the letter at once, and a letter
 * nobody handled yet is work that must not vanish (it stays, counted in `/v1/stats`).
 */

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  notificationsMs: number;
  messagesMs: number;
  outboxMs: number;
  syncDeliveriesMs: number;
  tombstonesMs: number;
  presenceMs: number;
  workflowTriggersMs: number;
}

type RetentionVars = Partial<
  Record<
    | "RETENTION_NOTIFICATIONS_DAYS"
    | "RETENTION_MESSAGES_DAYS"
    | "RETENTION_OUTBOX_DAYS"
    | "RETENTION_SYNC_DELIVERIES_DAYS"
    | "RETENTION_TOMBSTONES_DAYS"
    | "RETENTION_PRESENCE_DAYS"
    | "RETENTION_WORKFLOW_TRIGGERS_DAYS",
    string
  >
>;

/** Days from a var: a positive number (fractions allowed), else the default. */
const days = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return (raw !== undefined && raw !== "" && Number.isFinite(n) && n > 0 ? n : fallback) * DAY_MS;
};

/** Reads the policy from the environment (unset or invalid → the default). Ages in ms. */
export function retentionPolicy(env: object): RetentionPolicy {
  const vars = env as RetentionVars;
  return {
    notificationsMs: days(vars.RETENTION_NOTIFICATIONS_DAYS, 90),
    messagesMs: days(vars.RETENTION_MESSAGES_DAYS, 30),
    outboxMs: days(vars.RETENTION_OUTBOX_DAYS, 7),
    syncDeliveriesMs: days(vars.RETENTION_SYNC_DELIVERIES_DAYS, 30),
    tombstonesMs: days(vars.RETENTION_TOMBSTONES_DAYS, 30),
    presenceMs: days(vars.RETENTION_PRESENCE_DAYS, 90),
    workflowTriggersMs: days(vars.RETENTION_WORKFLOW_TRIGGERS_DAYS, 30),
  };
}
