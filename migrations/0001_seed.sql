-- Seed data that exists from the first deploy (SPEC §4, §7).
-- The topic catalogue of the seed's messaging module.
INSERT INTO `topics` (`name`, `description`, `created_at`) VALUES
  ('user.registered', 'A user signed up', 0),
  ('user.logged_in', 'A user logged in', 0),
  ('user.updated', 'A user profile changed', 0),
  ('wallet.recharged', 'A wallet was topped up', 0),
  ('wallet.consumed', 'Wallet balance was spent', 0),
  ('wallet.withdraw_request', 'A withdrawal was requested', 0),
  ('content.created', 'Content was created', 0),
  ('content.updated', 'Content was updated', 0),
  ('content.deleted', 'Content was deleted', 0),
  ('content.reviewed', 'Content was reviewed', 0),
  ('recommendation.behavior_recorded', 'A behaviour was recorded for recommendations', 0),
  ('recommendation.refresh', 'Recommendations should be refreshed', 0),
  ('notification.email', 'Send an email notification', 0),
  ('notification.sms', 'Send an SMS notification', 0),
  ('notification.push', 'Send a push notification', 0)
ON CONFLICT (`name`) DO NOTHING;
--> statement-breakpoint
-- Templates for the owner notifications that behaviours trigger (template `behaviour.<type>`).
-- Data: {actorId, targetId, type}.
INSERT INTO `templates` (`name`, `channel`, `subject`, `body`, `description`, `active`, `created_at`, `updated_at`) VALUES
  ('behaviour.like', 'in_app', 'New like', '{{actorId}} liked {{targetId}}', 'Someone liked your content', 1, 0, 0),
  ('behaviour.favorite', 'in_app', 'New favourite', '{{actorId}} added {{targetId}} to favourites', 'Someone favourited your content', 1, 0, 0),
  ('behaviour.follow', 'in_app', 'New follower', '{{actorId}} started following you', 'Someone followed you', 1, 0, 0),
  ('behaviour.share', 'in_app', 'New share', '{{actorId}} shared {{targetId}}', 'Someone shared your content', 1, 0, 0),
  ('behaviour.view', 'in_app', 'New view', '{{actorId}} viewed {{targetId}}', 'Someone viewed your content', 1, 0, 0),
  ('behaviour.comment', 'in_app', 'New comment', '{{actorId}} commented on {{targetId}}', 'Someone commented on your content', 1, 0, 0)
ON CONFLICT (`name`) DO NOTHING;
