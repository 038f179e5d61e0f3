ALTER TABLE `behaviours` ADD `owner_notification_id` text;--> statement-breakpoint
CREATE INDEX `behaviours_tombstones` ON `behaviours` (`updated_at`) WHERE active = 0;--> statement-breakpoint
ALTER TABLE `notifications` ADD `inbox_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_unconfirmed_edits` ON `notifications` (`updated_at`) WHERE version > inbox_version AND recalled_at IS NULL;--> statement-breakpoint
CREATE INDEX `presence_last_seen` ON `presence` (`last_seen_at`);