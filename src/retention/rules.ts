/**
 * Every D1 table's retention rule (docs/data-model.md#retention), as the cron runs them: each a
 * purge function of the table's owning module with the cutoff the policy gives it. Tables not
 * listed hold state or configuration, bounded by what they describe: users (one row per user,
 * tombstoned on delete), sync targets and acks (per target and user), topics, subscriptions,
 * topic subscribers (state: kept until unsubscribed or the topic goes),
 * templates, push subscriptions (≤ 20 per user), user preferences (one document per user, state
 * the user set), the workspace preference defaults (one row), counters and table sizes (fixed sets), and dead
 * letters (deleted when redriven or discarded; a waiting letter is work someone must look at, so
 * it stays and `/v1/stats` counts it).
 */
import { purgeBehaviourTombstones } from "../db/behaviours";
import { purgeBroadcastRecipients } from "../db/broadcast-recipients";
import { purgeBroadcasts } from "../db/broadcasts";
import { purgeIdempotencyRecords } from "../db/idempotency-records";
import { purgeMessageDeliveries } from "../db/message-deliveries";
import { purgeMessages } from "../db/messages";
import { purgeNotifications } from "../db/notifications";
import { purgeOutbox } from "../db/outbox";
import { purgePresence } from "../db/presence";
import { purgeStatsHistory, STATS_HISTORY_KEEP_MS } from "../db/stats-history";
import { purgeSyncDeliveries } from "../db/sync-deliveries";
import { purgeWorkflowTriggerRecipients } from "../db/workflow-trigger-recipients";
import { purgeWorkflowTriggers } from "../db/workflow-triggers";
import { retentionPolicy } from "./policy";
import type { RetentionRule } from "./run";

/** The rules under the policy the environment configures (src/retention/policy.ts). */
export function retentionRules(env: object): RetentionRule[] {
  const policy = retentionPolicy(env);
  const olderThan = (ms: number) => (now: number) => now - ms;
  return [
    // Records carry their own expiry (`IDEMPOTENCY_TTL_HOURS`, or longer for notify keys).
    { name: "idempotency_records", before: (now) => now, purge: purgeIdempotencyRecords },
    { name: "notifications", before: olderThan(policy.notificationsMs), purge: purgeNotifications },
    // Finished broadcasts age out like notifications; the snapshot first, as a broadcast goes once it has none left.
    { name: "broadcast_recipients", before: olderThan(policy.notificationsMs), purge: purgeBroadcastRecipients },
    { name: "broadcasts", before: olderThan(policy.notificationsMs), purge: purgeBroadcasts },
    // Before `messages`: a message goes once it has no deliveries left.
    { name: "message_deliveries", before: olderThan(policy.messagesMs), purge: purgeMessageDeliveries },
    { name: "messages", before: olderThan(policy.messagesMs), purge: purgeMessages },
    { name: "outbox", before: olderThan(policy.outboxMs), purge: purgeOutbox },
    { name: "sync_deliveries", before: olderThan(policy.syncDeliveriesMs), purge: purgeSyncDeliveries },
    { name: "behaviour_tombstones", before: olderThan(policy.tombstonesMs), purge: purgeBehaviourTombstones },
    { name: "presence", before: olderThan(policy.presenceMs), purge: purgePresence },
    // The snapshot first: a trigger goes once its fan-out was enqueued and it has no recipients left.
    // (Runs themselves live in each user's UserWorkflows object, which purges them after 30 days.)
    { name: "workflow_trigger_recipients", before: olderThan(policy.workflowTriggersMs), purge: purgeWorkflowTriggerRecipients },
    { name: "workflow_triggers", before: olderThan(policy.workflowTriggersMs), purge: purgeWorkflowTriggers },
    // The console's chart history: a week of per-minute samples (src/db/stats-history.ts).
    { name: "stats_history", before: olderThan(STATS_HISTORY_KEEP_MS), purge: purgeStatsHistory },
  ];
}
