/**
 * The user-side REST calls of Herald (docs/api.md#inbox-over-rest, docs/api.md#feed,
 * docs/api.md#preferences), with the user token as `Authorization: Bearer`. Used by the feed
 * store, by the SSE transport (which has no upstream channel, so acks, seen and read go here) and
 * directly by apps.
 */
import type { FeedAction, FeedCounts, InboxNotification, Preferences, PreferencesMergePatch } from "./protocol.ts";

/** A REST call answered with an error: its HTTP status and the problem's `code` (e.g. `precondition_failed`). */
export class HeraldRequestError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.name = "HeraldRequestError";
    this.status = status;
    this.code = code;
  }
}

/** The `fetch` the client calls (a subset of the global one, so a service binding's fits too). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

/** A user token, or a function that returns a fresh one (called before every call). */
export type TokenSource = string | (() => string | Promise<string>);

export interface HeraldRestOptions {
  /** Herald's origin, e.g. `https://herald.example.com`. */
  baseUrl: string;
  token: TokenSource;
  /** Instead of `globalThis.fetch`. */
  fetch?: FetchLike;
}

/** Filters of the item list (`GET /v1/me/notifications`). */
export interface ListFilter {
  unread?: boolean;
  /** Archived items: `exclude` (default), `only` (also `true`), `include` (all). */
  archived?: boolean | "exclude" | "only" | "include";
  tag?: string;
  category?: string;
  cursor?: string;
  limit?: number;
}

/** One page of the REST inbox; `items` carry their seq. */
export interface NotificationPage {
  items: (InboxNotification & { seq: number })[];
  nextCursor: string | null;
  unreadCount: number;
}

/** What read, read-all and bulk actions answer: the ids that changed and the exact unread count after. */
export interface ActionResult {
  ids: string[];
  unreadCount: number;
}

/** Typed REST calls for one user. Every method throws {@link HeraldRequestError} on a non-2xx answer. */
export class HeraldRest {
  readonly #options: HeraldRestOptions;

  constructor(options: HeraldRestOptions) {
    this.#options = options;
  }

  /** The current token (the function's answer when `token` is a function). */
  async token(): Promise<string> {
    const { token } = this.#options;
    return typeof token === "string" ? token : token();
  }

  /** A fetch-ready absolute URL for `path` on Herald's origin. */
  url(path: string): string {
    return new URL(path, this.#options.baseUrl).toString();
  }

  /** The `fetch` in use. */
  get fetch(): FetchLike {
    return this.#options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** A single-use connect ticket for the WebSocket or the stream (`POST /v1/me/connect-tickets`, docs/protocol.md#connecting). */
  async connectTicket(): Promise<string> {
    return (await this.call<{ ticket: string }>("POST", "/v1/me/connect-tickets")).ticket;
  }

  /** `GET /v1/me/notifications` with filters. */
  async list(filter: ListFilter = {}): Promise<NotificationPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
    return this.call("GET", `/v1/me/notifications${query.size > 0 ? `?${query}` : ""}`);
  }

  /** Exact counts: unread, unseen, total and unread by tag (`GET /v1/me/notifications/counts`). */
  async counts(): Promise<FeedCounts> {
    return this.call("GET", "/v1/me/notifications/counts");
  }

  /**
   * One feed action on one item: `POST /v1/me/notifications/{id}/{action}`; `snooze` needs
   * `until` (ISO-8601 or ms since epoch). Every other device of the user hears the change.
   */
  async act(id: string, action: FeedAction, until?: string | number): Promise<unknown> {
    const path = `/v1/me/notifications/${encodeURIComponent(id)}/${action}`;
    if (action !== "snooze") return this.call("POST", path);
    // `until` is an ISO-8601 time (docs/api.md#feed-actions).
    if (until === undefined) throw new TypeError("snooze needs `until`");
    return this.call("POST", path, { until: typeof until === "number" ? new Date(until).toISOString() : until });
  }

  /** One action on many items, by ids or on everything up to a seq: `POST /v1/me/notifications/bulk`. */
  async bulk(target: { ids: string[] } | { upToSeq: number }, action: Exclude<FeedAction, "snooze">): Promise<ActionResult> {
    return this.call("POST", "/v1/me/notifications/bulk", { ...target, action });
  }

  /** Marks read everything with seq ≤ `upToSeq`; later arrivals stay unread (`POST /v1/me/notifications/read-all`). */
  async readAll(upToSeq: number): Promise<ActionResult> {
    return this.call("POST", "/v1/me/notifications/read-all", { upToSeq });
  }

  /**
   * Cumulative ack for a stream connection (`connectionId` from its `hello`): every event with
   * seq ≤ `seq` is held (`POST /v1/me/notifications/ack`). 404 when that connection is gone.
   */
  async ack(connectionId: string, seq: number): Promise<{ ackedSeq: number }> {
    return this.call("POST", "/v1/me/notifications/ack", { connectionId, seq });
  }

  /** The user's effective preferences, `GET /v1/me/preferences`. */
  async getPreferences(): Promise<Preferences> {
    return this.call("GET", "/v1/me/preferences");
  }

  /**
   * Changes preferences with an RFC 7396 merge patch, `PATCH /v1/me/preferences`.
   * @param options.ifMatch the version last read: a newer one on the server refuses the patch
   *        (HeraldRequestError 412 `precondition_failed`).
   */
  async updatePreferences(patch: PreferencesMergePatch, options: { ifMatch?: number } = {}): Promise<Preferences> {
    const headers: Record<string, string> = { "content-type": "application/merge-patch+json" };
    if (options.ifMatch !== undefined) headers["if-match"] = `"${options.ifMatch}"`;
    return this.call("PATCH", "/v1/me/preferences", patch, headers);
  }

  /** One call with the user token; answers the JSON body of a 2xx (null when empty). */
  async call<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    Object.assign(headers, extra);
    const res = await this.fetch(this.url(path), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let answer: unknown = null;
    try {
      answer = text ? JSON.parse(text) : null;
    } catch {
      // A non-JSON answer (a proxy's error page): reported by status below.
    }
    if (!res.ok) {
      const problem = (answer ?? {}) as { code?: string; detail?: string };
      throw new HeraldRequestError(res.status, problem.code ?? "http_error", problem.detail ?? `${method} ${path}: ${res.status}`);
    }
    return answer as T;
  }
}
