-- The seed's listeners and their templates (SPEC §7): user.registered → `welcome` email;
-- wallet.recharged → `wallet_recharged` in-app + SMS. Fixed ids keep the seed idempotent.
INSERT INTO `templates` (`name`, `channel`, `subject`, `body`, `description`, `active`, `created_at`, `updated_at`) VALUES
  ('welcome', 'email', 'Welcome to the app, {{username}}!',
   '<h1>Welcome, {{username}}!</h1><p>Your account {{email}} is ready.</p>{{#referrer}}<p>{{referrer}} invited you.</p>{{/referrer}}',
   'Sent when a user registers', 1, 0, 0),
  ('wallet_recharged', 'in_app', 'Wallet recharged',
   'Your wallet was recharged with {{amount}} {{currency}}. New balance: {{balance}} {{currency}}.',
   'Sent when a wallet is topped up (in-app and SMS)', 1, 0, 0)
ON CONFLICT (`name`) DO NOTHING;
--> statement-breakpoint
INSERT INTO `topic_subscriptions` (`id`, `topic`, `kind`, `url`, `secret`, `template`, `channels`, `user_id_pointer`, `enabled`, `created_at`, `updated_at`) VALUES
  ('sub_seed_user_registered_welcome', 'user.registered', 'notify', NULL, NULL, 'welcome', '["email"]', '/userId', 1, 0, 0),
  ('sub_seed_wallet_recharged', 'wallet.recharged', 'notify', NULL, NULL, 'wallet_recharged', '["in_app","sms"]', '/userId', 1, 0, 0)
ON CONFLICT (`id`) DO NOTHING;
