/**
 * @herald/client: Herald's in-app client for browsers, Node ≥ 22 and workerd (README.md).
 * - {@link HeraldClient}: the live connection (WebSocket, or Server-Sent Events when WebSockets are blocked);
 * - {@link FeedStore}: a headless feed with counts, filters and optimistic actions;
 * - {@link HeraldRest}: the user-side REST calls (feed actions, counts, preferences).
 * React hooks are in `@herald/client/react`; a typed REST client for servers in `@herald/client/server`.
 */
export { HeraldClient } from "./client.ts";
export type { ConnectionState, HeldNotification, HeraldClientEvents, HeraldClientOptions, TransportChoice } from "./client.ts";
export { FeedStore } from "./feed-store.ts";
export type { FeedFilter, FeedItem, FeedSnapshot, FeedStoreOptions } from "./feed-store.ts";
export { HeraldRest, HeraldRequestError } from "./rest.ts";
export type { ActionResult, FetchLike, HeraldRestOptions, ListFilter, NotificationPage, TokenSource } from "./rest.ts";
export { EventStreamSocket } from "./sse.ts";
export type { WebSocketLike } from "./socket.ts";
export type * from "./protocol.ts";
