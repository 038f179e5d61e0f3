/**
 * The UserInbox's own SQLite schema and its small key/value `meta` table.
 *
 * Durable Object storage has no migration tool, so the schema is a list of steps applied in
 * order and recorded in `meta.schema`, the way drizzle-kit's files are for D1: a step is never
 * edited once shipped, a change is a new step. Storage writes made before the constructor
 * returns commit atomically, so an object never wakes up half-migrated.
 */

/**
 * The default retention of an item after it arrived, read or not (30 days). Step 2 below used it
 * when it was fixed; today the retention comes from src/inbox/limits.ts.
 */
export const RETENTION_MS = 30 * 86_400_000;

const STEPS: string[] = [
  // 1: the foundation's tables. `seq` is the item's place in the user's sequence.
  `CREATE TABLE IF NOT EXISTS inbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     title TEXT, body TEXT, data TEXT,
     priority TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     read_at INTEGER,
     delivered_at INTEGER,
     recalled_at INTEGER,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS inbox_unread ON inbox (seq) WHERE read_at IS NULL AND recalled_at IS NULL;
   CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);`,
  // 2: edits and recalls become events in the sequence (`change_seq`), content is versioned,
  // every item has a time it leaves (`purge_at`, the alarm's index), changes that arrive before
  // their item wait in `pending_changes`, and D1 reports wait in `outbox` until the queue took
  // them. The sequence counter moves to `meta.seq`: edits take seqs too, and purged rows must
  // not let MAX(seq) go back.
  `ALTER TABLE inbox ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE inbox ADD COLUMN change_seq INTEGER;
   ALTER TABLE inbox ADD COLUMN purge_at INTEGER NOT NULL DEFAULT 0;
   UPDATE inbox SET purge_at = MIN(COALESCE(expires_at, updated_at + ${RETENTION_MS}), updated_at + ${RETENTION_MS});
   CREATE INDEX inbox_purge ON inbox (purge_at);
   CREATE INDEX inbox_changes ON inbox (change_seq) WHERE change_seq IS NOT NULL;
   CREATE TABLE pending_changes (
     id TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     recalled_at INTEGER,
     title TEXT, body TEXT, data TEXT,
     purge_at INTEGER NOT NULL
   );
   CREATE INDEX pending_changes_purge ON pending_changes (purge_at);
   CREATE TABLE outbox (id TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (id, status));
   INSERT INTO meta (key, value) SELECT 'seq', COALESCE(MAX(seq), 0) FROM inbox WHERE true ON CONFLICT (key) DO NOTHING;`,
  // 3: the newest seq an edit or recall took (`meta.changeSeq`), so a socket's read skips the
  // change events entirely when none came after its cursor — the common case.
  `INSERT INTO meta (key, value) SELECT 'changeSeq', COALESCE(MAX(change_seq), 0) FROM inbox WHERE true ON CONFLICT (key) DO NOTHING;`,
  // 4: the per-user item cap (src/inbox/limits.ts): `meta.items` counts stored rows, kept by every
  // insert and delete, so checking the cap reads no table; `inbox_read` lists the read items the
  // cap evicts first, oldest first, without scanning unread ones.
  `INSERT INTO meta (key, value) SELECT 'items', COUNT(*) FROM inbox WHERE true ON CONFLICT (key) DO NOTHING;
   CREATE INDEX IF NOT EXISTS inbox_read ON inbox (seq) WHERE read_at IS NOT NULL AND recalled_at IS NULL;`,
  // 5: the feed (docs/protocol.md#feed-state): seen, archived and snoozed states, tags, actions and
  // the category on each item, and when it arrived (`arrived_at`: unread and unarchive give back the
  // retention after arrival, docs/data-model.md#userinbox-storage). A change of state is an event in the sequence like an edit, but
  // with its own column (`state_seq`), so a device that missed both an edit and a read is replayed
  // both. `inbox_snoozed` is the alarm's index of snoozes to end; `meta.stateSeq` lets a socket's
  // read skip state events when none came after its cursor, as `meta.changeSeq` does for edits.
  `ALTER TABLE inbox ADD COLUMN seen_at INTEGER;
   ALTER TABLE inbox ADD COLUMN archived_at INTEGER;
   ALTER TABLE inbox ADD COLUMN snoozed_until INTEGER;
   ALTER TABLE inbox ADD COLUMN category TEXT NOT NULL DEFAULT 'general';
   ALTER TABLE inbox ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE inbox ADD COLUMN actions TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE inbox ADD COLUMN state_seq INTEGER;
   ALTER TABLE inbox ADD COLUMN arrived_at INTEGER;
   CREATE INDEX inbox_states ON inbox (state_seq) WHERE state_seq IS NOT NULL;
   CREATE INDEX inbox_snoozed ON inbox (snoozed_until) WHERE snoozed_until IS NOT NULL;
   INSERT INTO meta (key, value) VALUES ('stateSeq', 0) ON CONFLICT (key) DO NOTHING;`,
  // 6: `delivered` and `read` reach D1 from the items themselves, past the cursor `meta.mirrored`
  // (src/inbox/mirror.ts), instead of an outbox row each. An inbox that already acked or read
  // starts the cursor where it stands (its earlier reports are in `outbox` or sent); a fresh one
  // writes nothing and starts at 0.
  `INSERT INTO meta (key, value)
   SELECT 'mirrored', json_object('ackedSeq', COALESCE((SELECT value FROM meta WHERE key = 'ackedSeq'), 0), 'stateSeq', COALESCE((SELECT value FROM meta WHERE key = 'stateSeq'), 0))
   WHERE EXISTS (SELECT 1 FROM meta WHERE (key = 'ackedSeq' OR key = 'stateSeq') AND value > 0)
   ON CONFLICT (key) DO NOTHING;`,
];

