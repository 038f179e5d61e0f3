/**
 * FeedStore: a headless notification feed on top of a {@link HeraldClient} (docs/api.md#feed).
 * It holds what a feed UI renders — the filtered items, exact counts, the connection — as one
 * immutable snapshot with `subscribe`/`getSnapshot`, the shape React's `useSyncExternalStore`
 * takes (and any other UI library can poll or subscribe to).
 *
 * Actions are optimistic: the snapshot shows their effect at once, the REST call follows, and a
 * refused call rolls the item back and reports the error in `snapshot.error`. The server's own
 * word wins as soon as it arrives: the next frame about an item drops the pending patch, and
 * counts are re-read from `GET /v1/me/notifications/counts` after every change.
 */
import type { ConnectionState, HeldNotification, HeraldClient } from "./client.ts";
import type { FeedAction, FeedCounts, InboxNotification } from "./protocol.ts";

/** Which items the feed shows. `tag` null: every tag. */
export interface FeedFilter {
  /** `unread`: only unread items; `all`: read ones too. */
  status: "unread" | "all";
  /** true: only archived items; false: only items not archived. */
  archived: boolean;
  tag: string | null;
}

/** One item as the feed shows it: the notification with its seq and the state it is shown in. */
export interface FeedItem extends HeldNotification {
  /** An action on it is on its way to the server. */
  pending: boolean;
}

/** What a feed UI renders; a new object after every change, equal by reference until then. */
export interface FeedSnapshot {
  /** The filtered items, newest first; snoozed items are left out until their time. */
  items: FeedItem[];
  /** Exact counts from the server, adjusted by pending actions; before the first answer, counted from the items held. */
  counts: FeedCounts;
  /** Every tag of the items held, sorted, for tabs. */
  tags: string[];
  filter: FeedFilter;
  connection: ConnectionState;
  transport: "websocket" | "sse";
  /** The last refused action, until the next action. */
  error: { action: FeedAction | "readAll"; ids: string[]; message: string } | null;
}

type Patch = Partial<Pick<InboxNotification, "readAt" | "seenAt" | "archivedAt" | "snoozedUntil">>;

export interface FeedStoreOptions {
  filter?: Partial<FeedFilter>;
  /** Wait this long after a change before re-reading counts, so a burst costs one call, in ms. Default 50. */
  countsDelayMs?: number;
  /**
   * Apply pending actions to `counts` at once (default true). False: counts move only when the
   * server reports the change (its frame or the counts call), so a badge never shows a number the
   * server does not hold yet; the items are optimistic either way.
   */
  optimisticCounts?: boolean;
}

/** A feed of one user's inbox. Create it, then {@link HeraldClient.connect} the client (before or after). */
export class FeedStore {
  readonly #client: HeraldClient;
  readonly #listeners = new Set<() => void>();
  readonly #countsDelayMs: number;
  readonly #optimisticCounts: boolean;
  /** Optimistic patches by item id, until the server answers or the next frame about the item. */
  readonly #patches = new Map<string, Patch>();
  #filter: FeedFilter;
  #serverCounts: FeedCounts | null = null;
  /** Frames with exact counts seen so far: a counts answer asked for before the latest one is stale. */
  #framesCounted = 0;
  #error: FeedSnapshot["error"] = null;
  #snapshot: FeedSnapshot;
  #countsTimer: ReturnType<typeof setTimeout> | null = null;
  #snoozeTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #unbind: (() => void)[];

