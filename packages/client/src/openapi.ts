/**
 * Herald's API as TypeScript types, generated from /openapi.json by openapi-typescript.
 * Do not edit: run `npm run openapi:types` after changing a route (a test fails until then).
 */
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness and dependency checks
         * @description `200 {status:"ok"}` when D1 answers and secrets are configured; `503` naming the failing check otherwise (`checks.d1: "error"` — never the internal error text, which is logged with the request id). `200 {status:"degraded"}` with `checks.storage` when the database holds more than 80% of D1's 10 GB limit: it still works, but retention is not keeping up (docs/data-model.md#retention). No auth.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a user token
         * @description HS256 JWT with `sub` = userId, `typ` "user", `aud` (this deployment, var `JWT_AUDIENCE`), `iat` and `exp`; it reaches only `/v1/me/*` and the WebSocket of that user.
         */
        post: operations["createUserToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/behaviours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a behaviour event
         * @description Accepts one like/favorite/follow/share/view/comment (or its removal) for asynchronous apply. Per (userId, targetId, type) the latest `occurredAt` wins, whatever the arrival order or repetition. An `add` with `targetOwnerId` notifies the owner once per (actor, target, type), ever.
         */
        post: operations["recordBehaviour"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/behaviours/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record behaviour events in bulk
         * @description 1–1,000 events. Any invalid event refuses the whole request (400 with `errors` paths such as `events.3.type`) and nothing is enqueued. `eventIds` come back in request order.
         */
        post: operations["recordBehaviourBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/behaviours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's behaviours
         * @description Active behaviours only (removed ones are not listed), newest `occurredAt` first, optionally of one `type`. Paginated with `limit` and the opaque `cursor` from `nextCursor`.
         */
        get: operations["listUserBehaviours"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/targets/{targetId}/behaviours/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count a target's behaviours
         * @description Active behaviours on the target per type; every type is present, zeros included.
         */
        get: operations["getTargetBehaviourSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find the notification an idempotency key created
         * @description History lookup: the most recent notification created with `idempotencyKey`.
         */
        get: operations["findNotificationByIdempotencyKey"];
        put?: never;
        /**
         * Send a notification
         * @description Stores the notification and dispatches it through a queue to the user's inbox (and other channels). With `Idempotency-Key` (1–255 printable ASCII): the same key and body replays the first response with `Idempotent-Replayed: true`; another body → 422 `idempotency_key_reused`; while the first is in flight → 409 `idempotency_key_in_use` with `Retry-After`. Failed requests (validation, 5xx) do not store the key. Records live `IDEMPOTENCY_TTL_HOURS` (default 24).
         */
        post: operations["sendNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send up to 1,000 notifications, each with its own idempotency key
         * @description Per-item results in request order: `created`; `duplicate` (key seen with the same fingerprint — the existing notificationId and its delivery status, `isIdempotent: true`); `conflict` (key seen with another fingerprint); `invalid` (this item failed validation; the others proceed); `failed` (a transient error for this item — resending the batch retries only those). Within one batch the first item of a key wins. `atomic: true` restores all-or-nothing: any item that would not be `created` → 422 `atomic_batch_rejected` and nothing is written.
         */
        post: operations["sendNotificationBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a notification with its deliveries
         * @description In-app delivery state is mirrored from the user's inbox: `delivered` only once a device acked it.
         */
        get: operations["getNotification"];
        put?: never;
        post?: never;
        /**
         * Recall a notification
         * @description Removes it from the user's inbox: devices that were sent it get a `recalled` frame with the new unread count, no device is sent it again (a notification not dispatched yet never will be), and its in-app delivery ends `recalled`. Channels already sent (email, SMS) cannot be taken back. Idempotent: recalling again answers the same.
         */
        delete: operations["recallNotification"];
        options?: never;
        head?: never;
        /**
         * Edit a notification
         * @description Replaces the fields given (a template is not rendered again: send `title`/`body` to change the text). Devices that were sent it get an `updated` frame; a device that gets it later, or replays it, only ever sees the new version. Concurrent edits apply in the order D1 committed them. A recalled notification cannot be edited (409).
         */
        patch: operations["editNotification"];
        trace?: never;
    };
    "/v1/users/{userId}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's notifications (admin view)
         * @description Newest first, paginated. `status` filters by in-app delivery status.
         */
        get: operations["listUserNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open the in-app WebSocket
         * @description Upgrades to a WebSocket on the user's inbox. Browsers cannot set headers, so the credential may come in the URL: `?ticket=` (single-use, 60 s, from `POST /v1/me/connect-tickets`; a used or expired one → 401), or `?token=` (the user token itself, which then lands in logs on the way). The socket is closed with 4001 when the user token expires — with a ticket, the token it was made from. Server frames: `hello`, `notification`, `updated`, `recalled`, `read`, `state`, `error`, `pong`. Client frames: `ack {seq}` (cumulative), `read {ids}`, `seen {ids}`, `ping`. With `since`, every event with seq > since is replayed in order (live notifications in their current version, and edits or recalls of ones the device holds); without it, every event no device has acked. A device holds at most `window` unacked frames (default and maximum `INBOX_WINDOW`, 1,000). A device may send 20 frames per second (bursts of 40; pings and acks that advance are free); past that it gets an `error` frame `rate_limited` and the socket is closed with code 4008. A frame over 69632 bytes is answered `frame_too_large` unread (it still costs its frame). Connects count against the user's request rate limit (429).
         */
        get: operations["connectInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/connect-tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a connect ticket
         * @description A single-use ticket for `GET /v1/me/connect?ticket=`, valid 60 s (less if the token expires sooner), so the long-lived user token never appears in a URL. Takes the user token in the Authorization header; a ticket is refused anywhere else.
         */
        post: operations["createConnectTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my inbox
         * @description Newest first; `unread=true` for unread only. Archived items are left out unless `archived=include` (all) or `archived=only` (`true`/`false` mean `only`/`exclude`); snoozed items until their snooze ends; `tag` and `category` narrow further (docs/api.md#feed). Includes the exact `unreadCount` of the feed.
         */
        get: operations["listMyNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My exact unread count
         * @description Counted by the inbox, never capped: what a badge should show.
         */
        get: operations["getMyUnreadCount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark one notification read
         * @description Idempotent. Other devices get a `read` frame with the new unread count.
         */
        post: operations["markMyNotificationRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark everything up to a seq read
         * @description Items with seq > `upToSeq` (e.g. arriving meanwhile) stay unread, so there is no race with arrivals.
         */
        post: operations["markAllMyNotificationsRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/{id}/snooze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Snooze one notification
         * @description Hides the item from the list and the counts until `until`; then it comes back under a new seq (a `state` frame with `snoozedUntil: null`). Snoozing again moves the time.
         */
        post: operations["snoozeMyNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/{id}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark one notification seen, unread, archived or unarchived
         * @description Idempotent: an item already in that state does not change. Each change takes its own seq and every device of the user gets a `state` frame (docs/protocol.md#feed-state). Archived items leave the default list and the counts; archive and read shorten the item's retention to 7 days, unread and unarchive give the longer one back. (Read has its own route.)
         */
        post: operations["changeMyNotificationState"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change many notifications at once
         * @description One state change for up to 1,000 ids, or for every item up to a seq (no race with arrivals after it). Ids not in the inbox are ignored. Each changed item takes its own seq and every device gets its `state` frame.
         */
        post: operations["changeMyNotificationsInBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My exact feed counts
         * @description Exact and uncapped, over the feed: live items that are not archived and not snoozed (as Knock counts). `byTag` has the same three counts for each tag in use.
         */
        get: operations["getMyNotificationCounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/notifications/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ack what a connection received
         * @description How a Server-Sent Events client acks (any connection may): cumulative, every event with seq ≤ `seq` sent on connection `connectionId` (from its `hello`) is received. Items become `delivered` only so, never on send; the freed window lets more frames flow (docs/protocol.md#server-sent-events). 404 when the connection is not open, 409 for a seq it was never sent.
         */
        post: operations["ackMyNotifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The inbox as Server-Sent Events
         * @description `text/event-stream` with the WebSocket's server frames, each as the `data:` of one event. Events in the user's sequence carry `id: <seq>`; `hello`, `read` and `error` carry no id; a comment every 25 s keeps proxies from closing an idle stream. Resumes after `Last-Event-ID` (what a browser sends on reconnect; it wins over `since`), else after `since`, else after what no device has acked — as the WebSocket. The device acks over REST (`POST /v1/me/notifications/ack {connectionId, seq}`); it is sent at most `window` unacked events. Seen, read and the other feed actions go over REST too. Counts against `INBOX_MAX_SOCKETS` with the sockets (409); ends when the user token expires. A ticket works once: reconnect with a new one.
         */
        get: operations["streamMyInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read my preferences
         * @description The effective document: what the user set, over the workspace defaults, over everything on.
         */
        get: operations["getMyPreferences"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change my preferences
         * @description An RFC 7396 JSON Merge Patch (`application/merge-patch+json` or `application/json`): members merge, `null` removes one. Applied inside the database, so concurrent patches to different members all survive. Unknown channels, bad category names (`^[a-z0-9_.-]{1,64}$`), bad `HH:MM` times or IANA zones, a patch over 16 KiB or a result with more than 200 categories → 400 `validation_failed` naming the field, nothing stored.
         */
        patch: operations["updateMyPreferences"];
        trace?: never;
    };
    "/v1/users/{userId}/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a user's preferences
         * @description The user's effective document (their own settings over the workspace defaults) with its `version`.
         */
        get: operations["getUserPreferences"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user's preferences
         * @description An RFC 7396 JSON Merge Patch (`application/merge-patch+json` or `application/json`): members merge, `null` removes one. Applied inside the database, so concurrent patches to different members all survive. Unknown channels, bad category names (`^[a-z0-9_.-]{1,64}$`), bad `HH:MM` times or IANA zones, a patch over 16 KiB or a result with more than 200 categories → 400 `validation_failed` naming the field, nothing stored.
         */
        patch: operations["updateUserPreferences"];
        trace?: never;
    };
    "/v1/preferences/defaults": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the workspace defaults
         * @description What every user gets for the members they have not set (missing here too: on).
         */
        get: operations["getPreferenceDefaults"];
        /**
         * Replace the workspace defaults
         * @description The whole defaults document (no nulls); validated as a patch is.
         */
        put: operations["replacePreferenceDefaults"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/preferences/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Patch many users' preferences
         * @description Up to 1000 `{userId, patch}` items, each an RFC 7396 merge patch as in `PATCH /v1/users/{userId}/preferences`. Per-item results in request order: `updated` (with the new `version`), `invalid` (the item failed validation, its user repeats an earlier item, or the result would exceed 200 categories; nothing stored for it), `failed` (transient: retry it).
         */
        post: operations["updatePreferencesInBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/preferences/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a link to my hosted preference page
         * @description A `/preferences?token=` URL for the calling user, valid 30 days (the /inbox page links to it).
         */
        post: operations["createMyPreferencesLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/unsubscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unsubscribe confirmation page
         * @description Shows what the link would unsubscribe from, with a button that `POST`s it. Changes nothing: link scanners open every URL.
         */
        get: operations["showUnsubscribePage"];
        put?: never;
        /**
         * One-click unsubscribe (RFC 8058)
         * @description Turns the token's category off on its channel (email) for its user: `unsubscribed.<category>.<channel> = true` in the preference document, which skips those deliveries with `reason: "unsubscribed"`. No other credential; the body (`List-Unsubscribe=One-Click`) is ignored. Repeating it changes nothing more. A forged or tampered token → 400, nothing changed.
         */
        post: operations["unsubscribeOneClick"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/preferences/by-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read preferences with a preference-page link
         * @description For the hosted page `/preferences?token=`: the token (from `{{preferencesUrl}}` or `POST /v1/me/preferences/link`) is the only credential.
         */
        get: operations["getPreferencesByLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change preferences with a preference-page link
         * @description The same RFC 7396 merge patch as `PATCH /v1/me/preferences`, for the token's user.
         */
        patch: operations["updatePreferencesByLink"];
        trace?: never;
    };
    "/v1/users/{userId}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Is a user online
         * @description Exact, from the user's inbox: `online` when at least one device holds a WebSocket; `lastSeenAt` is now while online, else the last connect or disconnect.
         */
        get: operations["getUserPresence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is online
         * @description Users with at least one open WebSocket, by user id, paginated. Mirrored from the inboxes through a queue: a change shows here within about a second.
         */
        get: operations["listOnlineUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/push-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my Web Push subscriptions
         * @description By endpoint, paginated. Keys are not shown.
         */
        get: operations["listMyPushSubscriptions"];
        put?: never;
        /**
         * Register a Web Push subscription
         * @description Stores the browser's subscription for the calling user: 201 when new, 200 when the endpoint was known (its keys are replaced, and an endpoint registered by another user moves to this one — it is one browser profile). The endpoint must be https on port 443 at a known push service (FCM, Mozilla autopush, Apple, Windows WNS, or a host of the var `PUSH_ENDPOINT_HOSTS`); a user holds at most 20 (409 `conflict` past that).
         */
        post: operations["registerMyPushSubscription"];
        /**
         * Remove a Web Push subscription
         * @description By `endpoint` (the whole subscription JSON is accepted too), e.g. after `PushSubscription.unsubscribe()`.
         */
        delete: operations["deleteMyPushSubscription"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user
         * @description The user as last stored; a deleted user is 404.
         */
        get: operations["getUser"];
        /**
         * Create or update a user
         * @description Fields given are set (`null` clears one), fields omitted are kept. A real change increments `version` and emits `user.created`, `user.updated` or `user.status_changed`; an unchanged upsert changes nothing and emits nothing. Concurrent upserts serialise: none is lost, no version is reused.
         */
        put: operations["upsertUser"];
        post?: never;
        /**
         * Delete a user
         * @description Soft delete: `version` increments and `user.deleted` is emitted. A later `PUT` creates the user anew (`user.created`).
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sync targets
         * @description Oldest first, paginated. Secrets are never listed.
         */
        get: operations["listSyncTargets"];
        put?: never;
        /**
         * Register a sync target
         * @description Returns the `whsec_` signing secret once; it is stored encrypted and never shown again.
         */
        post: operations["createSyncTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/targets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a sync target
         * @description The target's settings (its secret is never shown again).
         */
        get: operations["getSyncTarget"];
        put?: never;
        post?: never;
        /**
         * Delete a sync target
         * @description Pending deliveries to it end `failed` (target deleted) when next attempted.
         */
        delete: operations["deleteSyncTarget"];
        options?: never;
        head?: never;
        /**
         * Change a sync target
         * @description `enabled: true` re-enables a target disabled by a 410; reconciliation then brings it up to date.
         */
        patch: operations["updateSyncTarget"];
        trace?: never;
    };
    "/v1/sync/targets/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a target's signing secret
         * @description Returns the new secret once. For 24 hours messages carry two signatures (old and new secret), so receivers can switch without dropping any.
         */
        post: operations["rotateSyncTargetSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sync deliveries
         * @description Newest first, paginated, filtered by `targetId` and `status`; attempts, latency (ms) and last error per delivery.
         */
        get: operations["listSyncDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a sync delivery now
         * @description Puts a failed, dead or pending delivery back on the queue with a fresh attempt budget; the `webhook-id` stays the same.
         */
        post: operations["retrySyncDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find and repair drift between users and targets
         * @description For every enabled target (or `targetId`), finds each user whose acknowledged version lags its version — users created before the target existed included — past the grace period (`graceSeconds`, default `SYNC_GRACE_SECONDS`, 300), and enqueues a `user.snapshot` repair. Scans in bounded chunks; what one request does not reach continues on the queue (`complete: false`). The cron runs the same check continuously.
         */
        post: operations["reconcileSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{name}/subscribers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a topic's subscribers */
        get: operations["listTopicSubscribers"];
        /**
         * Subscribe users to a topic (idempotent)
         * @description Adds up to 1,000 users in one statement; users already subscribed keep their subscription.
         */
        put: operations["addTopicSubscribers"];
        post?: never;
        /**
         * Unsubscribe users from a topic (idempotent)
         * @description Removes up to 1,000 users in one statement; users not subscribed are ignored.
         */
        delete: operations["removeTopicSubscribers"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/topics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the topics a user is subscribed to */
        get: operations["listUserTopics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/topics/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether I am subscribed to a self-service topic
         * @description With a user token, on a topic marked `selfService`: whether the caller is among its subscribers.
         */
        get: operations["getMyTopicSubscription"];
        /**
         * Subscribe myself to a self-service topic (idempotent)
         * @description With a user token, on a topic marked `selfService`: adds the caller to its subscribers; subscribing twice keeps the first `subscribedAt`.
         */
        put: operations["subscribeMeToTopic"];
        post?: never;
        /**
         * Unsubscribe myself from a self-service topic (idempotent)
         * @description With a user token, on a topic marked `selfService`: removes the caller from its subscribers; a caller not subscribed gets `subscribed: false` all the same.
         */
        delete: operations["unsubscribeMeFromTopic"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/broadcasts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A broadcast's fan-out progress
         * @description `recipients` is the topic's subscriber count at acceptance; `fannedOut` counts those whose inbox holds the item (or whose preferences kept it out). `status`: `accepted` → `fanning_out` → `completed` (`fannedOut = recipients`); `failed` while `failed` recipients wait in dead letters (docs/api.md#audiences).
         */
        get: operations["getBroadcast"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create a topic (idempotent)
         * @description `selfService: true` lets a user token subscribe and unsubscribe itself (`/v1/me/topics/{name}`); given on an existing topic, it is applied (the description is kept).
         */
        put: operations["createTopic"];
        post?: never;
        /**
         * Delete a topic, its subscriptions and its subscribers
         * @description Messages already published keep their history.
         */
        delete: operations["deleteTopic"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List topics */
        get: operations["listTopics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{name}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish a message
         * @description Stores the message and fans it out to the topic's subscriptions when due. Delays past the queue's 12-hour maximum are scheduled, never truncated. `Idempotency-Key` works as on notifications (replay, 422 on another body, 409 in flight).
         */
        post: operations["publishMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a published message with its deliveries */
        get: operations["getMessage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{name}/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a topic's subscriptions */
        get: operations["listTopicSubscriptions"];
        put?: never;
        /**
         * Subscribe to a topic
         * @description `webhook`: each message is POSTed as a Standard Webhooks message; the `whsec_` secret is returned once. `notify`: each message becomes a notification (template + channels) for the user at `userIdPointer` in the payload, once per message.
         */
        post: operations["createTopicSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unsubscribe */
        delete: operations["deleteSubscription"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a template
         * @description The template as last saved.
         */
        get: operations["getTemplate"];
        /**
         * Create or replace a template
         * @description A Mustache syntax error in `subject` or `body` → 422 `template_invalid` and nothing saved.
         */
        put: operations["upsertTemplate"];
        post?: never;
        /**
         * Delete a template
         * @description Notifications already accepted keep what they rendered; new ones naming it are refused.
         */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List templates
         * @description Every template, by name, paginated.
         */
        get: operations["listTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{name}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Render a template with data
         * @description Renders exactly as a notification would. Variables missing from `data` → 422 `template_invalid` naming every one.
         */
        post: operations["previewTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a workflow
         * @description The current version of the definition.
         */
        get: operations["getWorkflow"];
        /**
         * Create or replace a workflow
         * @description Saves the definition as a new version. Checked at save: every channel step names an existing template, a digest is only the first step, and an `if` other than `always` has an `in_app` step before it — otherwise 422 `workflow_invalid` naming each step (`steps.<i>`). Runs already started keep the version they started with.
         */
        put: operations["putWorkflow"];
        post?: never;
        /**
         * Delete a workflow
         * @description Later triggers answer 404; runs already started finish with the definition they started with.
         */
        delete: operations["deleteWorkflow"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List workflows
         * @description Every definition, in key order, paginated.
         */
        get: operations["listWorkflows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{key}/trigger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trigger a workflow
         * @description Starts one run per recipient (or joins the recipient's open digest), through the workflows queue. The recipients are fixed at acceptance; `to` over 1000 users → 413 `payload_too_large`. With `Idempotency-Key`: the same key and body answers the same `triggerId` (`Idempotent-Replayed: true`) and starts no second run; another body → 422 `idempotency_key_reused`; in flight → 409 `idempotency_key_in_use`.
         */
        post: operations["triggerWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflow-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a workflow run
         * @description The run with its step timeline, read from the recipient's own UserWorkflows object. Finished runs are kept 30 days.
         */
        get: operations["getWorkflowRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflow-runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a workflow run
         * @description A running run sends nothing more and ends `cancelled`; a finished run is answered as it is. Idempotent.
         */
        post: operations["cancelWorkflowRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/workflow-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's workflow runs
         * @description Newest first, paginated, from the user's UserWorkflows object (finished runs are kept 30 days).
         */
        get: operations["listUserWorkflowRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List rendered messages the outbox provider kept
         * @description Newest first, paginated, optionally by `channel`.
         */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List dead letters
         * @description Newest first, paginated, optionally by `source`. Each letter says what its work was about (`subject`: topic, target, recipient), read from the rows its payload names.
         */
        get: operations["listDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters/{id}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a dead letter back to work
         * @description Reopens the failed work with a fresh attempt budget and puts it back on the queue it came from; the dead letter is removed. If the cause is fixed, it then succeeds.
         */
        post: operations["redriveDeadLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Discard a dead letter
         * @description Removes it for good; the failed work is not retried.
         */
        delete: operations["deleteDeadLetter"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dev/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a user token without an API key (local development only)
         * @description **Development only.** Answers 404 unless the var `ALLOW_DEV_TOKENS` is `"true"` (`npm start` sets it; deployed Workers keep the default `"false"`). Returns a 24-hour user token for `userId`, as `POST /v1/users/{userId}/tokens` would with an API key, so the `/inbox` page can sign in locally.
         */
        post: operations["createDevToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dev/cost": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the cost tracer counted (local development only)
         * @description **Development only** (docs/cost.md). Answers 404 unless `ALLOW_DEV_TOKENS` and `COST_TRACE` are both `"true"`. Returns what every operation since the last reset cost on the billed meters: D1 round trips, statements and rows; queue messages; Durable Object requests and SQLite rows; Worker invocations. The bench's `cost` scenario reads it.
         */
        get: operations["getCostLedger"];
        put?: never;
        post?: never;
        /**
         * Zero the cost tracer (local development only)
         * @description **Development only** (docs/cost.md): as `GET /dev/cost`, gated the same way; starts counting from zero.
         */
        delete: operations["resetCostLedger"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Operational figures
         * @description The figures the console shows: see docs/api.md#stats-and-metrics for each one and its window.
         */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-minute history of the main figures
         * @description The samples the cron takes every minute (kept 7 days): cumulative counters and gauges. The console draws its charts from the last hour of them on load. docs/api.md#stats-and-metrics
         */
        get: operations["getStatsHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Counters, histograms and gauges for Prometheus
         * @description Text exposition format 0.0.4 with `# HELP`/`# TYPE` lines; passes `promtool check metrics`. Send the API key as a bearer token. Every metric: docs/api.md#stats-and-metrics.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "userId": "user_42",
         *       "template": "order-shipped",
         *       "data": {
         *         "orderId": "1234",
         *         "carrier": "DHL"
         *       },
         *       "channels": [
         *         "in_app",
         *         "email"
         *       ],
         *       "priority": "normal",
         *       "ttlSeconds": 86400,
         *       "delaySeconds": 0,
         *       "category": "orders",
         *       "critical": false
         *     }
         */
        NotificationInput: {
            /**
             * @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`.
             * @example user_42
             */
            userId: string;
            /** @description Name of a stored template to render (`PUT /v1/templates/{name}`); excludes `title`/`body`. */
            template?: string;
            /** @description Template variables and app data delivered with the notification; at most 16 KiB of JSON. */
            data?: {
                [key: string]: unknown;
            };
            /** @description Literal title, 1–512 characters; excludes `template`. */
            title?: string;
            /** @description Literal body, 1–8,192 characters; excludes `template`. */
            body?: string;
            /**
             * @description Channels to deliver on, each at most once; default `["in_app"]`.
             * @default [
             *       "in_app"
             *     ]
             */
            channels: ("in_app" | "email" | "sms" | "push")[];
            /**
             * @description Delivery priority: `high` jumps the inbox queue, `low` may wait for a batch.
             * @default normal
             * @enum {string}
             */
            priority: "high" | "normal" | "low";
            /** @description Seconds after which an unread in-app notification expires, 1 to 30 days; default: never before the inbox's 30-day retention. */
            ttlSeconds?: number;
            /**
             * @description Preference category; default: the template's, else `general`.
             * @example billing
             */
            category?: string;
            /** @description Security alerts, one-time codes: bypasses preferences and quiet hours. */
            critical?: boolean;
            /**
             * @description Up to 10 distinct tags: the feed's tabs and `?tag=` filter.
             * @example [
             *       "billing",
             *       "account"
             *     ]
             */
            tags?: string[];
            /**
             * @description Up to 3 buttons shown on the feed item.
             * @example [
             *       {
             *         "label": "View invoice",
             *         "url": "https://app.example.com/invoices/42"
             *       }
             *     ]
             */
            actions?: {
                /** @description Button text, 1–64 characters. */
                label: string;
                /** @description https URL or an app-relative path. */
                url: string;
            }[];
            /** @description Seconds to hold the notification before it is delivered, 0 to 30 days. */
            delaySeconds?: number;
        };
        /**
         * @example {
         *       "topic": "wallet.recharged",
         *       "title": "Top-up bonus",
         *       "body": "Recharge today and get 10% extra.",
         *       "data": {
         *         "campaign": "spring"
         *       },
         *       "channels": [
         *         "in_app"
         *       ],
         *       "priority": "low",
         *       "ttlSeconds": 604800,
         *       "category": "marketing",
         *       "critical": false
         *     }
         */
        BroadcastInput: {
            /**
             * @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots.
             * @example wallet.recharged
             */
            topic: string;
            /** @description Name of a stored template to render (`PUT /v1/templates/{name}`); excludes `title`/`body`. */
            template?: string;
            /** @description Template variables and app data delivered with the notification; at most 16 KiB of JSON. */
            data?: {
                [key: string]: unknown;
            };
            /** @description Literal title, 1–512 characters; excludes `template`. */
            title?: string;
            /** @description Literal body, 1–8,192 characters; excludes `template`. */
            body?: string;
            /**
             * @description Only `in_app`: a broadcast reaches each recipient's inbox; other channels are refused with `validation_failed`.
             * @default [
             *       "in_app"
             *     ]
             */
            channels: "in_app"[];
            /**
             * @description Delivery priority: `high` jumps the inbox queue, `low` may wait for a batch.
             * @default normal
             * @enum {string}
             */
            priority: "high" | "normal" | "low";
            /** @description Seconds after which an unread in-app notification expires, 1 to 30 days; default: never before the inbox's 30-day retention. */
            ttlSeconds?: number;
            /**
             * @description Preference category; default: the template's, else `general`.
             * @example billing
             */
            category?: string;
            /** @description Security alerts, one-time codes: bypasses preferences and quiet hours. */
            critical?: boolean;
            /**
             * @description Up to 10 distinct tags: the feed's tabs and `?tag=` filter.
             * @example [
             *       "billing",
             *       "account"
             *     ]
             */
            tags?: string[];
            /**
             * @description Up to 3 buttons shown on the feed item.
             * @example [
             *       {
             *         "label": "View invoice",
             *         "url": "https://app.example.com/invoices/42"
             *       }
             *     ]
             */
            actions?: {
                /** @description Button text, 1–64 characters. */
                label: string;
                /** @description https URL or an app-relative path. */
                url: string;
            }[];
        };
        /** @description A notification request plus its own required `idempotencyKey`. */
        NotificationBatchItem: {
            /**
             * @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`.
             * @example user_42
             */
            userId: string;
            /** @description Name of a stored template to render (`PUT /v1/templates/{name}`); excludes `title`/`body`. */
            template?: string;
            /** @description Template variables and app data delivered with the notification; at most 16 KiB of JSON. */
            data?: {
                [key: string]: unknown;
            };
            /** @description Literal title, 1–512 characters; excludes `template`. */
            title?: string;
            /** @description Literal body, 1–8,192 characters; excludes `template`. */
            body?: string;
            /**
             * @description Channels to deliver on, each at most once; default `["in_app"]`.
             * @default [
             *       "in_app"
             *     ]
             */
            channels: ("in_app" | "email" | "sms" | "push")[];
            /**
             * @description Delivery priority: `high` jumps the inbox queue, `low` may wait for a batch.
             * @default normal
             * @enum {string}
             */
            priority: "high" | "normal" | "low";
            /** @description Seconds after which an unread in-app notification expires, 1 to 30 days; default: never before the inbox's 30-day retention. */
            ttlSeconds?: number;
            /**
             * @description Preference category; default: the template's, else `general`.
             * @example billing
             */
            category?: string;
            /** @description Security alerts, one-time codes: bypasses preferences and quiet hours. */
            critical?: boolean;
            /**
             * @description Up to 10 distinct tags: the feed's tabs and `?tag=` filter.
             * @example [
             *       "billing",
             *       "account"
             *     ]
             */
            tags?: string[];
            /**
             * @description Up to 3 buttons shown on the feed item.
             * @example [
             *       {
             *         "label": "View invoice",
             *         "url": "https://app.example.com/invoices/42"
             *       }
             *     ]
             */
            actions?: {
                /** @description Button text, 1–64 characters. */
                label: string;
                /** @description https URL or an app-relative path. */
                url: string;
            }[];
            /** @description Seconds to hold the notification before it is delivered, 0 to 30 days. */
            delaySeconds?: number;
            /**
             * @description Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer.
             * @example order-1234-shipped
             */
            idempotencyKey: string;
        };
        /**
         * @description An RFC 7396 merge patch: members given replace, `null` removes, members omitted are kept.
         * @example {
         *       "channels": {
         *         "sms": false
         *       },
         *       "categories": {
         *         "marketing": {
         *           "enabled": false
         *         }
         *       },
         *       "quietHours": {
         *         "start": "22:00",
         *         "end": "07:00",
         *         "timezone": "Europe/Berlin"
         *       }
         *     }
         */
        PreferencePatch: {
            /** @description Channel switches that apply to every category: false turns a channel off. Null removes every switch. */
            channels?: {
                /** @description The in-app inbox and WebSocket. */
                in_app?: boolean | null;
                /** @description Email. */
                email?: boolean | null;
                /** @description SMS. */
                sms?: boolean | null;
                /** @description Web Push. */
                push?: boolean | null;
            } | null;
            /** @description Per-category settings, keyed by category (at most 200). Null removes a category's settings. */
            categories?: {
                [key: string]: {
                    /** @description False turns the whole category off, on every channel. */
                    enabled?: boolean | null;
                    /** @description Per-channel switches inside this category, over the top-level ones. */
                    channels?: {
                        /** @description The in-app inbox and WebSocket. */
                        in_app?: boolean | null;
                        /** @description Email. */
                        email?: boolean | null;
                        /** @description SMS. */
                        sms?: boolean | null;
                        /** @description Web Push. */
                        push?: boolean | null;
                    } | null;
                } | null;
            } | null;
            /**
             * @description The quiet window, written whole; null removes it.
             * @example {
             *       "start": "22:00",
             *       "end": "07:00",
             *       "timezone": "Europe/Berlin",
             *       "channels": [
             *         "email",
             *         "sms",
             *         "push"
             *       ]
             *     }
             */
            quietHours?: {
                /**
                 * @description Start of the quiet window, HH:MM local time.
                 * @example 22:00
                 */
                start: string;
                /**
                 * @description End of the quiet window, HH:MM local time; before `start` means it spans midnight.
                 * @example 22:00
                 */
                end: string;
                /**
                 * @description IANA time zone the window is in; default: the user's `timezone`, else UTC.
                 * @example Europe/Berlin
                 */
                timezone?: string;
                /** @description Channels held; default email, sms, push (in-app is never held). */
                channels?: ("in_app" | "email" | "sms" | "push")[];
            } | null;
            /** @description One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe. */
            unsubscribed?: {
                [key: string]: {
                    /** @description The in-app inbox and WebSocket. */
                    in_app?: boolean | null;
                    /** @description Email. */
                    email?: boolean | null;
                    /** @description SMS. */
                    sms?: boolean | null;
                    /** @description Web Push. */
                    push?: boolean | null;
                } | null;
            } | null;
        };
        /**
         * @example {
         *       "status": "ok",
         *       "checks": {
         *         "d1": "ok",
         *         "storage": "ok",
         *         "config": "ok"
         *       }
         *     }
         */
        Health: {
            /**
             * @description `ok`, or `degraded` when a check failed (503) or storage is over 80% of D1's limit (200).
             * @enum {string}
             */
            status: "ok" | "degraded";
            /**
             * @description Each check by name (`d1`, `storage`, `config`): `ok`, or what is wrong.
             * @example {
             *       "d1": "ok",
             *       "storage": "ok",
             *       "config": "ok"
             *     }
             */
            checks: {
                [key: string]: string;
            };
        };
        /**
         * @example {
         *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzQyIn0.sig",
         *       "expiresAt": "2026-11-21T12:00:00.000Z"
         *     }
         */
        UserToken: {
            /** @description The user token (HS256 JWT): `Authorization: Bearer <token>` on `/v1/me/*`. */
            token: string;
            /**
             * @description When the token expires (ISO 8601).
             * @example 2026-11-21T12:00:00.000Z
             */
            expiresAt: string;
        };
        /**
         * @description RFC 9457 problem details with a stable machine `code`.
         * @example {
         *       "type": "/problems/validation-failed",
         *       "title": "Validation Failed",
         *       "status": 400,
         *       "detail": "The request does not match the schema.",
         *       "code": "validation_failed",
         *       "errors": [
         *         {
         *           "path": "priority",
         *           "message": "Invalid option: expected one of \"high\"|\"normal\"|\"low\""
         *         }
         *       ]
         *     }
         */
        Problem: {
            /** @description URI reference of the problem type, relative to the API origin (`/problems/validation-failed`); its page explains the code. */
            type: string;
            /** @description Short human-readable summary of the problem type; the same for every occurrence of a code. */
            title: string;
            /** @description The HTTP status code of this response. */
            status: number;
            /** @description What went wrong in this request, for a human. */
            detail: string;
            /** @description Stable snake_case machine code to switch on (docs/api.md#errors). */
            code: string;
            /** @description Every validation error, for `validation_failed`. */
            errors?: {
                /** @description Dotted path of the offending field (`items.3.userId`); empty for the whole body. */
                path: string;
                /** @description Why the value was refused. */
                message: string;
            }[];
            /** @description The request id to quote when reporting an `internal` error; the same as the `X-Request-Id` header. */
            requestId?: string;
        };
        /**
         * @example {
         *       "ttlSeconds": 3600
         *     }
         */
        TokenRequest: {
            /**
             * @description Lifetime in seconds, 60..86,400 (24 h).
             * @default 3600
             */
            ttlSeconds: number;
        };
        /**
         * @example {
         *       "accepted": 1,
         *       "eventIds": [
         *         "01JC3Z8Q4W5V6X7Y8Z9A0B1C2D"
         *       ]
         *     }
         */
        BehavioursAccepted: {
            /**
             * @description How many events were accepted (all of them: a batch is all or nothing).
             * @example 1
             */
            accepted: number;
            /**
             * @description Event ids in request order.
             * @example [
             *       "01JC3Z8Q4W5V6X7Y8Z9A0B1C2D"
             *     ]
             */
            eventIds: string[];
        };
        /**
         * @example {
         *       "userId": "user_42",
         *       "targetId": "post_981",
         *       "type": "like",
         *       "action": "add",
         *       "occurredAt": "2026-11-01T12:00:00Z",
         *       "targetOwnerId": "user_7",
         *       "eventId": "app-evt-5521"
         *     }
         */
        BehaviourEvent: {
            /**
             * @description Who did it (the actor).
             * @example user_42
             */
            userId: string;
            /**
             * @description What the behaviour is about (a post, a product, a user), in your ids.
             * @example post_981
             */
            targetId: string;
            /**
             * @description Kind of behaviour.
             * @example like
             * @enum {string}
             */
            type: "like" | "favorite" | "follow" | "share" | "view" | "comment";
            /**
             * @description `remove` undoes the behaviour (kept as a tombstone).
             * @default add
             * @enum {string}
             */
            action: "add" | "remove";
            /**
             * Format: date-time
             * @description When it happened (ISO-8601); the latest event per (user, target, type) wins. Default: now.
             * @example 2026-11-01T12:00:00Z
             */
            occurredAt?: string;
            /**
             * @description Owner of the target; notified once on the first `add` by this actor.
             * @example user_42
             */
            targetOwnerId?: string;
            /** @description Your id for the event; breaks ties between events of the same millisecond. Default: a new ULID. */
            eventId?: string;
        };
        /**
         * @example {
         *       "events": [
         *         {
         *           "userId": "user_42",
         *           "targetId": "post_981",
         *           "type": "like",
         *           "action": "add",
         *           "occurredAt": "2026-11-01T12:00:00Z",
         *           "targetOwnerId": "user_7",
         *           "eventId": "app-evt-5521"
         *         },
         *         {
         *           "userId": "user_43",
         *           "targetId": "user_7",
         *           "type": "follow",
         *           "action": "add",
         *           "occurredAt": "2026-11-01T12:00:01Z",
         *           "targetOwnerId": "user_7",
         *           "eventId": "app-evt-5522"
         *         }
         *       ]
         *     }
         */
        BehaviourBatch: {
            /** @description 1 to 1000 behaviour events, stored in order. */
            events: components["schemas"]["BehaviourEvent"][];
        };
        /**
         * @example {
         *       "items": [
         *         {
         *           "userId": "user_42",
         *           "targetId": "post_981",
         *           "type": "like",
         *           "occurredAt": "2026-11-01T12:00:00.000Z",
         *           "targetOwnerId": "user_7"
         *         }
         *       ],
         *       "nextCursor": null
         *     }
         */
        BehaviourPage: {
            /** @description This page's behaviours, newest `occurredAt` first. */
            items: components["schemas"]["Behaviour"][];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            nextCursor: string | null;
        };
        /**
         * @example {
         *       "userId": "user_42",
         *       "targetId": "post_981",
         *       "type": "like",
         *       "occurredAt": "2026-11-01T12:00:00.000Z",
         *       "targetOwnerId": "user_7"
         *     }
         */
        Behaviour: {
            /** @description Who did it (the actor). */
            userId: string;
            /** @description What it is about. */
            targetId: string;
            /**
             * @description Kind of behaviour.
             * @example like
             * @enum {string}
             */
            type: "like" | "favorite" | "follow" | "share" | "view" | "comment";
            /**
             * @description When it happened (ISO 8601).
             * @example 2026-11-01T12:00:00.000Z
             */
            occurredAt: string;
            /** @description Owner of the target, when the event named one. */
            targetOwnerId: string | null;
        };
        /**
         * @example {
         *       "like": 12,
         *       "favorite": 3,
         *       "follow": 0,
         *       "share": 1,
         *       "view": 240,
         *       "comment": 5
         *     }
         */
        BehaviourSummary: {
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            like: number;
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            favorite: number;
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            follow: number;
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            share: number;
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            view: number;
            /** @description Active behaviours of this kind on the target (removed ones not counted). */
            comment: number;
        };
        /**
         * @example {
         *       "id": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *       "status": "accepted",
         *       "userId": "user_42",
         *       "channels": [
         *         "in_app",
         *         "email"
         *       ],
         *       "priority": "normal",
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "deliverAt": "2026-03-01T09:00:00.000Z",
         *       "expiresAt": "2026-03-02T09:00:00.000Z"
         *     }
         */
        NotificationAccepted: {
            /** @description Notification id (ULID); read it back with `GET /v1/notifications/{id}`. */
            id: string;
            /**
             * @description Always `accepted`: delivery happens in the background.
             * @enum {string}
             */
            status: "accepted";
            /** @description The recipient's user id. */
            userId: string;
            /** @description Channels it will be delivered on. */
            channels: string[];
            /** @description `high`, `normal` or `low`. */
            priority: string;
            /** @description When it was accepted (ISO 8601). */
            createdAt: string;
            /** @description When it is due: now plus `delaySeconds` (ISO 8601). */
            deliverAt: string;
            /** @description When an unread in-app copy expires, if `ttlSeconds` was given. */
            expiresAt: string | null;
        };
        /**
         * @example {
         *       "broadcastId": "01JN8Z7A2B3C4D5E6F7G8H9J0K",
         *       "recipients": 1200
         *     }
         */
        BroadcastAccepted: {
            /** @description Broadcast id; follow its fan-out with `GET /v1/broadcasts/{id}`. */
            broadcastId: string;
            /** @description The topic's subscribers at acceptance: everyone this broadcast reaches. */
            recipients: number;
        };
        /**
         * @example {
         *       "results": [
         *         {
         *           "index": 0,
         *           "idempotencyKey": "digest-2026-03-01-user_42",
         *           "notificationId": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *           "status": "created",
         *           "isIdempotent": false,
         *           "processedAt": "2026-03-01T09:00:00.000Z"
         *         },
         *         {
         *           "index": 1,
         *           "idempotencyKey": "digest-2026-03-01-user_43",
         *           "notificationId": "01JN8Z6Q4C7T2V9XK3M5R8B1DX",
         *           "status": "duplicate",
         *           "isIdempotent": true,
         *           "processedAt": "2026-03-01T09:00:00.000Z",
         *           "deliveryStatus": "delivered"
         *         }
         *       ],
         *       "summary": {
         *         "created": 1,
         *         "duplicate": 1,
         *         "conflict": 0,
         *         "invalid": 0,
         *         "failed": 0
         *       }
         *     }
         */
        NotificationBatchResponse: {
            /** @description One result per item, in request order. */
            results: components["schemas"]["NotificationBatchItemResult"][];
            /** @description How many items ended in each status. */
            summary: {
                /** @description Items stored as new notifications. */
                created: number;
                /** @description Items whose key and body were seen before. */
                duplicate: number;
                /** @description Items whose key was used before with another body. */
                conflict: number;
                /** @description Items refused by validation. */
                invalid: number;
                /** @description Items not stored because of an internal error; retry them. */
                failed: number;
            };
        };
        /**
         * @example {
         *       "index": 0,
         *       "idempotencyKey": "digest-2026-03-01-user_42",
         *       "notificationId": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *       "status": "created",
         *       "isIdempotent": false,
         *       "processedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        NotificationBatchItemResult: {
            /** @description Position of the item in the request's `items`, from 0. */
            index: number;
            /** @description The item's key (`null` when the item had none or was not an object). */
            idempotencyKey: string | null;
            /** @description The notification the key stands for: new (`created`) or earlier (`duplicate`). */
            notificationId: string | null;
            /**
             * @description `created` new; `duplicate` same key and body as before; `conflict` same key, other body; `invalid` refused; `failed` not stored, retry it.
             * @enum {string}
             */
            status: "created" | "duplicate" | "conflict" | "invalid" | "failed";
            /** @description True when the answer is a replay of an earlier request with this key. */
            isIdempotent: boolean;
            /** @description When this item was judged (ISO 8601). */
            processedAt: string;
            /** @description For a `duplicate`: the in-app delivery status of the earlier notification. */
            deliveryStatus?: string | null;
            /** @description Why an item is `conflict`, `invalid` or `failed`. */
            error?: {
                /** @description Machine code, as in a problem document. */
                code: string;
                /** @description What was wrong with the item. */
                detail: string;
                /** @description Validation errors of an `invalid` item. */
                errors?: {
                    /** @description Dotted path inside the item. */
                    path: string;
                    /** @description Why the value was refused. */
                    message: string;
                }[];
            };
        };
        /**
         * @example {
         *       "items": [
         *         {
         *           "idempotencyKey": "digest-2026-03-01-user_42",
         *           "userId": "user_42",
         *           "title": "Your daily digest",
         *           "body": "3 new followers",
         *           "channels": [
         *             "in_app"
         *           ],
         *           "priority": "low"
         *         },
         *         {
         *           "idempotencyKey": "digest-2026-03-01-user_43",
         *           "userId": "user_43",
         *           "template": "daily-digest",
         *           "data": {
         *             "followers": 5
         *           },
         *           "channels": [
         *             "in_app",
         *             "email"
         *           ],
         *           "priority": "low"
         *         }
         *       ],
         *       "atomic": false
         *     }
         */
        NotificationBatchRequest: {
            /** @description 1 to 1,000 notifications, each with its own `idempotencyKey`. */
            items: components["schemas"]["NotificationBatchItem"][];
            /**
             * @description All-or-nothing: any item not `created` → 422 and nothing written.
             * @default false
             */
            atomic: boolean;
        };
        /**
         * @example {
         *       "id": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *       "userId": "user_42",
         *       "idempotencyKey": "order-1234-shipped",
         *       "template": "order-shipped",
         *       "title": "Your order 1234 has shipped",
         *       "body": "DHL will deliver it tomorrow.",
         *       "data": {
         *         "orderId": "1234",
         *         "carrier": "DHL"
         *       },
         *       "channels": [
         *         "in_app"
         *       ],
         *       "priority": "normal",
         *       "category": "orders",
         *       "critical": false,
         *       "tags": [
         *         "orders"
         *       ],
         *       "actions": [
         *         {
         *           "label": "Track parcel",
         *           "url": "/orders/1234"
         *         }
         *       ],
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "updatedAt": "2026-03-01T09:00:00.000Z",
         *       "deliverAt": "2026-03-01T09:00:00.000Z",
         *       "expiresAt": "2026-03-02T09:00:00.000Z",
         *       "dispatchedAt": "2026-03-01T09:00:00.080Z",
         *       "recalledAt": null,
         *       "deliveries": [
         *         {
         *           "channel": "in_app",
         *           "status": "delivered",
         *           "reason": null,
         *           "deliverAt": null,
         *           "attempts": 1,
         *           "lastError": null,
         *           "sentAt": "2026-03-01T09:00:00.120Z",
         *           "deliveredAt": "2026-03-01T09:00:00.350Z",
         *           "readAt": null
         *         }
         *       ]
         *     }
         */
        Notification: {
            /** @description Notification id (ULID). */
            id: string;
            /** @description The recipient's user id. */
            userId: string;
            /** @description The `Idempotency-Key` it was created with, if any. */
            idempotencyKey: string | null;
            /** @description The template it was rendered from, if any. */
            template: string | null;
            /** @description Title as delivered (rendered from the template, or literal). */
            title: string | null;
            /** @description Body as delivered (rendered from the template, or literal). */
            body: string | null;
            /** @description The request's `data`, delivered with the notification. */
            data: {
                [key: string]: unknown;
            } | null;
            /** @description Channels it was sent on. */
            channels: string[];
            /**
             * @description `high`, `normal` or `low`.
             * @enum {string}
             */
            priority: "high" | "normal" | "low";
            /** @description Preference category it was judged under. */
            category: string;
            /** @description Whether it bypassed preferences and quiet hours. */
            critical: boolean;
            /** @description Feed tags its in-app item carries (docs/api.md#feed); empty when none. */
            tags: string[];
            /** @description Buttons its in-app item shows (docs/api.md#feed); empty when none. */
            actions: {
                /** @description Button text. */
                label: string;
                /** @description https URL or a path relative to the app. */
                url: string;
            }[];
            /** @description When it was accepted (ISO 8601). */
            createdAt: string;
            /** @description Last change: creation, an edit or the recall. */
            updatedAt: string;
            /** @description When it is (or was) due: creation plus `delaySeconds` (ISO 8601). */
            deliverAt: string;
            /** @description When an unread in-app copy expires (creation plus `ttlSeconds`), if set. */
            expiresAt: string | null;
            /** @description When the dispatch queue handed it to its channels; `null` while waiting. */
            dispatchedAt: string | null;
            /** @description When it was recalled (`DELETE /v1/notifications/{id}`), if it was. */
            recalledAt: string | null;
            /** @description One delivery per channel, by channel name. */
            deliveries: components["schemas"]["Delivery"][];
        };
        /**
         * @example {
         *       "channel": "in_app",
         *       "status": "delivered",
         *       "reason": null,
         *       "deliverAt": null,
         *       "attempts": 1,
         *       "lastError": null,
         *       "sentAt": "2026-03-01T09:00:00.120Z",
         *       "deliveredAt": "2026-03-01T09:00:00.350Z",
         *       "readAt": null
         *     }
         */
        Delivery: {
            /** @description The channel this delivery is on: `in_app`, `email`, `sms` or `push`. */
            channel: string;
            /**
             * @description Delivery state (docs/api.md#delivery-statuses): `queued`, `sent`, `delivered`, `read`, `failed`, `skipped`, `expired` or `recalled`.
             * @enum {string}
             */
            status: "queued" | "sent" | "delivered" | "read" | "failed" | "expired" | "recalled" | "skipped";
            /**
             * @description Why a `skipped` delivery was not sent.
             * @enum {string|null}
             */
            reason: "preference" | "unsubscribed" | null;
            /** @description Email/SMS/push held by quiet hours: not sent before this time. */
            deliverAt: string | null;
            /** @description Send attempts made so far. */
            attempts: number;
            /** @description The last attempt's error, when it failed. */
            lastError: string | null;
            /** @description When the provider or the inbox accepted it (ISO 8601). */
            sentAt: string | null;
            /** @description When a device acknowledged it (in-app) or the provider confirmed it (ISO 8601). */
            deliveredAt: string | null;
            /** @description When the user read it (in-app only, ISO 8601). */
            readAt: string | null;
        };
        /**
         * @example {
         *       "title": "Your order 1234 has shipped (updated)",
         *       "body": "UPS will deliver it tomorrow.",
         *       "data": {
         *         "orderId": "1234",
         *         "carrier": "UPS"
         *       }
         *     }
         */
        NotificationPatch: {
            /** @description New title, 1–512 characters. */
            title?: string;
            /** @description New body, 1–8,192 characters. */
            body?: string;
            /** @description Replaces `data` whole; null clears it. */
            data?: {
                [key: string]: unknown;
            } | null;
        };
        /**
         * @example {
         *       "ticket": "eyJpZCI6IjAxSk44WjZRNEM3VDJWOVhLM001UjhCMURXIiwic3ViIjoidXNlcl80MiJ9.Xq2mV1pU8aQ0n3vT5yR6wZ9cB4dE7fG1hJ2kL3mN4oP",
         *       "expiresAt": "2026-11-21T12:00:00.000Z"
         *     }
         */
        ConnectTicket: {
            /** @description Pass as `?ticket=` to `GET /v1/me/connect`; works once. */
            ticket: string;
            /**
             * @description When the ticket stops working (ISO 8601).
             * @example 2026-11-21T12:00:00.000Z
             */
            expiresAt: string;
        };
        /**
         * @example {
         *       "id": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *       "seq": 17,
         *       "title": "Your order 1234 has shipped",
         *       "body": "DHL will deliver it tomorrow.",
         *       "data": {
         *         "orderId": "1234"
         *       },
         *       "priority": "normal",
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "expiresAt": null,
         *       "readAt": null,
         *       "deliveredAt": "2026-03-01T09:00:00.350Z",
         *       "seenAt": "2026-03-01T09:00:02.000Z",
         *       "archivedAt": null,
         *       "snoozedUntil": null,
         *       "category": "orders",
         *       "tags": [
         *         "orders"
         *       ],
         *       "actions": [
         *         {
         *           "label": "Track parcel",
         *           "url": "/orders/1234"
         *         }
         *       ]
         *     }
         */
        InboxNotification: {
            /** @description Notification id (ULID). */
            id: string;
            /** @description The user's inbox sequence number: grows by one per inbox event, the order devices replay in. */
            seq: number;
            /** @description Title, in its current version. */
            title: string | null;
            /** @description Body, in its current version. */
            body: string | null;
            /** @description The notification's `data`. */
            data: {
                [key: string]: unknown;
            } | null;
            /**
             * @description `high`, `normal` or `low`.
             * @enum {string}
             */
            priority: "high" | "normal" | "low";
            /** @description When it was accepted (ISO 8601). */
            createdAt: string;
            /** @description When it expires unread (ISO 8601), if it has a TTL. */
            expiresAt: string | null;
            /** @description When the user read it (ISO 8601); `null` while unread. */
            readAt: string | null;
            /** @description When a device first acknowledged it (ISO 8601). */
            deliveredAt: string | null;
            /** @description When a device displayed it (`seen` frame or REST), else null. */
            seenAt: string | null;
            /** @description When it was archived, else null; archived items leave the default list and the counts. */
            archivedAt: string | null;
            /** @description While snoozed: when it comes back; else null. */
            snoozedUntil: string | null;
            /** @description The preference category (`general` when none was given). */
            category: string;
            /** @description Up to 10 tags for tabs and filters. */
            tags: string[];
            /** @description Up to 3 buttons. */
            actions: {
                /** @description Button text. */
                label: string;
                /** @description https URL or a path relative to the app. */
                url: string;
            }[];
        };
        /**
         * @example {
         *       "ids": [
         *         "01JN8Z6Q4C7T2V9XK3M5R8B1DW"
         *       ],
         *       "unreadCount": 2
         *     }
         */
        ReadResult: {
            /** @description Ids this call marked read (already-read ones are not repeated). */
            ids: string[];
            /** @description The exact unread count afterwards. */
            unreadCount: number;
        };
        /**
         * @example {
         *       "ids": [
         *         "01JD7Y0ZC8N7Q4W5E6R7T8Y9U0"
         *       ],
         *       "unreadCount": 3,
         *       "unseenCount": 1
         *     }
         */
        FeedChangeResult: {
            /** @description Ids whose state changed now (an item already in that state is not listed). */
            ids: string[];
            /** @description Exact unread items in the feed after the change (archived and snoozed ones not counted). */
            unreadCount: number;
            /** @description Exact unseen items in the feed after the change. */
            unseenCount: number;
        };
        /**
         * @example {
         *       "until": "2026-12-01T09:00:00.000Z"
         *     }
         */
        SnoozeRequest: {
            /**
             * Format: date-time
             * @description When the snooze ends: ISO-8601, in the future, at most 90 days ahead.
             */
            until: string;
        };
        /**
         * @example {
         *       "action": "archive",
         *       "ids": [
         *         "01JD7Y0ZC8N7Q4W5E6R7T8Y9U0"
         *       ]
         *     }
         */
        FeedBulkRequest: {
            /**
             * @description The state change for every item selected.
             * @enum {string}
             */
            action: "seen" | "read" | "unread" | "archive" | "unarchive" | "snooze";
            /** @description The items, 1–1,000 ids. Give `ids` or `upToSeq`. */
            ids?: string[];
            /** @description Every live item with seq ≤ this (items arriving later are left alone). Give `ids` or `upToSeq`. */
            upToSeq?: number;
            /**
             * Format: date-time
             * @description With `snooze` only: when the snooze ends (ISO-8601, future, ≤ 90 days).
             */
            until?: string;
        };
        /**
         * @example {
         *       "unread": 3,
         *       "unseen": 1,
         *       "total": 12,
         *       "byTag": {
         *         "billing": {
         *           "unread": 1,
         *           "unseen": 0,
         *           "total": 4
         *         }
         *       }
         *     }
         */
        FeedCounts: {
            /** @description Items in the feed not read. */
            unread: number;
            /** @description Items in the feed not seen. */
            unseen: number;
            /** @description Items in the feed: live, not archived, not snoozed. */
            total: number;
            /** @description The counts of the items carrying each tag. */
            byTag: {
                [key: string]: {
                    /** @description Items in the feed not read. */
                    unread: number;
                    /** @description Items in the feed not seen. */
                    unseen: number;
                    /** @description Items in the feed: live, not archived, not snoozed. */
                    total: number;
                };
            };
        };
        /**
         * @example {
         *       "ackedSeq": 42
         *     }
         */
        AckResult: {
            /** @description The connection's acked seq after this ack. */
            ackedSeq: number;
        };
        /**
         * @example {
         *       "connectionId": "01JD7Y0ZC8N7Q4W5E6R7T8Y9U0",
         *       "seq": 42
         *     }
         */
        AckRequest: {
            /** @description The `connectionId` of the connection's `hello` frame. */
            connectionId: string;
            /** @description The highest seq the device holds (cumulative). */
            seq: number;
        };
        /**
         * @example {
         *       "channels": {
         *         "in_app": true,
         *         "email": true,
         *         "sms": false,
         *         "push": true
         *       },
         *       "categories": {
         *         "marketing": {
         *           "enabled": false
         *         }
         *       },
         *       "quietHours": {
         *         "start": "22:00",
         *         "end": "07:00",
         *         "timezone": "Europe/Berlin",
         *         "channels": [
         *           "email",
         *           "sms",
         *           "push"
         *         ]
         *       },
         *       "unsubscribed": {
         *         "newsletter": {
         *           "email": true
         *         }
         *       },
         *       "version": 4,
         *       "updatedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        Preferences: {
            /** @description Effective channel switches: the user's over the workspace defaults over all on. */
            channels: {
                /** @description The in-app inbox and WebSocket. */
                in_app: boolean;
                /** @description Email. */
                email: boolean;
                /** @description SMS. */
                sms: boolean;
                /** @description Web Push. */
                push: boolean;
            };
            /** @description Per-category settings, keyed by category (at most 200). */
            categories: {
                [key: string]: {
                    /** @description False turns the whole category off, on every channel. */
                    enabled?: boolean;
                    /** @description Per-channel switches inside this category, over the top-level ones. */
                    channels?: {
                        /** @description The in-app inbox and WebSocket. */
                        in_app?: boolean;
                        /** @description Email. */
                        email?: boolean;
                        /** @description SMS. */
                        sms?: boolean;
                        /** @description Web Push. */
                        push?: boolean;
                    };
                };
            };
            quietHours: components["schemas"]["QuietHours"];
            /** @description One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe. */
            unsubscribed: {
                [key: string]: {
                    /** @description The in-app inbox and WebSocket. */
                    in_app?: boolean;
                    /** @description Email. */
                    email?: boolean;
                    /** @description SMS. */
                    sms?: boolean;
                    /** @description Web Push. */
                    push?: boolean;
                };
            };
            /** @description Grows with every change; send it as `If-Match`. 0 before the first. */
            version: number;
            /** @description When the user's own document last changed (ISO 8601); null before the first change. */
            updatedAt: string | null;
        };
        /**
         * @description The quiet window in force, or null.
         * @example {
         *       "start": "22:00",
         *       "end": "07:00",
         *       "timezone": "Europe/Berlin",
         *       "channels": [
         *         "email",
         *         "sms",
         *         "push"
         *       ]
         *     }
         */
        QuietHours: {
            /**
             * @description Start of the quiet window, HH:MM local time.
             * @example 22:00
             */
            start: string;
            /**
             * @description End of the quiet window, HH:MM local time; before `start` means it spans midnight.
             * @example 22:00
             */
            end: string;
            /**
             * @description IANA time zone the window is in; default: the user's `timezone`, else UTC.
             * @example Europe/Berlin
             */
            timezone?: string;
            /** @description Channels held; default email, sms, push (in-app is never held). */
            channels?: ("in_app" | "email" | "sms" | "push")[];
        } | null;
        /**
         * @example {
         *       "channels": {
         *         "in_app": true,
         *         "email": true,
         *         "sms": false,
         *         "push": true
         *       },
         *       "categories": {
         *         "marketing": {
         *           "enabled": false
         *         }
         *       },
         *       "quietHours": {
         *         "start": "22:00",
         *         "end": "07:00",
         *         "timezone": "Europe/Berlin",
         *         "channels": [
         *           "email",
         *           "sms",
         *           "push"
         *         ]
         *       },
         *       "unsubscribed": {
         *         "newsletter": {
         *           "email": true
         *         }
         *       },
         *       "version": 4,
         *       "updatedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        PreferenceDefaultsView: {
            /** @description Effective channel switches: the user's over the workspace defaults over all on. */
            channels: {
                /** @description The in-app inbox and WebSocket. */
                in_app: boolean;
                /** @description Email. */
                email: boolean;
                /** @description SMS. */
                sms: boolean;
                /** @description Web Push. */
                push: boolean;
            };
            /** @description Per-category settings, keyed by category (at most 200). */
            categories: {
                [key: string]: {
                    /** @description False turns the whole category off, on every channel. */
                    enabled?: boolean;
                    /** @description Per-channel switches inside this category, over the top-level ones. */
                    channels?: {
                        /** @description The in-app inbox and WebSocket. */
                        in_app?: boolean;
                        /** @description Email. */
                        email?: boolean;
                        /** @description SMS. */
                        sms?: boolean;
                        /** @description Web Push. */
                        push?: boolean;
                    };
                };
            };
            quietHours: components["schemas"]["QuietHours"];
            /** @description One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe. */
            unsubscribed: {
                [key: string]: {
                    /** @description The in-app inbox and WebSocket. */
                    in_app?: boolean;
                    /** @description Email. */
                    email?: boolean;
                    /** @description SMS. */
                    sms?: boolean;
                    /** @description Web Push. */
                    push?: boolean;
                };
            };
            /** @description Grows with every change of the defaults. */
            version: number;
            /** @description When the defaults last changed (ISO 8601); null before the first change. */
            updatedAt: string | null;
        };
        /**
         * @example {
         *       "channels": {
         *         "in_app": true,
         *         "email": true,
         *         "sms": false,
         *         "push": true
         *       },
         *       "categories": {
         *         "marketing": {
         *           "enabled": false
         *         },
         *         "billing": {
         *           "channels": {
         *             "sms": true
         *           }
         *         }
         *       },
         *       "quietHours": {
         *         "start": "22:00",
         *         "end": "07:00",
         *         "timezone": "Europe/Berlin",
         *         "channels": [
         *           "email",
         *           "sms",
         *           "push"
         *         ]
         *       },
         *       "unsubscribed": {}
         *     }
         */
        PreferenceDefaults: {
            /** @description Channel switches that apply to every category: false turns a channel off. */
            channels?: {
                /** @description The in-app inbox and WebSocket. */
                in_app?: boolean;
                /** @description Email. */
                email?: boolean;
                /** @description SMS. */
                sms?: boolean;
                /** @description Web Push. */
                push?: boolean;
            };
            /** @description Per-category settings, keyed by category (at most 200). */
            categories?: {
                [key: string]: {
                    /** @description False turns the whole category off, on every channel. */
                    enabled?: boolean;
                    /** @description Per-channel switches inside this category, over the top-level ones. */
                    channels?: {
                        /** @description The in-app inbox and WebSocket. */
                        in_app?: boolean;
                        /** @description Email. */
                        email?: boolean;
                        /** @description SMS. */
                        sms?: boolean;
                        /** @description Web Push. */
                        push?: boolean;
                    };
                };
            };
            quietHours?: components["schemas"]["QuietHours"];
            /** @description One-click unsubscribes per category and channel (`true`); set one to null or false to resubscribe. */
            unsubscribed?: {
                [key: string]: {
                    /** @description The in-app inbox and WebSocket. */
                    in_app?: boolean;
                    /** @description Email. */
                    email?: boolean;
                    /** @description SMS. */
                    sms?: boolean;
                    /** @description Web Push. */
                    push?: boolean;
                };
            };
        };
        /**
         * @example {
         *       "results": [
         *         {
         *           "index": 0,
         *           "userId": "user_42",
         *           "status": "updated",
         *           "version": 5
         *         },
         *         {
         *           "index": 1,
         *           "userId": "user_43",
         *           "status": "updated",
         *           "version": 2
         *         }
         *       ],
         *       "summary": {
         *         "updated": 2,
         *         "invalid": 0,
         *         "failed": 0
         *       }
         *     }
         */
        PreferenceBulkResponse: {
            /** @description One result per item, in request order. */
            results: {
                /** @description Position of the item in the request's `items`, from 0. */
                index: number;
                /** @description The item's user (`null` when the item had none). */
                userId: string | null;
                /**
                 * @description `updated` stored; `invalid` refused, nothing stored; `failed` transient, retry it.
                 * @enum {string}
                 */
                status: "updated" | "invalid" | "failed";
                /** @description The user's new document version, when `updated`. */
                version: number | null;
                /** @description Why an item is `invalid` or `failed`. */
                error?: {
                    /** @description Machine code, as in a problem document. */
                    code: string;
                    /** @description What was wrong with the item. */
                    detail: string;
                    /** @description Validation errors of an `invalid` item. */
                    errors?: {
                        /** @description Dotted path inside the item. */
                        path: string;
                        /** @description Why the value was refused. */
                        message: string;
                    }[];
                };
            }[];
            /** @description How many items ended in each status. */
            summary: {
                /** @description Items stored. */
                updated: number;
                /** @description Items refused. */
                invalid: number;
                /** @description Items that failed transiently; retry them. */
                failed: number;
            };
        };
        /**
         * @example {
         *       "items": [
         *         {
         *           "userId": "user_42",
         *           "patch": {
         *             "categories": {
         *               "marketing": {
         *                 "enabled": false
         *               }
         *             }
         *           }
         *         },
         *         {
         *           "userId": "user_43",
         *           "patch": {
         *             "channels": {
         *               "sms": false
         *             }
         *           }
         *         }
         *       ]
         *     }
         */
        PreferenceBulkRequest: {
            /** @description 1 to 1000 `{userId, patch}` items, one per user. */
            items: {
                /** @description The user whose preferences change. */
                userId?: string;
                /** @description The RFC 7396 merge patch for that user. */
                patch?: components["schemas"]["PreferencePatch"];
            }[];
        };
        /**
         * @example {
         *       "url": "https://herald.example.com/preferences?token=eyJhbGciOi...",
         *       "expiresAt": "2026-03-31T09:00:00.000Z"
         *     }
         */
        PreferencesLink: {
            /** @description The hosted preference page, `/preferences?token=...`, under PUBLIC_URL. */
            url: string;
            /** @description When the link stops working (ISO 8601). */
            expiresAt: string;
        };
        /**
         * @example {
         *       "userId": "user_42",
         *       "connections": 2,
         *       "lastSeenAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        OnlineUser: {
            /** @description The online user's id. */
            userId: string;
            /** @description Open WebSockets at the last report. */
            connections: number;
            /** @description When the user's inbox last reported (connect, disconnect or lease renewal). */
            lastSeenAt: string;
        };
        /**
         * @example {
         *       "endpoint": "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE",
         *       "expirationTime": null,
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "updatedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        PushSubscriptionView: {
            /** @description The push service URL. */
            endpoint: string;
            /** @description ISO-8601, or null when the browser gave none. */
            expirationTime: string | null;
            /** @description When it was first registered (ISO 8601). */
            createdAt: string;
            /** @description When it was last registered again (ISO 8601). */
            updatedAt: string;
        };
        /**
         * @example {
         *       "endpoint": "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE",
         *       "expirationTime": null,
         *       "keys": {
         *         "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
         *         "auth": "tBHItJI5svbpez7KI4CCXg"
         *       }
         *     }
         */
        PushSubscription: {
            /**
             * Format: uri
             * @description The push service URL from the browser's `PushSubscription` (https, a known push service).
             * @example https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE
             */
            endpoint: string;
            /** @description When the browser will drop it, in ms since the epoch. */
            expirationTime?: number | null;
            /** @description The subscription's encryption keys (RFC 8291), as `PushSubscription.toJSON()` gives them. */
            keys: {
                /** @description The browser's P-256 public key, base64url (65 bytes, uncompressed). */
                p256dh: string;
                /** @description The browser's 16-byte authentication secret, base64url. */
                auth: string;
            };
        };
        /**
         * @example {
         *       "id": "user_42",
         *       "email": "ada@example.com",
         *       "phone": "+14155550123",
         *       "name": "Ada Lovelace",
         *       "locale": "en-GB",
         *       "timezone": "Europe/London",
         *       "attributes": {
         *         "plan": "pro"
         *       },
         *       "status": "active",
         *       "version": 3,
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "updatedAt": "2026-03-02T10:30:00.000Z",
         *       "deletedAt": null
         *     }
         */
        User: {
            /** @description The user's id in your systems. */
            id: string;
            /** @description Email address. */
            email: string | null;
            /** @description Phone number (E.164). */
            phone: string | null;
            /** @description Display name. */
            name: string | null;
            /** @description BCP 47 language tag. */
            locale: string | null;
            /** @description IANA time zone. */
            timezone: string | null;
            /** @description Your own key/value data. */
            attributes: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Account status.
             * @enum {string}
             */
            status: "active" | "disabled";
            /** @description Increments on every real change; sync targets apply the highest version they have seen. */
            version: number;
            /** @description When the user was created (ISO 8601). */
            createdAt: string;
            /** @description When the user last changed (ISO 8601). */
            updatedAt: string;
            /** @description When the user was deleted (ISO 8601); `null` while not deleted. */
            deletedAt: string | null;
        };
        /**
         * @example {
         *       "email": "ada@example.com",
         *       "phone": "+14155550123",
         *       "name": "Ada Lovelace",
         *       "locale": "en-GB",
         *       "timezone": "Europe/London",
         *       "attributes": {
         *         "plan": "pro"
         *       },
         *       "status": "active"
         *     }
         */
        UserInput: {
            /**
             * Format: email
             * @description Email address for the email channel; `null` clears it.
             */
            email?: string | null;
            /** @description Phone number in E.164 (`+14155550123`) for SMS; `null` clears it. */
            phone?: string | null;
            /** @description Display name, 1–200 characters; `null` clears it. */
            name?: string | null;
            /** @description BCP 47 language tag (`en-GB`); `null` clears it. */
            locale?: string | null;
            /** @description IANA time zone (`Europe/Paris`), used by quiet hours; `null` clears it. */
            timezone?: string | null;
            /** @description Your own key/value data, at most 16 KiB of JSON; replaced whole, `null` clears it. */
            attributes?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Account status; a change emits `user.status_changed`.
             * @enum {string}
             */
            status?: "active" | "disabled";
        };
        /**
         * @example {
         *       "id": "01JN8Z9C4D5E6F7G8H9J0K1M2N",
         *       "name": "crm",
         *       "url": "https://crm.example.com/hooks/herald",
         *       "events": [
         *         "user.created",
         *         "user.updated"
         *       ],
         *       "enabled": true,
         *       "disabledReason": null,
         *       "previousSecretExpiresAt": null,
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "updatedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        SyncTarget: {
            /** @description Target id (ULID). */
            id: string;
            /** @description Your name for the target. */
            name: string;
            /** @description Where user events are POSTed. */
            url: string;
            /** @description Event types sent; null for all. */
            events: ("user.created" | "user.updated" | "user.status_changed" | "user.deleted" | "user.snapshot")[] | null;
            /** @description False once disabled (by you, or after its endpoint kept failing). */
            enabled: boolean;
            /** @description Why it was disabled. */
            disabledReason: string | null;
            /** @description After a rotation, the old secret also signs until this time (ISO 8601). */
            previousSecretExpiresAt: string | null;
            /** @description When it was registered (ISO 8601). */
            createdAt: string;
            /** @description When it last changed (ISO 8601). */
            updatedAt: string;
        };
        /**
         * @example {
         *       "name": "crm",
         *       "url": "https://crm.example.com/hooks/herald",
         *       "events": [
         *         "user.created",
         *         "user.updated"
         *       ]
         *     }
         */
        SyncTargetInput: {
            /** @description Your name for the target, 1–100 characters. */
            name: string;
            /**
             * Format: uri
             * @description The https URL that receives the signed user events (public hosts only).
             */
            url: string;
            /** @description User event types to send; omitted or `null`: all of them. */
            events?: ("user.created" | "user.updated" | "user.status_changed" | "user.deleted" | "user.snapshot")[];
        };
        /**
         * @example {
         *       "url": "https://crm.example.com/hooks/herald-v2",
         *       "events": null,
         *       "enabled": true
         *     }
         */
        SyncTargetPatch: {
            /**
             * Format: uri
             * @description The https URL that receives the signed user events (public hosts only).
             */
            url?: string;
            /** @description User event types to send; omitted or `null`: all of them. */
            events?: ("user.created" | "user.updated" | "user.status_changed" | "user.deleted" | "user.snapshot")[] | null;
            /** @description Turn the target off or back on. */
            enabled?: boolean;
        };
        /**
         * @example {
         *       "id": "01JN8ZA1B2C3D4E5F6G7H8J9K0",
         *       "targetId": "01JN8Z9C4D5E6F7G8H9J0K1M2N",
         *       "userId": "user_42",
         *       "type": "user.updated",
         *       "version": 3,
         *       "status": "succeeded",
         *       "attempts": 1,
         *       "latencyMs": 92,
         *       "lastStatusCode": 200,
         *       "lastError": null,
         *       "nextAttemptAt": null,
         *       "createdAt": "2026-03-02T10:30:00.000Z",
         *       "updatedAt": "2026-03-02T10:30:00.150Z",
         *       "deliveredAt": "2026-03-02T10:30:00.150Z"
         *     }
         */
        SyncDelivery: {
            /** @description Also the `webhook-id` header, stable across retries. */
            id: string;
            /** @description The target it goes to. */
            targetId: string;
            /** @description The user the event is about. */
            userId: string;
            /** @description The user event type (`user.updated`...). */
            type: string;
            /** @description The user version the event carries. */
            version: number;
            /**
             * @description `pending`, `succeeded`, `failed` (will retry), `superseded` (a newer version was sent) or `dead`.
             * @enum {string}
             */
            status: "pending" | "succeeded" | "failed" | "superseded" | "dead";
            /** @description Attempts made so far. */
            attempts: number;
            /** @description Duration of the last attempt, in milliseconds. */
            latencyMs: number | null;
            /** @description HTTP status of the last attempt. */
            lastStatusCode: number | null;
            /** @description The last attempt's error, when it failed. */
            lastError: string | null;
            /** @description When the next retry is due (ISO 8601), if one is. */
            nextAttemptAt: string | null;
            /** @description When the event was enqueued (ISO 8601). */
            createdAt: string;
            /** @description When the delivery last changed (ISO 8601). */
            updatedAt: string;
            /** @description When the target acknowledged it with a 2xx (ISO 8601). */
            deliveredAt: string | null;
        };
        /**
         * @example {
         *       "topic": "wallet.recharged",
         *       "changed": 2
         *     }
         */
        SubscribersChanged: {
            /** @description The topic name. */
            topic: string;
            /** @description Ids whose state changed (added, or removed); ids already in that state are not counted. */
            changed: number;
        };
        /**
         * @example {
         *       "userIds": [
         *         "user_42",
         *         "user_43"
         *       ]
         *     }
         */
        SubscribersInput: {
            /** @description 1 to 1,000 user ids; repeats count once. */
            userIds: string[];
        };
        /**
         * @example {
         *       "userId": "user_42",
         *       "subscribedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        TopicSubscriber: {
            /** @description The subscriber's user id. */
            userId: string;
            /** @description When the user was subscribed (ISO 8601). */
            subscribedAt: string;
        };
        /**
         * @example {
         *       "topic": "wallet.recharged",
         *       "subscribedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        UserTopic: {
            /** @description The topic name. */
            topic: string;
            /** @description When the user was subscribed (ISO 8601). */
            subscribedAt: string;
        };
        /**
         * @example {
         *       "topic": "product.news",
         *       "subscribed": true,
         *       "subscribedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        MyTopic: {
            /** @description The topic name. */
            topic: string;
            /** @description Whether the caller is a subscriber now. */
            subscribed: boolean;
            /** @description When the caller was subscribed (ISO 8601); `null` when not subscribed. */
            subscribedAt: string | null;
        };
        /**
         * @example {
         *       "id": "01J9ZQ4T6M3V8R2K5N7P0W1XYZ",
         *       "topic": "status.incidents",
         *       "status": "fanning_out",
         *       "recipients": 100000,
         *       "fannedOut": 42750,
         *       "failed": 0,
         *       "createdAt": "2026-11-29T12:00:00.000Z",
         *       "completedAt": null
         *     }
         */
        Broadcast: {
            /** @description The broadcast id; also the id of the item in every recipient's inbox. */
            id: string;
            /** @description The topic it was sent to. */
            topic: string;
            /**
             * @description `accepted` → `fanning_out` → `completed`; `failed` while some recipients' chunk waits in the dead letters (a redrive resumes it).
             * @enum {string}
             */
            status: "accepted" | "fanning_out" | "failed" | "completed";
            /** @description Subscribers the topic had at acceptance: the fixed recipient set. */
            recipients: number;
            /** @description Recipients whose inbox holds the item, or whose preferences kept it out. */
            fannedOut: number;
            /** @description Recipients whose chunk exhausted its retries and waits in the dead letters (0 once redriven). */
            failed: number;
            /** @description Acceptance time, ISO 8601. */
            createdAt: string;
            /** @description When the last recipient was fanned out, ISO 8601; null until then. */
            completedAt: string | null;
        };
        /**
         * @example {
         *       "name": "wallet.recharged",
         *       "description": "A user's wallet was topped up.",
         *       "selfService": false,
         *       "createdAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        Topic: {
            /** @description The topic name. */
            name: string;
            /** @description What the topic is about, for people. */
            description: string | null;
            /** @description Whether a user token may subscribe and unsubscribe itself (`/v1/me/topics/{name}`). */
            selfService: boolean;
            /** @description When it was created (ISO 8601). */
            createdAt: string;
        };
        /**
         * @example {
         *       "description": "A user's wallet was topped up.",
         *       "selfService": false
         *     }
         */
        TopicInput: {
            /** @description What the topic is about, up to 500 characters; kept as first given. */
            description?: string;
            /** @description Let user tokens subscribe and unsubscribe themselves; applied on an existing topic too. */
            selfService?: boolean;
        };
        /**
         * @example {
         *       "messageId": "01JN8Z8B3C4D5E6F7G8H9J0K1M",
         *       "status": "pending",
         *       "deliverAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        Published: {
            /** @description Message id; follow its deliveries with `GET /v1/messages/{id}`. */
            messageId: string;
            /**
             * @description Always `pending`: delivery happens in the background.
             * @enum {string}
             */
            status: "pending";
            /** @description When delivery starts (ISO 8601). */
            deliverAt: string;
        };
        /**
         * @example {
         *       "payload": {
         *         "userId": "user_42",
         *         "amount": 50,
         *         "currency": "EUR"
         *       },
         *       "metadata": {
         *         "source": "billing"
         *       },
         *       "delaySeconds": 0,
         *       "maxAttempts": 8
         *     }
         */
        PublishInput: {
            /** @description The message: any JSON, at most 64 KiB; subscribers receive it as is. */
            payload: unknown;
            /** @description Your key/value data kept with the message (not sent to subscribers). */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description Seconds to wait before delivery; excludes `deliverAt`. */
            delaySeconds?: number;
            /**
             * Format: date-time
             * @description When to deliver (ISO 8601); excludes `delaySeconds`.
             */
            deliverAt?: string;
            /**
             * @description Attempts per subscription before the delivery is dead-lettered, 1 to 20.
             * @default 8
             */
            maxAttempts: number;
        };
        /**
         * @example {
         *       "id": "01JN8Z8B3C4D5E6F7G8H9J0K1M",
         *       "topic": "wallet.recharged",
         *       "payload": {
         *         "userId": "user_42",
         *         "amount": 50,
         *         "currency": "EUR"
         *       },
         *       "metadata": {
         *         "source": "billing"
         *       },
         *       "status": "completed",
         *       "attempts": 1,
         *       "maxAttempts": 8,
         *       "lastError": null,
         *       "deliverAt": "2026-03-01T09:00:00.000Z",
         *       "processedAt": "2026-03-01T09:00:00.300Z",
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "deliveries": [
         *         {
         *           "subscriptionId": "01JN8Z5A1B2C3D4E5F6G7H8J9K",
         *           "status": "succeeded",
         *           "attempts": 1,
         *           "lastStatusCode": 200,
         *           "lastError": null,
         *           "latencyMs": 84,
         *           "notificationId": null,
         *           "nextAttemptAt": null
         *         }
         *       ]
         *     }
         */
        Message: {
            /** @description Message id (ULID). */
            id: string;
            /** @description The topic it was published to. */
            topic: string;
            /** @description The message as published. */
            payload?: unknown;
            /** @description The metadata it was published with. */
            metadata: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Where the fan-out to subscriptions stands.
             * @enum {string}
             */
            status: "pending" | "processing" | "completed" | "failed";
            /** @description Fan-out attempts made so far. */
            attempts: number;
            /** @description Attempts per subscription before dead-lettering. */
            maxAttempts: number;
            /** @description The last fan-out error, if any. */
            lastError: string | null;
            /** @description When delivery starts (ISO 8601). */
            deliverAt: string;
            /** @description When it was fanned out to every subscription (ISO 8601). */
            processedAt: string | null;
            /** @description When it was published (ISO 8601). */
            createdAt: string;
            /** @description One delivery per subscription. */
            deliveries: {
                /** @description The subscription this delivery is for. */
                subscriptionId: string;
                /**
                 * @description Where the delivery stands.
                 * @enum {string}
                 */
                status: "pending" | "succeeded" | "failed" | "dead";
                /** @description Attempts made so far. */
                attempts: number;
                /** @description HTTP status of the last webhook attempt. */
                lastStatusCode: number | null;
                /** @description The last attempt's error, when it failed. */
                lastError: string | null;
                /** @description Duration of the last webhook attempt, in milliseconds. */
                latencyMs: number | null;
                /** @description For a `notify` subscription: the notification it created. */
                notificationId: string | null;
                /** @description When the next retry is due (ISO 8601), if one is. */
                nextAttemptAt: string | null;
            }[];
        };
        /**
         * @example {
         *       "id": "01JN8Z5A1B2C3D4E5F6G7H8J9K",
         *       "topic": "wallet.recharged",
         *       "kind": "webhook",
         *       "url": "https://hooks.example.com/herald",
         *       "template": null,
         *       "channels": null,
         *       "userIdPointer": null,
         *       "enabled": true,
         *       "disabledReason": null,
         *       "createdAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        Subscription: {
            /** @description Subscription id (ULID). */
            id: string;
            /** @description The topic it receives. */
            topic: string;
            /**
             * @description `webhook` or `notify`.
             * @enum {string}
             */
            kind: "webhook" | "notify";
            /** @description The webhook URL (`webhook` only). */
            url: string | null;
            /** @description The notification template (`notify` only). */
            template: string | null;
            /** @description The notification channels (`notify` only). */
            channels: string[] | null;
            /** @description JSON pointer to the recipient in the payload (`notify` only). */
            userIdPointer: string | null;
            /** @description False once disabled, e.g. after its endpoint kept failing. */
            enabled: boolean;
            /** @description Why it was disabled. */
            disabledReason: string | null;
            /** @description When it was created (ISO 8601). */
            createdAt: string;
        };
        SubscriptionInput: {
            /**
             * @description POST each message to `url` as a signed Standard Webhooks message.
             * @enum {string}
             */
            kind: "webhook";
            /**
             * Format: uri
             * @description The https URL that receives the messages (public hosts only).
             */
            url: string;
        } | {
            /**
             * @description Turn each message into a notification for the user named in its payload.
             * @enum {string}
             */
            kind: "notify";
            /**
             * @description Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots.
             * @example wallet_recharged
             */
            template: string;
            /**
             * @description Channels the notification goes out on.
             * @default [
             *       "in_app"
             *     ]
             */
            channels: ("in_app" | "email" | "sms" | "push")[];
            /**
             * @description RFC 6901 JSON pointer to the recipient's user id inside the payload.
             * @default /userId
             */
            userIdPointer: string;
        };
        /**
         * @example {
         *       "name": "wallet_recharged",
         *       "channel": "email",
         *       "subject": "Your wallet was topped up",
         *       "body": "<p>Hi {{name}}, {{amount}} {{currency}} were added to your wallet.</p>",
         *       "description": "Sent after a successful top-up.",
         *       "active": true,
         *       "category": "billing",
         *       "createdAt": "2026-03-01T09:00:00.000Z",
         *       "updatedAt": "2026-03-01T09:00:00.000Z"
         *     }
         */
        Template: {
            /** @description The template name. */
            name: string;
            /**
             * @description A delivery channel: `in_app` (inbox and WebSocket), `email`, `sms` or `push` (Web Push).
             * @enum {string}
             */
            channel: "in_app" | "email" | "sms" | "push";
            /** @description Email subject, or the title for in-app and push. */
            subject: string | null;
            /** @description The Mustache body. */
            body: string;
            /** @description What the template is for. */
            description: string | null;
            /** @description Whether new notifications may name it. */
            active: boolean;
            /** @description Default preference category of its notifications. */
            category: string | null;
            /** @description When it was first saved (ISO 8601). */
            createdAt: string;
            /** @description When it was last saved (ISO 8601). */
            updatedAt: string;
        };
        /**
         * @example {
         *       "channel": "email",
         *       "subject": "Your wallet was topped up",
         *       "body": "<p>Hi {{name}}, {{amount}} {{currency}} were added to your wallet.</p>",
         *       "description": "Sent after a successful top-up.",
         *       "active": true,
         *       "category": "billing"
         *     }
         */
        TemplateInput: {
            /**
             * @description The channel the template is written for; email bodies are HTML and rendered HTML-escaped.
             * @enum {string}
             */
            channel: "in_app" | "email" | "sms" | "push";
            /** @description Email subject, or the title for in-app and push. */
            subject?: string | null;
            /** @description Mustache body, up to 64 KiB: `{{var}}` prints a variable, sections test and loop. */
            body: string;
            /** @description What the template is for, for people; up to 500 characters. */
            description?: string | null;
            /**
             * @description An inactive template refuses new notifications that name it.
             * @default true
             */
            active: boolean;
            /**
             * @description Default preference category of notifications from this template (else `general`).
             * @example billing
             */
            category?: string | null;
        };
        /**
         * @example {
         *       "channel": "email",
         *       "subject": "Your wallet was topped up",
         *       "body": "Hi Ada, 50 EUR were added to your wallet.",
         *       "html": "<p>Hi Ada, 50 EUR were added to your wallet.</p>"
         *     }
         */
        RenderedTemplate: {
            /**
             * @description A delivery channel: `in_app` (inbox and WebSocket), `email`, `sms` or `push` (Web Push).
             * @enum {string}
             */
            channel: "in_app" | "email" | "sms" | "push";
            /** @description The rendered subject or title. */
            subject: string | null;
            /** @description Plain text (for email, the HTML with tags removed). */
            body: string;
            /** @description Email only: the body rendered with every variable HTML-escaped. */
            html: string | null;
        };
        /**
         * @example {
         *       "data": {
         *         "name": "Ada",
         *         "amount": 50,
         *         "currency": "EUR"
         *       }
         *     }
         */
        TemplatePreviewInput: {
            /**
             * @description The variables to render with, as a notification's `data`.
             * @default {}
             */
            data: {
                [key: string]: unknown;
            };
        };
        /**
         * @example {
         *       "key": "comment-digest",
         *       "version": 2,
         *       "name": "Comments",
         *       "category": "comments",
         *       "critical": false,
         *       "steps": [
         *         {
         *           "type": "digest",
         *           "windowSeconds": 600,
         *           "key": "{{postId}}"
         *         },
         *         {
         *           "type": "in_app",
         *           "template": "comment_digest",
         *           "if": "always"
         *         },
         *         {
         *           "type": "delay",
         *           "seconds": 900
         *         },
         *         {
         *           "type": "email",
         *           "template": "comment_digest_email",
         *           "if": "unread"
         *         }
         *       ],
         *       "createdAt": "2026-11-21T12:00:00.000Z",
         *       "updatedAt": "2026-11-21T12:30:00.000Z"
         *     }
         */
        Workflow: {
            /**
             * @description The workflow's key: 1–64 characters of a-z, 0-9 and _ . -.
             * @example comment-digest
             */
            key: string;
            /** @description Grows by one on every save; a run keeps the version it started with. */
            version: number;
            /** @description A human name for the console. */
            name: string | null;
            /** @description Preference category of what it sends; null: each template's, else `general`. */
            category: string | null;
            /** @description Bypasses preferences and quiet hours. */
            critical: boolean;
            /** @description The steps, in order. */
            steps: ({
                /**
                 * @description The channel this step sends on.
                 * @enum {string}
                 */
                type: "in_app" | "email" | "sms" | "push";
                /** @description The template to render with the run's data (required). */
                template?: string;
                /**
                 * @description `unread`: send only if the run's in-app notification is still unread now; `unseen`: only if no device received it.
                 * @default always
                 * @enum {string}
                 */
                if: "always" | "unread" | "unseen";
                /**
                 * @description Up to 10 distinct tags: the feed's tabs and `?tag=` filter.
                 * @example [
                 *       "billing",
                 *       "account"
                 *     ]
                 */
                tags?: string[];
                /**
                 * @description Up to 3 buttons shown on the feed item.
                 * @example [
                 *       {
                 *         "label": "View invoice",
                 *         "url": "https://app.example.com/invoices/42"
                 *       }
                 *     ]
                 */
                actions?: {
                    /** @description Button text, 1–64 characters. */
                    label: string;
                    /** @description https URL or an app-relative path. */
                    url: string;
                }[];
            } | {
                /** @enum {string} */
                type: "delay";
                /** @description How long to wait, in seconds. */
                seconds: number;
            } | {
                /** @enum {string} */
                type: "digest";
                /** @description How long after the first trigger later triggers still join the run, in seconds. */
                windowSeconds: number;
                /** @description Mustache over the trigger's data; triggers with the same rendered key join one digest (default: one per workflow). */
                key?: string;
            })[];
            /** @description When the workflow was first saved (ISO-8601). */
            createdAt: string;
            /** @description When it was last saved (ISO-8601). */
            updatedAt: string;
        };
        /**
         * @example {
         *       "name": "Comments",
         *       "category": "comments",
         *       "critical": false,
         *       "steps": [
         *         {
         *           "type": "digest",
         *           "windowSeconds": 600,
         *           "key": "{{postId}}"
         *         },
         *         {
         *           "type": "in_app",
         *           "template": "comment_digest",
         *           "if": "always",
         *           "tags": [
         *             "comments"
         *           ],
         *           "actions": [
         *             {
         *               "label": "Open post",
         *               "url": "/posts"
         *             }
         *           ]
         *         },
         *         {
         *           "type": "delay",
         *           "seconds": 900
         *         },
         *         {
         *           "type": "email",
         *           "template": "comment_digest_email",
         *           "if": "unread"
         *         }
         *       ]
         *     }
         */
        WorkflowInput: {
            /** @description A human name for the console. */
            name?: string;
            /**
             * @description Preference category of the notifications the workflow sends; default: each template's, else `general`.
             * @example billing
             */
            category?: string;
            /**
             * @description Security alerts, one-time codes: bypasses preferences and quiet hours.
             * @default false
             */
            critical: boolean;
            /** @description The steps, run in order for each recipient (1–20). */
            steps: ({
                /**
                 * @description The channel this step sends on.
                 * @enum {string}
                 */
                type: "in_app" | "email" | "sms" | "push";
                /** @description The template to render with the run's data (required). */
                template?: string;
                /**
                 * @description `unread`: send only if the run's in-app notification is still unread now; `unseen`: only if no device received it.
                 * @default always
                 * @enum {string}
                 */
                if: "always" | "unread" | "unseen";
                /**
                 * @description Up to 10 distinct tags: the feed's tabs and `?tag=` filter.
                 * @example [
                 *       "billing",
                 *       "account"
                 *     ]
                 */
                tags?: string[];
                /**
                 * @description Up to 3 buttons shown on the feed item.
                 * @example [
                 *       {
                 *         "label": "View invoice",
                 *         "url": "https://app.example.com/invoices/42"
                 *       }
                 *     ]
                 */
                actions?: {
                    /** @description Button text, 1–64 characters. */
                    label: string;
                    /** @description https URL or an app-relative path. */
                    url: string;
                }[];
            } | {
                /** @enum {string} */
                type: "delay";
                /** @description How long to wait, in seconds. */
                seconds: number;
            } | {
                /** @enum {string} */
                type: "digest";
                /** @description How long after the first trigger later triggers still join the run, in seconds. */
                windowSeconds: number;
                /** @description Mustache over the trigger's data; triggers with the same rendered key join one digest (default: one per workflow). */
                key?: string;
            })[];
        };
        /**
         * @example {
         *       "items": [],
         *       "nextCursor": null
         *     }
         */
        WorkflowPage: {
            /** @description Workflows in key order. */
            items: components["schemas"]["Workflow"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /**
         * @example {
         *       "triggerId": "01JD0000000000000000000000",
         *       "recipients": 2
         *     }
         */
        WorkflowTriggerAccepted: {
            /** @description The trigger's id (the same for a replay with the same Idempotency-Key). */
            triggerId: string;
            /** @description Recipients fixed at acceptance; each gets one run. */
            recipients: number;
        };
        /**
         * @example {
         *       "to": [
         *         "user_42",
         *         "user_43"
         *       ],
         *       "data": {
         *         "postId": "p1",
         *         "commenter": "Ada"
         *       },
         *       "actor": "user_7"
         *     }
         */
        WorkflowTrigger: {
            /** @description The recipients: a user id, a list of user ids, or `{topic}`. */
            to: string | string[] | {
                /**
                 * @description Every subscriber the topic has now.
                 * @example wallet.recharged
                 */
                topic: string;
            };
            /** @description What the templates render with (≤ 16 KiB of JSON); a digest collects it into `data.events`. */
            data?: {
                [key: string]: unknown;
            };
            /** @description Who caused it (templates see it as `actor`). */
            actor?: string;
        };
        /**
         * @example {
         *       "id": "wr_01JD0000000000000000000000_user_42",
         *       "userId": "user_42",
         *       "workflowKey": "comment-digest",
         *       "version": 2,
         *       "status": "completed",
         *       "steps": [
         *         {
         *           "index": 0,
         *           "type": "digest",
         *           "status": "completed",
         *           "at": "2026-11-21T12:10:00.000Z",
         *           "notificationId": null,
         *           "reason": null
         *         },
         *         {
         *           "index": 1,
         *           "type": "in_app",
         *           "status": "completed",
         *           "at": "2026-11-21T12:10:00.020Z",
         *           "notificationId": "01JD0000000000000000000001",
         *           "reason": null
         *         },
         *         {
         *           "index": 2,
         *           "type": "delay",
         *           "status": "completed",
         *           "at": "2026-11-21T12:25:00.000Z",
         *           "notificationId": null,
         *           "reason": null
         *         },
         *         {
         *           "index": 3,
         *           "type": "email",
         *           "status": "skipped",
         *           "at": "2026-11-21T12:25:00.010Z",
         *           "notificationId": null,
         *           "reason": "read"
         *         }
         *       ],
         *       "data": {
         *         "postId": "p1",
         *         "events": [
         *           {
         *             "postId": "p1",
         *             "commenter": "Ada"
         *           }
         *         ],
         *         "count": 1
         *       },
         *       "error": null,
         *       "createdAt": "2026-11-21T12:00:00.000Z",
         *       "updatedAt": "2026-11-21T12:25:00.010Z",
         *       "finishedAt": "2026-11-21T12:25:00.010Z"
         *     }
         */
        WorkflowRun: {
            /** @description The run id (`wr_<ULID>_<userId>`). */
            id: string;
            /** @description The recipient. */
            userId: string;
            /** @description The workflow it runs. */
            workflowKey: string;
            /** @description The definition version it started with and keeps. */
            version: number;
            /**
             * @description The run's state.
             * @enum {string}
             */
            status: "running" | "completed" | "cancelled" | "failed";
            /** @description Every step of the definition with its state. */
            steps: components["schemas"]["WorkflowRunStep"][];
            /** @description What the steps render with; after a digest, `events` and `count`. */
            data: {
                [key: string]: unknown;
            };
            /** @description Why a failed run failed (its dead letter holds the same). */
            error: string | null;
            /** @description ISO-8601. */
            createdAt: string;
            /** @description ISO-8601. */
            updatedAt: string;
            /** @description When it completed, failed or was cancelled (ISO-8601). */
            finishedAt: string | null;
        };
        WorkflowRunStep: {
            /** @description The step's place in the definition, from 0. */
            index: number;
            /** @description `digest`, `delay`, `in_app`, `email`, `sms` or `push`. */
            type: string;
            /**
             * @description `waiting`: a delay or digest window in progress; `pending`: not reached yet.
             * @enum {string}
             */
            status: "completed" | "skipped" | "failed" | "waiting" | "pending" | "cancelled";
            /** @description When the step finished (ISO-8601), null before. */
            at: string | null;
            /** @description The notification a channel step created. */
            notificationId: string | null;
            /**
             * @description Why a step was skipped: the user's preferences, or its `if` was answered (already read / already seen).
             * @enum {string|null}
             */
            reason: "preference" | "unsubscribed" | "read" | "seen" | null;
        };
        /**
         * @example {
         *       "items": [],
         *       "nextCursor": null
         *     }
         */
        WorkflowRunPage: {
            /** @description Runs, newest first. */
            items: components["schemas"]["WorkflowRun"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /**
         * @example {
         *       "id": "01JN8ZB2C3D4E5F6G7H8J9K0L1",
         *       "notificationId": "01JN8Z6Q4C7T2V9XK3M5R8B1DW",
         *       "channel": "email",
         *       "recipient": "ada@example.com",
         *       "subject": "Your wallet was topped up",
         *       "body": "Hi Ada, 50 EUR were added to your wallet.",
         *       "html": "<p>Hi Ada, 50 EUR were added to your wallet.</p>",
         *       "headers": {
         *         "List-Unsubscribe": "<https://herald.example.com/v1/unsubscribe?token=...>",
         *         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"
         *       },
         *       "createdAt": "2026-03-01T09:00:00.500Z"
         *     }
         */
        OutboxItem: {
            /** @description Outbox item id (ULID). */
            id: string;
            /** @description The notification it was rendered from. */
            notificationId: string;
            /**
             * @description The channel it was sent on.
             * @enum {string}
             */
            channel: "email" | "sms" | "push";
            /** @description Email address, phone number or push endpoint it went to. */
            recipient: string | null;
            /** @description Email subject, or the push title. */
            subject: string | null;
            /** @description The rendered text. */
            body: string;
            /** @description Email only: the rendered HTML. */
            html: string | null;
            /** @description Email only: the headers it was sent with (`List-Unsubscribe`, `List-Unsubscribe-Post`). */
            headers: {
                [key: string]: string;
            } | null;
            /** @description When the provider took it (ISO 8601). */
            createdAt: string;
        };
        /**
         * @example {
         *       "id": "01M8MB1T61YW3MZFD0FR5SCQWK",
         *       "source": "message",
         *       "sourceId": "mdl_01M8MB1S5SS7AZAT4DKSE2PW7Y_sub_seed_wallet_recharged",
         *       "payload": {
         *         "kind": "attempt",
         *         "ids": [
         *           "mdl_01M8MB1S5SS7AZAT4DKSE2PW7Y_sub_seed_wallet_recharged"
         *         ]
         *       },
         *       "attempts": 1,
         *       "lastError": "template_invalid: The template needs data it was not given: balance.",
         *       "createdAt": "2026-11-29T19:03:32.000Z",
         *       "subject": {
         *         "topic": "wallet.recharged",
         *         "target": "wallet_recharged",
         *         "recipient": "dev-user",
         *         "items": 1,
         *         "summary": "wallet.recharged → notify dev-user (template wallet_recharged)"
         *       }
         *     }
         */
        DeadLetter: {
            /** @description Dead letter id (ULID). */
            id: string;
            /** @description `message`, `channel`, `sync`, `workflow_run` (or `behaviour` for behaviour batches). */
            source: string;
            /** @description Id of the failed work: the message delivery, notification delivery or sync delivery. */
            sourceId: string | null;
            /** @description The queue message that failed, as it was. */
            payload?: unknown;
            /** @description Attempts made before it was dead-lettered. */
            attempts: number;
            /** @description The last attempt's error. */
            lastError: string | null;
            /** @description When it was dead-lettered (ISO 8601). */
            createdAt: string;
            subject: components["schemas"]["DeadLetterSubject"];
        };
        /** @description What the work was about: topic, target and recipient, read from the rows the payload names. */
        DeadLetterSubject: {
            /** @description Topic message letters: the topic the message was published to; otherwise null. */
            topic: string | null;
            /** @description Where the work was going: a topic webhook's URL or a notify subscription's template, a sync target's name, the channel of a send (email, sms, push, in_app), or a behaviour's target id. */
            target: string | null;
            /** @description The user the work was for: the notification's user, the sync event's user, or the behaviour target's owner. */
            recipient: string | null;
            /** @description Work items the letter carries (ids or events); the other fields describe the first. */
            items: number;
            /** @description All of the above in one line for people, e.g. `wallet.recharged → notify dev-user (template wallet_recharged)`. */
            summary: string;
        };
        /**
         * @example {
         *       "userId": "dev-user"
         *     }
         */
        DevTokenRequest: {
            /**
             * @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`.
             * @example user_42
             */
            userId: string;
        };
        /**
         * @example {
         *       "worker": {
         *         "fetches": 1,
         *         "queueBatches": 2
         *       },
         *       "d1": {
         *         "roundTrips": 5,
         *         "statements": 9,
         *         "rowsRead": 33,
         *         "rowsWritten": 18
         *       },
         *       "queues": {
         *         "sends": 3,
         *         "messages": 3,
         *         "units": 3
         *       },
         *       "durableObjects": {
         *         "rpc": 1,
         *         "fetches": 0,
         *         "webSocketMessages": 2,
         *         "alarms": 0,
         *         "sqlStatements": 17,
         *         "rowsRead": 32,
         *         "rowsWritten": 19,
         *         "alarmWrites": 0
         *       },
         *       "statements": {
         *         "d1: INSERT INTO notifications (id, user_id": {
         *           "count": 1,
         *           "rowsRead": 2,
         *           "rowsWritten": 5
         *         }
         *       }
         *     }
         */
        CostLedger: {
            /** @description Worker invocations. */
            worker: {
                /** @description HTTP requests handled. */
                fetches: number;
                /** @description Queue batches handed to a consumer. */
                queueBatches: number;
            };
            /** @description D1, from its result `meta`. */
            d1: {
                /** @description Calls to D1: one per statement run alone, one per `batch`. */
                roundTrips: number;
                /** @description Statements run. */
                statements: number;
                /** @description Rows read (`meta.rows_read`). */
                rowsRead: number;
                /** @description Rows written, index rows included (`meta.rows_written`). */
                rowsWritten: number;
            };
            /** @description Queue producers. */
            queues: {
                /** @description `send`/`sendBatch` calls. */
                sends: number;
                /** @description Messages sent. */
                messages: number;
                /** @description 64 KB units written (each costs a write, a read and a delete). */
                units: number;
            };
            /** @description Durable Objects: requests and their SQLite storage. */
            durableObjects: {
                /** @description RPC calls through a stub (each a billed request). */
                rpc: number;
                /** @description `fetch` calls through a stub. */
                fetches: number;
                /** @description Incoming WebSocket messages (billed 20:1). */
                webSocketMessages: number;
                /** @description Alarm runs. */
                alarms: number;
                /** @description SQLite statements run. */
                sqlStatements: number;
                /** @description SQLite rows read (cursor `rowsRead`). */
                rowsRead: number;
                /** @description SQLite rows written (cursor `rowsWritten`). */
                rowsWritten: number;
                /** @description `setAlarm`/`deleteAlarm` calls. */
                alarmWrites: number;
            };
            /** @description Per statement (`d1:` or `do:` and its first 96 characters). */
            statements: {
                [key: string]: {
                    /** @description Times the statement ran. */
                    count: number;
                    /** @description Rows it read, as the platform reports them. */
                    rowsRead: number;
                    /** @description Rows it wrote, index rows included (D1 `meta.rows_written`, SQLite cursor `rowsWritten`). */
                    rowsWritten: number;
                };
            };
        };
        /**
         * @description Counts by status over the last 24 h; batch, behaviour and broadcast counters since the start; success rates, p50/p95 latency in ms; dead letters; online users; storage: the database's size in bytes and each table's rows as the cron last counted them (every 10 minutes).
         * @example {
         *       "window": "24h",
         *       "generatedAt": "2026-03-01T09:00:00.000Z",
         *       "notifications": {
         *         "byStatus": {
         *           "queued": 2,
         *           "sent": 5,
         *           "delivered": 120,
         *           "read": 80
         *         },
         *         "total": 207
         *       },
         *       "batch": {
         *         "items": 1000,
         *         "created": 990,
         *         "duplicate": 10,
         *         "conflict": 0,
         *         "invalid": 0,
         *         "failed": 0,
         *         "duplicateRate": 0.01,
         *         "conflictRate": 0
         *       },
         *       "behaviours": {
         *         "events": 5400,
         *         "applied": 5350,
         *         "duplicatesSuppressed": 50
         *       },
         *       "messages": {
         *         "byStatus": {
         *           "completed": 40,
         *           "pending": 1
         *         },
         *         "total": 41
         *       },
         *       "deliveries": {
         *         "byChannel": {
         *           "in_app": {
         *             "delivered": 120,
         *             "read": 80
         *           },
         *           "email": {
         *             "sent": 30
         *           }
         *         },
         *         "successRate": 0.995,
         *         "latencyMs": {
         *           "p50": 35,
         *           "p95": 180
         *         },
         *         "skipped": {
         *           "preference": 4,
         *           "unsubscribed": 1
         *         }
         *       },
         *       "sync": {
         *         "deliveries": {
         *           "succeeded": 300,
         *           "failed": 2
         *         },
         *         "successRate": 0.993,
         *         "latencyMs": {
         *           "p50": 90,
         *           "p95": 400
         *         },
         *         "lagging": 0,
         *         "laggingCapped": false
         *       },
         *       "deadLetters": {
         *         "total": 1,
         *         "bySource": {
         *           "message": 1
         *         },
         *         "capped": false
         *       },
         *       "presence": {
         *         "onlineUsers": 42,
         *         "connections": 57
         *       },
         *       "storage": {
         *         "databaseBytes": 12582912,
         *         "tables": {
         *           "notifications": 20500,
         *           "users": 1200
         *         },
         *         "countedAt": "2026-03-01T08:50:00.000Z"
         *       }
         *     }
         */
        Stats: {
            /** @description The window of the by-status breakdowns: `24h`. */
            window: string;
            /** @description When the figures were read, ISO-8601. */
            generatedAt: string;
            /** @description In-app deliveries of the last 24 h by status, and their total. */
            notifications: {
                [key: string]: unknown;
            };
            /** @description Batch items by result since the start, and the duplicate and conflict rates. */
            batch: {
                [key: string]: unknown;
            };
            /** @description Behaviour events consumed, applied and suppressed as duplicates, since the start. */
            behaviours: {
                [key: string]: unknown;
            };
            /** @description Topic messages of the last 24 h by status, and their total. */
            messages: {
                [key: string]: unknown;
            };
            /** @description Deliveries of the last 24 h by channel and status; success rate since the start; in-app latency p50/p95 in ms; skips by reason. */
            deliveries: {
                [key: string]: unknown;
            };
            /** @description Sync deliveries of the last 24 h by status, success rate, latency p50/p95 in ms, lagging (target, user) pairs. */
            sync: {
                [key: string]: unknown;
            };
            /** @description Dead letters waiting, by source (counted up to 10,000). */
            deadLetters: {
                [key: string]: unknown;
            };
            /** @description Online users and connected devices. */
            presence: {
                [key: string]: unknown;
            };
            /** @description The database's size in bytes and each table's rows as the cron last counted them (every 10 minutes). */
            storage: {
                [key: string]: unknown;
            };
        };
        /**
         * @example {
         *       "minutes": 2,
         *       "samples": [
         *         {
         *           "at": "2026-11-29T19:40:00.000Z",
         *           "counters": {
         *             "accepted": 120,
         *             "sent": 118,
         *             "delivered": 97,
         *             "failed": 1,
         *             "skipped": 1,
         *             "batchItems": 80,
         *             "behavioursApplied": 40,
         *             "topicMessages": 12,
         *             "topicDeliveries": 24,
         *             "syncSucceeded": 30,
         *             "syncFinished": 31,
         *             "deadLettersCreated": 1
         *           },
         *           "gauges": {
         *             "onlineUsers": 14,
         *             "connections": 17,
         *             "deadLettersWaiting": {
         *               "sync": 1
         *             },
         *             "syncLagging": 0
         *           }
         *         },
         *         {
         *           "at": "2026-11-29T19:41:00.000Z",
         *           "counters": {
         *             "accepted": 131,
         *             "sent": 129,
         *             "delivered": 105,
         *             "failed": 1,
         *             "skipped": 1,
         *             "batchItems": 88,
         *             "behavioursApplied": 44,
         *             "topicMessages": 13,
         *             "topicDeliveries": 26,
         *             "syncSucceeded": 33,
         *             "syncFinished": 34,
         *             "deadLettersCreated": 1
         *           },
         *           "gauges": {
         *             "onlineUsers": 15,
         *             "connections": 18,
         *             "deadLettersWaiting": {
         *               "sync": 1
         *             },
         *             "syncLagging": 0
         *           }
         *         }
         *       ]
         *     }
         */
        StatsHistory: {
            /** @description The minutes asked for. */
            minutes: number;
            /** @description The samples of those minutes, oldest first; a minute the cron did not run has none. */
            samples: {
                /** @description The sample's minute, ISO-8601 (the cron samples once a minute). */
                at: string;
                /** @description Cumulative counters at the sample: the activity of a minute is the difference from the sample before. */
                counters: {
                    /** @description Notification deliveries accepted (queued), all channels, since the start. */
                    accepted: number;
                    /** @description Deliveries that reached `sent` (in-app: the inbox took it), since the start. */
                    sent: number;
                    /** @description In-app deliveries a device acknowledged, since the start. */
                    delivered: number;
                    /** @description Deliveries that failed, since the start. */
                    failed: number;
                    /** @description Deliveries skipped by preferences, since the start. */
                    skipped: number;
                    /** @description Batch notification items, since the start. */
                    batchItems: number;
                    /** @description Behaviour events applied, since the start. */
                    behavioursApplied: number;
                    /** @description Topic messages published, since the start. */
                    topicMessages: number;
                    /** @description Topic message deliveries finished (succeeded, failed, dead), since the start. */
                    topicDeliveries: number;
                    /** @description Sync deliveries succeeded, since the start. */
                    syncSucceeded: number;
                    /** @description Sync deliveries finished (succeeded, failed, dead, superseded), since the start. */
                    syncFinished: number;
                    /** @description Dead letters stored, since the start. */
                    deadLettersCreated: number;
                };
                /** @description Levels at the sample's minute. */
                gauges: {
                    /** @description Users with a connected device. */
                    onlineUsers: number;
                    /** @description Connected devices. */
                    connections: number;
                    /** @description Dead letters waiting, by source (10,000 at most in all). */
                    deadLettersWaiting: {
                        [key: string]: number;
                    };
                    /** @description (target, user) pairs whose acknowledged version lags (10,000 at most). */
                    syncLagging: number;
                };
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description All checks pass (or only storage is near its limit) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description A check failed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    createUserToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Token minted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserToken"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recordBehaviour: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BehaviourEvent"];
            };
        };
        responses: {
            /** @description Accepted for apply. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BehavioursAccepted"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recordBehaviourBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BehaviourBatch"];
            };
        };
        responses: {
            /** @description Accepted for apply. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BehavioursAccepted"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than 1,000 events, or a body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUserBehaviours: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Kind of behaviour. */
                type?: "like" | "favorite" | "follow" | "share" | "view" | "comment";
            };
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BehaviourPage"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTargetBehaviourSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description What the behaviour is about (a post, a product, a user), in your ids. */
                targetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts per type. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BehaviourSummary"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    findNotificationByIdempotencyKey: {
        parameters: {
            query: {
                /** @description Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer. */
                idempotencyKey: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No notification was created with this key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sendNotification: {
        parameters: {
            query?: never;
            header?: {
                /** @description Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description A notification to one user (`userId`), or a broadcast to a topic's subscribers (`topic`, docs/api.md#audiences). */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                } & (components["schemas"]["NotificationInput"] | components["schemas"]["BroadcastInput"]);
            };
        };
        responses: {
            /** @description Accepted (or replayed) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationAccepted"] | components["schemas"]["BroadcastAccepted"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic (a broadcast) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key reused with another body, or template data missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sendNotificationBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationBatchRequest"];
            };
        };
        responses: {
            /** @description Per-item results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationBatchResponse"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Atomic batch rejected */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Notification id (ULID), as `POST /v1/notifications` returned it. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such notification */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recallNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Notification id (ULID), as `POST /v1/notifications` returned it. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recalled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such notification */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    editNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Notification id (ULID), as `POST /v1/notifications` returned it. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationPatch"];
            };
        };
        responses: {
            /** @description Edited */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such notification */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The notification was recalled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUserNotifications: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
                /** @description Only notifications whose in-app delivery has this status. */
                status?: "queued" | "sent" | "delivered" | "read" | "failed" | "expired" | "recalled" | "skipped";
            };
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["Notification"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectInbox: {
        parameters: {
            query?: {
                /** @description Single-use connect ticket from `POST /v1/me/connect-tickets`: keeps the token out of the URL. */
                ticket?: string;
                /** @description User token (alternative to the Authorization header or a ticket). */
                token?: string;
                /** @description Last seq the device holds. */
                since?: number | null;
                /** @description Unacked frames this device can hold; the server's `INBOX_WINDOW` is the most it gets. */
                window?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching protocols */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The user already holds `INBOX_MAX_SOCKETS` open sockets (default 100): close one first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a WebSocket upgrade */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConnectTicket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ticket minted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectTicket"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyNotifications: {
        parameters: {
            query?: {
                /** @description `true`: unread items only. */
                unread?: "true" | "false";
                /** @description Archived items: `exclude` (default), `include`, `only`. */
                archived?: "exclude" | "include" | "only" | "true" | "false";
                /** @description Items carrying this tag. */
                tag?: string;
                /** @description Items of this preference category. */
                category?: string;
                /** @description Items per page, 1–200. */
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the inbox */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, newest first; archived and snoozed ones only when the filters ask. */
                        items: components["schemas"]["InboxNotification"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                        /** @description The exact unread count of the feed (live items, not archived, not snoozed). */
                        unreadCount: number;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyUnreadCount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Exact and uncapped */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Unread items in the inbox. */
                        unreadCount: number;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markMyNotificationRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Notification id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked read */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not in this user's inbox */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markAllMyNotificationsRead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Mark read every item with `seq` up to and including this one. */
                    upToSeq: number;
                };
            };
        };
        responses: {
            /** @description Marked read */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    snoozeMyNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The notification's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SnoozeRequest"];
            };
        };
        responses: {
            /** @description Snoozed, and the counts after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedChangeResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not in this user's inbox */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    changeMyNotificationState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The notification's id. */
                id: string;
                /** @description The state change. */
                action: "seen" | "unread" | "archive" | "unarchive";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The change and the counts after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedChangeResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not in this user's inbox */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    changeMyNotificationsInBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeedBulkRequest"];
            };
        };
        responses: {
            /** @description The changes and the counts after them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedChangeResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyNotificationCounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedCounts"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ackMyNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AckRequest"];
            };
        };
        responses: {
            /** @description Acked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AckResult"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such open connection of this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A seq this connection was never sent */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamMyInbox: {
        parameters: {
            query?: {
                /** @description Single-use connect ticket from `POST /v1/me/connect-tickets` (keeps the token out of the URL). */
                ticket?: string;
                /** @description User token, for clients that can set neither a header nor get a ticket. */
                token?: string;
                /** @description Last seq the device holds; `Last-Event-ID` wins over it. */
                since?: number | null;
                /** @description Unacked events this device can hold; at most `INBOX_WINDOW`. */
                window?: number;
            };
            header?: {
                /** @description The last event id the client got (its seq). */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The user already holds `INBOX_MAX_SOCKETS` open connections (default 100): close one first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The effective document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateMyPreferences: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply only if the document is still at this version; else 412 `precondition_failed`. */
                "if-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": {
                    [key: string]: unknown;
                };
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The whole effective document after the patch, with its new `version` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUserPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The effective document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUserPreferences: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply only if the document is still at this version; else 412 `precondition_failed`. */
                "if-match"?: string;
            };
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": {
                    [key: string]: unknown;
                };
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The whole effective document after the patch, with its new `version` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPreferenceDefaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The defaults */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreferenceDefaultsView"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replacePreferenceDefaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreferenceDefaults"];
            };
        };
        responses: {
            /** @description The new defaults */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreferenceDefaultsView"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updatePreferencesInBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreferenceBulkRequest"];
            };
        };
        responses: {
            /** @description Per-item results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreferenceBulkResponse"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createMyPreferencesLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreferencesLink"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showUnsubscribePage: {
        parameters: {
            query: {
                /** @description The signed link token from the email. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The confirmation page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Invalid, forged or tampered token */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unsubscribeOneClick: {
        parameters: {
            query: {
                /** @description The signed link token from the email. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed (an HTML page for browsers that ask for one) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Always true: the category is off on that channel now.
                         * @enum {boolean}
                         */
                        unsubscribed: true;
                        /** @description The category unsubscribed from. */
                        category: string;
                        /** @description The channel unsubscribed from. */
                        channel: string;
                    };
                    "text/html": string;
                };
            };
            /** @description Invalid, forged or tampered token */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPreferencesByLink: {
        parameters: {
            query: {
                /** @description The signed link token from the email. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The effective document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updatePreferencesByLink: {
        parameters: {
            query: {
                /** @description The signed link token from the email. */
                token: string;
            };
            header?: {
                /** @description Apply only if the document is still at this version; else 412 `precondition_failed`. */
                "if-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": {
                    [key: string]: unknown;
                };
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The effective document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUserPresence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Presence */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description True while at least one device holds a WebSocket. */
                        online: boolean;
                        /** @description Open WebSockets now. */
                        connections: number;
                        /** @description Now while online, else the last connect or disconnect (ISO 8601); `null` if never connected. */
                        lastSeenAt: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOnlineUsers: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of online users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["OnlineUser"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyPushSubscriptions: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["PushSubscriptionView"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerMyPushSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PushSubscription"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushSubscriptionView"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushSubscriptionView"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The user already holds 20 other subscriptions */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteMyPushSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description The push service URL from the browser's `PushSubscription` (https, a known push service).
                     * @example https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0:APA91bE
                     */
                    endpoint: string;
                    /** @description When the browser will drop it, in ms since the epoch. */
                    expirationTime?: number | null;
                    /** @description The subscription's encryption keys (RFC 8291), as `PushSubscription.toJSON()` gives them. */
                    keys?: {
                        /** @description The browser's P-256 public key, base64url (65 bytes, uncompressed). */
                        p256dh: string;
                        /** @description The browser's 16-byte authentication secret, base64url. */
                        auth: string;
                    };
                };
            };
        };
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This user has no subscription with this endpoint */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such user (or deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upsertUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserInput"];
            };
        };
        responses: {
            /** @description Updated or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncTargets: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["SyncTarget"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSyncTarget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncTargetInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncTarget"] & {
                        /** @description The `whsec_` signing secret, returned this once. */
                        secret: string;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSyncTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Target id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncTarget"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such target */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSyncTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Target id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such target */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateSyncTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Target id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncTargetPatch"];
            };
        };
        responses: {
            /** @description The target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncTarget"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such target */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateSyncTargetSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Target id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rotated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The new `whsec_` signing secret, returned this once. */
                        secret: string;
                        /** @description Until this time (ISO 8601) the old secret signs too, so receivers can switch. */
                        previousSecretExpiresAt: string;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such target */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncDeliveries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
                /** @description Only deliveries to this target. */
                targetId?: string;
                /** @description Only deliveries in this status. */
                status?: "pending" | "succeeded" | "failed" | "superseded" | "dead";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["SyncDelivery"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrySyncDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Delivery id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncDelivery"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such delivery */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Already succeeded or superseded, or its target is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reconcileSync: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description Reconcile this target only; default: every enabled target. */
                    targetId?: string;
                    /** @description Lag younger than this is left to the retries, 0 to 86,400 s; default `SYNC_GRACE_SECONDS` (300). */
                    graceSeconds?: number;
                };
            };
        };
        responses: {
            /** @description Scan result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Targets checked. */
                        targets: number;
                        /** @description Users scanned in this request. */
                        scanned: number;
                        /** @description `user.snapshot` repairs enqueued. */
                        repairsEnqueued: number;
                        /** @description False when the scan continues on the queue. */
                        complete: boolean;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such target */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTopicSubscribers: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page, by user id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["TopicSubscriber"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addTopicSubscribers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscribersInput"];
            };
        };
        responses: {
            /** @description Applied; `changed` counts the ids that were not already in that state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscribersChanged"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than 1,000 userIds, or body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeTopicSubscribers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscribersInput"];
            };
        };
        responses: {
            /** @description Applied; `changed` counts the ids that were not already in that state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscribersChanged"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than 1,000 userIds, or body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUserTopics: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page, by topic name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["UserTopic"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyTopicSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's subscription to the topic */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyTopic"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a self-service topic, or not a user token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    subscribeMeToTopic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's subscription to the topic */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyTopic"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a self-service topic, or not a user token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unsubscribeMeFromTopic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's subscription to the topic */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyTopic"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a self-service topic, or not a user token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBroadcast: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Broadcast id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The broadcast */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Broadcast"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such broadcast */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTopic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TopicInput"];
            };
        };
        responses: {
            /** @description Existed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Topic"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Topic"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTopic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTopics: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["Topic"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    publishMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer. */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishInput"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Published"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id `POST` returned (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTopicSubscriptions: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of subscriptions (no secrets), by id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["Subscription"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTopicSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Topic name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriptionInput"];
            };
        };
        responses: {
            /** @description Subscribed */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"] & {
                        /** @description The `whsec_` signing secret of a `webhook` subscription, returned this once. */
                        secret?: string;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id `POST` returned (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such subscription */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such template */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upsertTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Template syntax error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such template */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["Template"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Template name: up to 128 characters, lowercase words of a-z, 0-9 and `_` joined by dots. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplatePreviewInput"];
            };
        };
        responses: {
            /** @description Rendered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderedTemplate"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such template */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing variables */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow's key: 1–64 characters of a-z, 0-9 and _ . -. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workflow */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such workflow */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow's key: 1–64 characters of a-z, 0-9 and _ . -. */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowInput"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The definition cannot run (`workflow_invalid`, naming the step index) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow's key: 1–64 characters of a-z, 0-9 and _ . -. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such workflow */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkflows: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowPage"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    triggerWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Idempotency key: 1–255 printable ASCII characters; a retry with the same key and body returns the first answer. */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The workflow's key: 1–64 characters of a-z, 0-9 and _ . -. */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowTrigger"];
            };
        };
        responses: {
            /** @description Accepted (or replayed) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowTriggerAccepted"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such workflow or topic */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency key reused with another body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkflowRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The run id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowRun"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such run */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelWorkflowRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The run id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run after */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowRun"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such run */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUserWorkflowRuns: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The user's id in your systems: 1–128 characters, letters, digits and `_ . : @ -`. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowRunPage"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
                /** @description Only items sent on this channel. */
                channel?: "email" | "sms" | "push";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["OutboxItem"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeadLetters: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200. */
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor`; omit for the first page. */
                cursor?: string;
                /** @description Only dead letters from this source. */
                source?: "message" | "channel" | "sync" | "behaviour" | "workflow_run";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This page's items, in the listing's order. */
                        items: components["schemas"]["DeadLetter"][];
                        /** @description Pass as `cursor` to get the next page; `null` on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redriveDeadLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dead letter id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redriven */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The dead letter, now removed. */
                        id: string;
                        /**
                         * @description Always true.
                         * @enum {boolean}
                         */
                        redriven: true;
                        /** @description The queue the work went back on. */
                        queue: string;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dead letter */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDeadLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dead letter id (ULID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dead letter */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDevToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevTokenRequest"];
            };
        };
        responses: {
            /** @description Token minted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "userId": "dev-user",
                     *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…",
                     *       "expiresAt": "2026-11-22T12:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        /** @description The user the token acts as. */
                        userId: string;
                        /** @description The user token (HS256 JWT), valid 24 hours. */
                        token: string;
                        /** @description When the token expires (ISO 8601). */
                        expiresAt: string;
                    };
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Dev tokens are off (`ALLOW_DEV_TOKENS` is not "true") */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No JWT secret configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCostLedger: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ledger */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CostLedger"];
                };
            };
            /** @description Dev routes or the tracer are off */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resetCostLedger: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Zeroed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Dev routes or the tracer are off */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stats"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStatsHistory: {
        parameters: {
            query?: {
                /** @description How many minutes back to read, 1 to 1440 (default 60). */
                minutes?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The samples */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsHistory"];
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Malformed JSON or validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Credentials not allowed on this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; quote requestId */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
