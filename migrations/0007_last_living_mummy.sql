CREATE INDEX `messages_finished` ON `messages` (`processed_at`) WHERE status IN ('completed', 'failed');--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `sync_deliveries_finished` ON `sync_deliveries` (`updated_at`) WHERE status <> 'pending';