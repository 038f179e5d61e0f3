DROP INDEX `deliveries_status`;--> statement-breakpoint
CREATE INDEX `deliveries_leased` ON `deliveries` (`locked_until`) WHERE status = 'queued' AND locked_until IS NOT NULL;