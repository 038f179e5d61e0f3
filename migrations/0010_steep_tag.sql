ALTER TABLE `broadcast_recipients` ADD `failed_at` integer;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `failed` integer DEFAULT 0 NOT NULL;