CREATE TABLE `table_sizes` (
	`table_name` text PRIMARY KEY NOT NULL,
	`rows` integer NOT NULL,
	`counted_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `behaviours` ADD `owner_notification_id` text;--> statement-breakpoint
CREATE INDEX `behaviours_tombstones` ON `behaviours` (`updated_at`) WHERE active = 0;--> statement-breakpoint
ALTER TABLE `notifications` ADD `inbox_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_unconfirmed_edits` ON `notifications` (`updated_at`) WHERE version > inbox_version AND recalled_at IS NULL;--> statement-breakpoint
CREATE INDEX `dead_letters_source_id` ON `dead_letters` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `messages_finished` ON `messages` (`processed_at`) WHERE status IN ('completed', 'failed');--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `presence_last_seen` ON `presence` (`last_seen_at`);--> statement-breakpoint
CREATE INDEX `sync_deliveries_finished` ON `sync_deliveries` (`updated_at`) WHERE status <> 'pending';--> statement-breakpoint
-- Owner "notified once" marks move from 100-year idempotency records (scope `behaviour`) onto
-- the behaviour rows (docs/data-model.md#behaviours); the records then live the usual 24 h.
UPDATE `behaviours` SET `owner_notification_id` = m.nid
FROM (SELECT n.id AS nid, json_extract(n.data, '$.actorId') AS actor, json_extract(n.data, '$.targetId') AS target, substr(n.template, 11) AS type
      FROM `idempotency_records` r JOIN `notifications` n ON n.id = r.resource_id
      WHERE r.scope = 'behaviour') AS m
WHERE `behaviours`.`user_id` = m.actor AND `behaviours`.`target_id` = m.target AND `behaviours`.`type` = m.type
  AND `behaviours`.`owner_notification_id` IS NULL;--> statement-breakpoint
UPDATE `idempotency_records` SET `expires_at` = MIN(`expires_at`, CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 86400000) WHERE `scope` = 'behaviour';
