CREATE TABLE `workflow_trigger_recipients` (
	`trigger_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`trigger_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `workflow_triggers` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_key` text NOT NULL,
	`definition` text NOT NULL,
	`data` text,
	`actor` text,
	`idempotency_key` text,
	`recipients` integer NOT NULL,
	`created_at` integer NOT NULL,
	`planned_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflow_triggers_planned` ON `workflow_triggers` (`planned_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`key` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`name` text,
	`category` text,
	`critical` integer NOT NULL,
	`steps` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
