/**
 * The tags of the OpenAPI document, in the order the reference shows them. Every operation has
 * exactly one of these (a new area adds its tag here, lowercase, one word or kebab-case); SDK
 * generators turn each tag into a client class, so the description is that class's doc comment.
 * test/integration/openapi-quality.test.ts fails on an operation whose tag is not listed here.
 */
export const API_TAGS = [
  { name: "system", description: "Liveness and dependency checks. No authentication." },
  { name: "auth", description: "Short-lived user tokens (HS256 JWT) that let a browser or app act as one user on `/v1/me/*`." },
  { name: "behaviours", description: "Behaviour events (like, favourite, follow...): recorded exactly once per (user, target, kind), summarised per target." },
  { name: "notifications", description: "Send notifications to one user, in batches of up to 1,000, or to a topic's subscribers; read, recall and edit them." },
  { name: "inbox", description: "A user's in-app inbox: the WebSocket, connect tickets, unread counts, read receipts, presence and Web Push subscriptions." },
  { name: "feed", description: "Feed actions on a user's inbox items: seen, read, unread, archive, snooze (one or in bulk), exact counts by tag, and REST acks for Server-Sent Events clients." },
  { name: "preferences", description: "Which categories and channels a user receives, quiet hours, workspace defaults, hosted preference pages and one-click unsubscribe." },
  { name: "users", description: "User profiles, versioned: every real change is sent to the sync targets as a user event." },
  { name: "sync", description: "Sync targets (signed webhooks that receive user events), their deliveries, retries and reconciliation." },
  { name: "audiences", description: "Topic subscribers (users who receive a topic's broadcasts), self-service subscriptions and broadcast progress." },
  { name: "workflows", description: "Workflow definitions (in-app, email, SMS and push steps, delays, digests), triggers to users or a topic, and each recipient's durable run." },
  { name: "topics", description: "Topics, the webhook subscriptions that receive their published messages, and the messages themselves." },
  { name: "templates", description: "Mustache templates for notification titles and bodies, with a preview that renders sample data." },
  { name: "channels", description: "What the email, SMS and push providers were given: the outbox of rendered messages." },
  { name: "dead-letters", description: "Work that failed every attempt: inspect it, put it back to work (redrive) or discard it." },
  { name: "observability", description: "Operational figures as JSON (`/v1/stats`) and as Prometheus metrics (`/metrics`)." },
  { name: "development", description: "Routes that exist only on a local development server (`ALLOW_DEV_TOKENS`)." },
] as const;

/** A tag name from API_TAGS. */
export type ApiTag = (typeof API_TAGS)[number]["name"];
