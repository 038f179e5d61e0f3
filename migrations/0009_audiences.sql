CREATE TABLE `broadcast_recipients` (
	`broadcast_id` text NOT NULL,
	`user_id` text NOT NULL,
	`fanned_out_at` integer,
	PRIMARY KEY(`broadcast_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`idempotency_key` text,
	`title` text,
	`body` text,
	`data` text,
	`priority` text NOT NULL,
	`category` text NOT NULL,
	`critical` integer NOT NULL,
	`expires_at` integer,
	`recipients` integer NOT NULL,
	`fanned_out` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `broadcasts_status` ON `broadcasts` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `broadcasts_completed` ON `broadcasts` (`completed_at`);--> statement-breakpoint
CREATE TABLE `topic_subscribers` (
	`topic` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`topic`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `topic_subscribers_user` ON `topic_subscribers` (`user_id`,`topic`);--> statement-breakpoint
ALTER TABLE `topics` ADD `self_service` integer DEFAULT false NOT NULL;