CREATE TABLE `sync_acks` (
	`target_id` text NOT NULL,
	`user_id` text NOT NULL,
	`version` integer NOT NULL,
	`acked_at` integer NOT NULL,
	PRIMARY KEY(`target_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`target_id` text NOT NULL,
	`user_id` text NOT NULL,
	`event_type` text NOT NULL,
	`version` integer NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`latency_ms` integer,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_deliveries_event` ON `sync_deliveries` (`target_id`,`user_id`,`version`,`event_type`);--> statement-breakpoint
CREATE INDEX `sync_deliveries_target_status` ON `sync_deliveries` (`target_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `sync_deliveries_status` ON `sync_deliveries` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `sync_targets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`events` text,
	`enabled` integer NOT NULL,
	`disabled_reason` text,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at` integer,
	`reconcile_cursor` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`phone` text,
	`name` text,
	`locale` text,
	`timezone` text,
	`attributes` text,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
