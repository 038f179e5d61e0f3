DROP INDEX `notifications_idempotency_key`;--> statement-breakpoint
CREATE INDEX `notifications_idempotency_key` ON `notifications` (`idempotency_key`) WHERE idempotency_key IS NOT NULL;