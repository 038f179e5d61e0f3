CREATE TABLE `topic_subscribers` (
	`topic` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`topic`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `topic_subscribers_user` ON `topic_subscribers` (`user_id`,`topic`);--> statement-breakpoint
ALTER TABLE `topics` ADD `self_service` integer DEFAULT false NOT NULL;