  constructor(client: HeraldClient, options: FeedStoreOptions = {}) {
    this.#client = client;
    this.#countsDelayMs = options.countsDelayMs ?? 50;
    this.#optimisticCounts = options.optimisticCounts ?? true;
    this.#filter = { status: "all", archived: false, tag: null, ...options.filter };
    this.#unbind = [
      client.on("change", () => {
        this.#scheduleCounts();
        this.#update();
      }),
      client.on("notification", (frame) => this.#patches.delete(frame.notification.id)),
      client.on("updated", (frame) => this.#patches.delete(frame.notification.id)),
      client.on("feedState", (frame) => {
        this.#patches.delete(frame.id);
        this.#exact({ unread: frame.unreadCount, unseen: frame.unseenCount });
      }),
      client.on("read", (frame) => {
        for (const id of frame.ids) if (this.#patches.get(id)?.readAt) this.#patches.delete(id);
        this.#exact({ unread: frame.unreadCount });
      }),
      client.on("hello", (frame) => this.#exact({ unread: frame.unreadCount })),
      client.on("recalled", (frame) => this.#exact({ unread: frame.unreadCount })),
      client.on("state", () => this.#update()),
      client.on("transport", () => this.#update()),
    ];
    this.#snapshot = this.#build();
  }

  /** Calls `listener` after every change of the snapshot. @returns a function that unsubscribes. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** The current snapshot (the same object until something changes). */
  getSnapshot = (): FeedSnapshot => this.#snapshot;

  /** Changes which items are shown; counts stay the whole inbox's. */
  setFilter(filter: Partial<FeedFilter>): void {
    this.#filter = { ...this.#filter, ...filter };
    this.#update();
  }

  /** Re-reads the exact counts now. A failure keeps the last counts (they are re-read after the next change). */
  async refreshCounts(): Promise<void> {
    const asked = this.#framesCounted;
    try {
      const counts = await this.#client.rest.counts();
      // A frame with exact counts arrived while the call was out: its counts are newer than the
      // answer may be (the call can have been served before the change), so ask again.
      if (asked !== this.#framesCounted) return this.#scheduleCounts();
      this.#serverCounts = counts;
      this.#update();
    } catch {
      // Counts are a view: the next change tries again.
    }
  }

  markRead(ids: string[]): Promise<boolean> {
    return this.#act("read", ids, { readAt: new Date().toISOString() });
  }

  markUnread(ids: string[]): Promise<boolean> {
    return this.#act("unread", ids, { readAt: null });
  }

  /** Reports items as displayed; no rollback is shown for it (a UI does not render "unseen" as an action). */
  markSeen(ids: string[]): Promise<boolean> {
    const unseen = ids.filter((id) => !this.#current(id)?.seenAt);
    return unseen.length === 0 ? Promise.resolve(true) : this.#act("seen", unseen, { seenAt: new Date().toISOString() });
  }

  archive(ids: string[]): Promise<boolean> {
    return this.#act("archive", ids, { archivedAt: new Date().toISOString() });
  }

  unarchive(ids: string[]): Promise<boolean> {
    return this.#act("unarchive", ids, { archivedAt: null });
  }

  /** Hides items until `until` (ms since epoch); the server sends them again then, under a new seq. */
  snooze(ids: string[], until: number): Promise<boolean> {
    return this.#act("snooze", ids, { snoozedUntil: new Date(until).toISOString() }, until);
  }

  /**
   * Marks read everything up to the newest item held (`read-all {upToSeq}`), so an item arriving
   * meanwhile stays unread. @returns false when the server refused (rolled back, see `error`).
   */
  async markAllRead(): Promise<boolean> {
    const held = this.#client.items;
    const upToSeq = Math.max(0, ...held.map((n) => n.seq));
    const ids = held.filter((n) => this.#current(n.id)?.readAt === null).map((n) => n.id);
    const readAt = new Date().toISOString();
    for (const id of ids) this.#patches.set(id, { ...this.#patches.get(id), readAt });
    this.#error = null;
    this.#update();
    try {
      await this.#client.rest.readAll(upToSeq);
      this.#scheduleCounts();
      return true;
    } catch (error) {
      for (const id of ids) this.#patches.delete(id);
      this.#error = { action: "readAll", ids, message: error instanceof Error ? error.message : String(error) };
      this.#update();
      return false;
    }
  }

  /** Stops listening to the client (the client itself stays as it is). */
  dispose(): void {
    for (const unbind of this.#unbind) unbind();
    if (this.#countsTimer !== null) clearTimeout(this.#countsTimer);
    if (this.#snoozeTimer !== null) clearTimeout(this.#snoozeTimer);
    this.#listeners.clear();
  }

  async #act(action: FeedAction, ids: string[], patch: Patch, until?: number): Promise<boolean> {
    if (ids.length === 0) return true;
    const before = new Map(ids.map((id) => [id, this.#patches.get(id)]));
    for (const id of ids) this.#patches.set(id, { ...this.#patches.get(id), ...patch });
    this.#error = null;
    this.#update();
    try {
      const rest = this.#client.rest;
      if (action === "snooze") await Promise.all(ids.map((id) => rest.act(id, "snooze", until)));
      else if (ids.length === 1) await rest.act(ids[0]!, action);
      else await rest.bulk({ ids }, action);
      this.#scheduleCounts();
      return true;
    } catch (error) {
      // Roll back to what was shown before, unless a frame has settled the item meanwhile.
      for (const [id, previous] of before) {
        if (!this.#patches.has(id)) continue;
        if (previous) this.#patches.set(id, previous);
        else this.#patches.delete(id);
      }
      this.#error = { action, ids, message: error instanceof Error ? error.message : String(error) };
      this.#update();
      return false;
    }
  }

  /** An item as shown: the client's version with its pending patch over it. */
  #current(id: string): InboxNotification | undefined {
    const held = this.#client.items.find((n) => n.id === id);
    return held && { ...held, ...this.#patches.get(id) };
  }

  /**
   * Counts a frame carries are exact as of that frame, newer than the last REST answer: they
   * replace it at once (the frame's `change` renders them), and `byTag` follows with the refresh.
   */
  #exact(counts: { unread: number; unseen?: number }): void {
    this.#framesCounted++;
    if (this.#serverCounts) this.#serverCounts = { ...this.#serverCounts, ...counts };
  }

  #scheduleCounts(): void {
    if (this.#countsTimer !== null) return;
    this.#countsTimer = setTimeout(() => {
      this.#countsTimer = null;
      void this.refreshCounts();
    }, this.#countsDelayMs);
  }

  #update(): void {
    this.#snapshot = this.#build();
    for (const listener of this.#listeners) listener();
  }

  #build(): FeedSnapshot {
    const now = Date.now();
    const all = this.#client.items.map((n): FeedItem => ({ ...n, ...this.#patches.get(n.id), pending: this.#patches.has(n.id) }));
    const snoozed = (n: FeedItem) => n.snoozedUntil != null && Date.parse(n.snoozedUntil) > now;
    const visible = all.filter((n) => !snoozed(n));
    const { status, archived, tag } = this.#filter;
    const items = visible.filter(
      (n) => (status === "all" || n.readAt === null) && Boolean(n.archivedAt) === archived && (tag === null || (n.tags ?? []).includes(tag)),
    );
    this.#scheduleSnoozeWake(all.filter(snoozed));
    return {
      items,
      counts: this.#counts(visible),
      tags: [...new Set(all.flatMap((n) => n.tags ?? []))].sort(),
      filter: this.#filter,
      connection: this.#client.state,
      transport: this.#client.transport,
      error: this.#error,
    };
  }

  /**
   * Exact server counts (before the first answer: the client's exact unread count and the rest
   * counted from the items held) with the pending read patches applied.
   */
  #counts(visible: FeedItem[]): FeedCounts {
    let base = this.#serverCounts;
    if (!base) {
      const live = visible.filter((n) => !n.archivedAt);
      const byTag: FeedCounts["byTag"] = {};
      for (const n of live) {
        for (const t of n.tags ?? []) {
          const c = (byTag[t] ??= { unread: 0, unseen: 0, total: 0 });
          c.total++;
          if (n.readAt === null) c.unread++;
          if (!n.seenAt) c.unseen++;
        }
      }
      base = { unread: this.#client.unreadCount, unseen: live.filter((n) => !n.seenAt).length, total: live.length, byTag };
    }
    let { unread } = base;
    if (!this.#optimisticCounts) return base;
    for (const [id, patch] of this.#patches) {
      const held = this.#client.items.find((n) => n.id === id);
      if (!held || !("readAt" in patch)) continue;
      if (held.readAt === null && patch.readAt) unread--;
      if (held.readAt !== null && patch.readAt === null) unread++;
    }
    return { ...base, unread: Math.max(0, unread) };
  }

  /** Re-renders when the earliest snoozed item is due, so it shows again even before the server's frame. */
  #scheduleSnoozeWake(snoozed: FeedItem[]): void {
    if (this.#snoozeTimer !== null) clearTimeout(this.#snoozeTimer);
    this.#snoozeTimer = null;
    if (snoozed.length === 0) return;
    const next = Math.min(...snoozed.map((n) => Date.parse(n.snoozedUntil!)));
    // setTimeout fires at once above 2^31-1 ms; a snooze that long is re-checked daily instead.
    this.#snoozeTimer = setTimeout(() => this.#update(), Math.min(next - Date.now() + 10, 86_400_000));
  }
}
