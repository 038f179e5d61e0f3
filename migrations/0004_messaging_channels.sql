CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `message_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`latency_ms` integer,
	`notification_id` text,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_deliveries_pair` ON `message_deliveries` (`message_id`,`subscription_id`);--> statement-breakpoint
CREATE INDEX `message_deliveries_status` ON `message_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`payload` text NOT NULL,
	`metadata` text,
	`idempotency_key` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`last_error` text,
	`deliver_at` integer NOT NULL,
	`enqueued_at` integer,
	`processed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_topic` ON `messages` (`topic`,`id`);--> statement-breakpoint
CREATE INDEX `messages_unscheduled` ON `messages` (`deliver_at`) WHERE enqueued_at IS NULL;--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`notification_id` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text,
	`subject` text,
	`body` text NOT NULL,
	`html` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_notification_channel` ON `outbox` (`notification_id`,`channel`);--> statement-breakpoint
CREATE INDEX `outbox_channel` ON `outbox` (`channel`,`id`);--> statement-breakpoint
CREATE TABLE `topic_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`kind` text NOT NULL,
	`url` text,
	`secret` text,
	`template` text,
	`channels` text,
	`user_id_pointer` text,
	`enabled` integer NOT NULL,
	`disabled_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `topic_subscriptions_topic` ON `topic_subscriptions` (`topic`);