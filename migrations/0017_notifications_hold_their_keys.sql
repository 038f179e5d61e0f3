DROP INDEX `notifications_idempotency_key`;--> statement-breakpoint
ALTER TABLE `notifications` ADD `key_scope` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `key_expires_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_idempotency_key` ON `notifications` (`idempotency_key`,`key_scope`) WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
-- Data move (hand-written): a notification whose `notifications`-scope record names it becomes
-- that record — it takes the record's expiry — and the record goes. Records of other scopes, and
-- `notifications`-scope records naming a broadcast, stay.
UPDATE `notifications` SET `key_scope` = 'notifications', `key_expires_at` = r.`expires_at`
  FROM `idempotency_records` r
  WHERE r.`scope` = 'notifications' AND r.`key` = `notifications`.`idempotency_key` AND r.`resource_id` = `notifications`.`id`;--> statement-breakpoint
DELETE FROM `idempotency_records` WHERE `scope` = 'notifications'
  AND `resource_id` IN (SELECT `id` FROM `notifications` WHERE `key_scope` = 'notifications');
