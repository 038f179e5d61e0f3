ALTER TABLE `notifications` ADD `tags` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `actions` text;