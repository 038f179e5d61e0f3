CREATE TABLE `presence` (
	`user_id` text PRIMARY KEY NOT NULL,
	`connections` integer NOT NULL,
	`version` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `presence_online` ON `presence` (`user_id`) WHERE connections > 0;--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`endpoint` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`expiration_time` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `push_subscriptions_user` ON `push_subscriptions` (`user_id`,`endpoint`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `recalled_at` integer;--> statement-breakpoint
CREATE INDEX `notifications_recalled` ON `notifications` (`recalled_at`) WHERE recalled_at IS NOT NULL;