/**
 * React hooks for @herald/client (README.md#react). React (≥ 18) is a peer dependency of this
 * entry point only. The hooks read a {@link FeedStore} or {@link PreferencesStore} through
 * `useSyncExternalStore`, so they render consistently under concurrent rendering and on the server.
 */
import { useEffect, useSyncExternalStore } from "react";
import type { FeedSnapshot, FeedStore } from "./feed-store.ts";
import type { FeedCounts, Preferences, PreferencesMergePatch } from "./protocol.ts";
import type { HeraldRest } from "./rest.ts";

/** The feed's snapshot (items, counts, filter, connection, error); re-renders on every change. Actions are methods of the store. */
export function useFeed(store: FeedStore): FeedSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** Only the feed's exact counts: a component showing a badge re-renders when they change. */
export function useCounts(store: FeedStore): FeedCounts {
  const counts = () => store.getSnapshot().counts;
  return useSyncExternalStore(store.subscribe, counts, counts);
}

/** What {@link usePreferences} returns. */
export interface PreferencesState {
  /** null until loaded. */
  preferences: Preferences | null;
  loading: boolean;
  error: Error | null;
}

/**
 * The user's preferences as a store: loads once on demand, applies merge patches with
 * `If-Match` on the version it holds (a 412 reloads and reports the error), and notifies
 * subscribers. Create one per user and share it between components.
 */
export class PreferencesStore {
  readonly #rest: HeraldRest;
  readonly #listeners = new Set<() => void>();
  #state: PreferencesState = { preferences: null, loading: false, error: null };
  #loading: Promise<void> | null = null;

  constructor(rest: HeraldRest) {
    this.#rest = rest;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  getSnapshot = (): PreferencesState => this.#state;

  /** Loads the preferences unless loaded or loading. @returns when done (errors land in `error`). */
  load(): Promise<void> {
    if (this.#state.preferences) return Promise.resolve();
    this.#loading ??= this.#run(() => this.#rest.getPreferences()).then(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /** Applies a merge patch against the version held. @returns false when refused (see `error`). */
  async update(patch: PreferencesMergePatch): Promise<boolean> {
    const version = this.#state.preferences?.version;
    const ok = await this.#run(() => this.#rest.updatePreferences(patch, version === undefined ? {} : { ifMatch: version }));
    if (!ok) await this.#run(() => this.#rest.getPreferences(), true);
    return ok;
  }

  async #run(call: () => Promise<Preferences>, keepError = false): Promise<boolean> {
    this.#set({ loading: true, ...(keepError ? {} : { error: null }) });
    try {
      this.#set({ preferences: await call(), loading: false });
      return true;
    } catch (error) {
      this.#set({ loading: false, error: error instanceof Error ? error : new Error(String(error)) });
      return false;
    }
  }

  #set(change: Partial<PreferencesState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}

/**
 * The user's preferences, loaded on mount (in the browser; a server render shows what the store
 * holds), and `update` to change them.
 */
export function usePreferences(store: PreferencesStore): PreferencesState & { update: (patch: PreferencesMergePatch) => Promise<boolean> } {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  useEffect(() => void store.load(), [store]);
  return { ...state, update: (patch) => store.update(patch) };
}
