-- The tables every notification writes, keyed by text, become WITHOUT ROWID (docs/cost.md#indexes):
-- a rowid table with a text primary key keeps the key in a second b-tree, so each insert and delete
-- wrote two rows, and D1 bills both. drizzle-kit cannot declare WITHOUT ROWID, so this step is
-- written by hand; the columns, keys and indexes are unchanged (test/integration/schema-drift.test.ts).
CREATE TABLE `deliveries_keyed` (
	`notification_id` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`updated_at` integer NOT NULL,
	`locked_until` integer,
	`reason` text,
	`deliver_at` integer,
	PRIMARY KEY(`notification_id`, `channel`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `deliveries_keyed` (`notification_id`, `channel`, `status`, `attempts`, `last_error`, `sent_at`, `delivered_at`, `read_at`, `updated_at`, `locked_until`, `reason`, `deliver_at`)
  SELECT `notification_id`, `channel`, `status`, `attempts`, `last_error`, `sent_at`, `delivered_at`, `read_at`, `updated_at`, `locked_until`, `reason`, `deliver_at` FROM `deliveries`;--> statement-breakpoint
DROP TABLE `deliveries`;--> statement-breakpoint
ALTER TABLE `deliveries_keyed` RENAME TO `deliveries`;--> statement-breakpoint
CREATE INDEX `deliveries_leased` ON `deliveries` (`locked_until`) WHERE status = 'queued' AND locked_until IS NOT NULL;--> statement-breakpoint
CREATE TABLE `idempotency_records_keyed` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`state` text NOT NULL,
	`locked_until` integer NOT NULL,
	`resource_id` text,
	`response_status` integer,
	`response_body` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `idempotency_records_keyed` (`scope`, `key`, `fingerprint`, `state`, `locked_until`, `resource_id`, `response_status`, `response_body`, `created_at`, `expires_at`)
  SELECT `scope`, `key`, `fingerprint`, `state`, `locked_until`, `resource_id`, `response_status`, `response_body`, `created_at`, `expires_at` FROM `idempotency_records`;--> statement-breakpoint
DROP TABLE `idempotency_records`;--> statement-breakpoint
ALTER TABLE `idempotency_records_keyed` RENAME TO `idempotency_records`;--> statement-breakpoint
CREATE INDEX `idempotency_records_expires` ON `idempotency_records` (`expires_at`);--> statement-breakpoint
CREATE TABLE `notifications_keyed` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`idempotency_key` text,
	`fingerprint` text,
	`template` text,
	`data` text,
	`title` text,
	`body` text,
	`channels` text NOT NULL,
	`priority` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	`dispatch_after` integer NOT NULL,
	`enqueued_at` integer,
	`dispatched_at` integer,
	`version` integer DEFAULT 0 NOT NULL,
	`recalled_at` integer,
	`inbox_version` integer DEFAULT 0 NOT NULL,
	`category` text DEFAULT 'general' NOT NULL,
	`critical` integer DEFAULT false NOT NULL,
	`tags` text,
	`actions` text
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `notifications_keyed` (`id`, `user_id`, `idempotency_key`, `fingerprint`, `template`, `data`, `title`, `body`, `channels`, `priority`, `created_at`, `updated_at`, `expires_at`, `dispatch_after`, `enqueued_at`, `dispatched_at`, `version`, `recalled_at`, `inbox_version`, `category`, `critical`, `tags`, `actions`)
  SELECT `id`, `user_id`, `idempotency_key`, `fingerprint`, `template`, `data`, `title`, `body`, `channels`, `priority`, `created_at`, `updated_at`, `expires_at`, `dispatch_after`, `enqueued_at`, `dispatched_at`, `version`, `recalled_at`, `inbox_version`, `category`, `critical`, `tags`, `actions` FROM `notifications`;--> statement-breakpoint
DROP TABLE `notifications`;--> statement-breakpoint
ALTER TABLE `notifications_keyed` RENAME TO `notifications`;--> statement-breakpoint
CREATE INDEX `notifications_idempotency_key` ON `notifications` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `notifications_user_id` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_undispatched` ON `notifications` (`dispatch_after`) WHERE dispatched_at IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_recalled` ON `notifications` (`recalled_at`) WHERE recalled_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_unconfirmed_edits` ON `notifications` (`updated_at`) WHERE version > inbox_version AND recalled_at IS NULL;