/**
 * Brings the object's database to the latest step and loads its `meta` table. Cheap when it is
 * current: one read of `meta`, which the object needs anyway.
 */
export function openInbox(sql: SqlStorage): Meta {
  sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)`);
  let meta = new Meta(sql);
  if (meta.number("schema") < STEPS.length) {
    // One write of the version after all the steps: they commit together (see above), so a
    // version per step would only cost a fresh inbox more rows (docs/cost.md).
    for (let step = meta.number("schema"); step < STEPS.length; step++) sql.exec(STEPS[step]!);
    meta.set("schema", STEPS.length);
    // The steps write `meta` directly: read it again.
    meta = new Meta(sql);
  }
  // The newest state event's seq is one seek along `inbox_states`, made when first asked: kept in
  // memory, not written with every read, seen or archive (a row each, docs/cost.md). A purge of
  // that item can only lower it to the newest state event still stored, which is all its readers ask.
  meta.derive("stateSeq", () => sql.exec<{ v: number | null }>(`SELECT MAX(state_seq) AS v FROM inbox WHERE state_seq IS NOT NULL`).one().v ?? 0);
  return meta;
}

/**
 * The `meta` key/value table (the sequence counter, the delivered prefix, presence reports…),
 * held in memory and written through. The object is single-threaded and every write to `meta`
 * after the migration steps goes through here, so the copy cannot go stale; a new instance — after
 * an eviction or hibernation — loads it again. A write of an unchanged value is skipped.
 */
export class Meta {
  readonly #values = new Map<string, SqlStorageValue>();
  /** Keys kept in memory only, each loaded from the tables on first read (see {@link Meta.derive}). */
  readonly #derived = new Map<string, () => number>();

  constructor(private readonly sql: SqlStorage) {
    for (const [key, value] of sql.exec(`SELECT key, value FROM meta`).raw<[string, SqlStorageValue]>()) this.#values.set(key, value);
  }

  /** A numeric value, 0 when absent. */
  number(key: string): number {
    const load = this.#derived.get(key);
    if (load) {
      this.#derived.delete(key);
      this.#values.set(key, load());
    }
    const value = this.#values.get(key);
    return value === undefined || value === null ? 0 : Number(value);
  }

  /** A text value, null when absent. */
  text(key: string): string | null {
    const value = this.#values.get(key);
    return value === undefined || value === null ? null : String(value);
  }

  /** Sets a value (upsert), durable with the caller's other writes. */
  set(key: string, value: number | string): void {
    if (this.#values.get(key) === value) return;
    this.sql.exec(`INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2`, key, value);
    this.#values.set(key, value);
  }

  /**
   * Makes `key` a value kept in memory only: `load` derives it from the tables on its first read,
   * {@link Meta.remember} sets it. No row is written for it.
   */
  derive(key: string, load: () => number): void {
    this.#derived.set(key, load);
  }

  /** Sets a derived value (see {@link Meta.derive}) in memory only: no row is written. */
  remember(key: string, value: number): void {
    this.#derived.delete(key);
    this.#values.set(key, value);
  }

  /** Removes a value. */
  delete(key: string): void {
    if (!this.#values.has(key)) return;
    this.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    this.#values.delete(key);
  }
}
