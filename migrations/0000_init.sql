CREATE TABLE `behaviours` (
	`user_id` text NOT NULL,
	`target_id` text NOT NULL,
	`type` text NOT NULL,
	`active` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`event_id` text NOT NULL,
	`target_owner_id` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `behaviours_user_target_type` ON `behaviours` (`user_id`,`target_id`,`type`);--> statement-breakpoint
CREATE INDEX `behaviours_target_type_active` ON `behaviours` (`target_id`,`type`,`active`);--> statement-breakpoint
CREATE INDEX `behaviours_user_active_occurred` ON `behaviours` (`user_id`,`active`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `behaviours_event` ON `behaviours` (`event_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`source_id` text,
	`queue` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_source_created` ON `dead_letters` (`source`,`created_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`notification_id` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`notification_id`, `channel`)
);
--> statement-breakpoint
CREATE INDEX `deliveries_status` ON `deliveries` (`status`);--> statement-breakpoint
CREATE TABLE `idempotency_records` (
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
);
--> statement-breakpoint
CREATE INDEX `idempotency_records_expires` ON `idempotency_records` (`expires_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
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
	`dispatched_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_idempotency_key` ON `notifications` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `notifications_user_id` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_undispatched` ON `notifications` (`dispatch_after`) WHERE dispatched_at IS NULL;--> statement-breakpoint
CREATE TABLE `templates` (
	`name` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`description` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `topics` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
