/**
 * The UserInbox's own SQLite schema and its small key/value `meta` table.
 *
 * Durable Object storage has no migration tool, so the schema is a list of steps applied in
 * order and recorded in `meta.schema`, the way drizzle-kit's files are for D1: a step is never
 * edited once shipped, a change is a new step. Storage writes made before the constructor
 * returns commit atomically, so an object never wakes up half-migrated.
 */
import { execScript } from "../lib/sql-script";

/**
 * The default retention of an item after it arrived, read or not (30 days). Step 2 below used it
 * when it was fixed; today the retention comes from src/inbox/limits.ts.
 */
export const RETENTION_MS = 30 * 86_400_000;

/**
 * Step 7's `inbox`: the columns of steps 1, 2 and 5, and `seq` a plain INTEGER PRIMARY KEY (no
 * AUTOINCREMENT). Shipped with step 7: never edited, as the steps are.
 */
const INBOX_7 = `CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT, body TEXT, data TEXT,
    priority TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    read_at INTEGER,
    delivered_at INTEGER,
    recalled_at INTEGER,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    change_seq INTEGER,
    purge_at INTEGER NOT NULL DEFAULT 0,
    seen_at INTEGER,
    archived_at INTEGER,
    snoozed_until INTEGER,
    category TEXT NOT NULL DEFAULT 'general',
    tags TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    state_seq INTEGER,
    arrived_at INTEGER
  );`;
/**
 * Step 7's `meta`: WITHOUT ROWID, so a new key is one row written, not a row and its key's index
 * row. Shipped with step 7: never edited.
 */
const META_7 = `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID`;
const INBOX_7_COLUMNS = `seq, id, title, body, data, priority, created_at, expires_at, read_at, delivered_at, recalled_at, updated_at,
  version, change_seq, purge_at, seen_at, archived_at, snoozed_until, category, tags, actions, state_seq, arrived_at`;
/** Step 7's indexes on `inbox`: those of steps 2, 4 and 5 (step 1's `inbox_unread` is gone). */
const INBOX_7_INDEXES = `CREATE INDEX inbox_purge ON inbox (purge_at);
  CREATE INDEX inbox_changes ON inbox (change_seq) WHERE change_seq IS NOT NULL;
  CREATE INDEX inbox_read ON inbox (seq) WHERE read_at IS NOT NULL AND recalled_at IS NULL;
  CREATE INDEX inbox_states ON inbox (state_seq) WHERE state_seq IS NOT NULL;
  CREATE INDEX inbox_snoozed ON inbox (snoozed_until) WHERE snoozed_until IS NOT NULL;`;
/**
 * Step 9's `inbox_purge`: only the items with a removal time of their own — an expiry, a read or
 * an archive (7 days after it by default), a recall. The others leave at their arrival plus the
 * retention, i.e. in `seq` order, which the purge walks without an index (src/inbox/items.ts):
 * a new item without expiry writes no index row. Shipped with step 9: never edited.
 */
const INBOX_PURGE_9 = `CREATE INDEX inbox_purge ON inbox (purge_at)
    WHERE (expires_at IS NOT NULL OR read_at IS NOT NULL OR archived_at IS NOT NULL OR recalled_at IS NOT NULL);`;
/** Step 9's indexes on `inbox`: step 7's without `inbox_read` (step 8), with {@link INBOX_PURGE_9}. */
const INBOX_9_INDEXES = `${INBOX_PURGE_9}
  CREATE INDEX inbox_changes ON inbox (change_seq) WHERE change_seq IS NOT NULL;
  CREATE INDEX inbox_states ON inbox (state_seq) WHERE state_seq IS NOT NULL;
  CREATE INDEX inbox_snoozed ON inbox (snoozed_until) WHERE snoozed_until IS NOT NULL;`;

/**
 * SQL: an `inbox` row has a removal time of its own, so `inbox_purge` holds it (step 9's
 * predicate, word for word, so SQLite sees a statement that names it may use the index). The
 * rows without one leave in `seq` order: see `purgeDue` in src/inbox/items.ts.
 */
export const OWN_PURGE_TIME = `(expires_at IS NOT NULL OR read_at IS NOT NULL OR archived_at IS NOT NULL OR recalled_at IS NOT NULL)`;

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
  // 7: fewer rows written per item (docs/cost.md#where-the-rows-go). `inbox` is rebuilt without
  // AUTOINCREMENT — `seq` is always given (the newest seq + 1), so `sqlite_sequence` only cost a row
  // per insert — and without `inbox_unread`, which only the `unread` list filter used (it walks
  // down `seq` now, like the tag filter); `meta` is rebuilt WITHOUT ROWID. The counters `seq`,
  // `changeSeq`, `stateSeq`, `ackedSeq` and `items` are derived from the rows on first use and kept
  // in memory (see COUNTERS below); what the rows cannot show is kept in `meta.marks`, which starts
  // where the counters stand.
  `INSERT INTO meta (key, value)
   SELECT 'marks', json_object('seq', value, 'ackedSeq', COALESCE((SELECT value FROM meta WHERE key = 'ackedSeq'), 0), 'items', (SELECT COUNT(*) FROM inbox))
   FROM meta WHERE key = 'seq' AND value > 0
   ON CONFLICT (key) DO NOTHING;
   DELETE FROM meta WHERE key IN ('seq', 'changeSeq', 'stateSeq', 'ackedSeq', 'items');
   ALTER TABLE meta RENAME TO meta_6;
   ${META_7};
   INSERT INTO meta (key, value) SELECT key, value FROM meta_6;
   DROP TABLE meta_6;
   ALTER TABLE inbox RENAME TO inbox_6;
   ${INBOX_7}
   INSERT INTO inbox (${INBOX_7_COLUMNS}) SELECT ${INBOX_7_COLUMNS} FROM inbox_6;
   DROP TABLE inbox_6;
   ${INBOX_7_INDEXES}`,
  // 8: one row less written per read (docs/cost.md#where-the-rows-go): `inbox_read` goes. The cap
  // evicts along `inbox_states` instead (src/inbox/items.ts `evictOverCap`), which every read
  // already writes: the read items whose state changed longest ago go first.
  `DROP INDEX IF EXISTS inbox_read;`,
  // 9: one row less written per item (docs/cost.md#where-the-rows-go): `inbox_purge` keeps only
  // the items with a removal time of their own; an unread item without expiry leaves at its
  // arrival plus the retention, in `seq` order, and the purge walks `seq` to find those.
  `DROP INDEX IF EXISTS inbox_purge;
   ${INBOX_PURGE_9}`,
];

/**
 * A new inbox's schema, built in one go instead of replaying every step (which would create the
 * old `inbox` and then rebuild it): what the steps build, as test/integration/inbox-schema.test.ts
 * checks. A step that changes the schema changes this too.
 */
const LATEST = `${INBOX_7}
  ${INBOX_9_INDEXES}
  CREATE TABLE pending_changes (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    recalled_at INTEGER,
    title TEXT, body TEXT, data TEXT,
    purge_at INTEGER NOT NULL
  );
  CREATE INDEX pending_changes_purge ON pending_changes (purge_at);
  CREATE TABLE outbox (id TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (id, status));`;

/** The schema's version: how many steps it has. */
export const SCHEMA_VERSION = STEPS.length;

/**
 * Applies steps `from + 1` through `to` (1-based, as `meta.schema` counts them) to `sql`. The
 * caller records the version; test/integration/inbox-schema.test.ts builds inboxes of older versions with it.
 */
export function applySteps(sql: SqlStorage, from: number, to = SCHEMA_VERSION): void {
  for (let step = from; step < to; step++) execScript(sql, STEPS[step]!);
}

/**
 * Brings the object's database to the latest step and loads its `meta` table. Cheap when it is
 * current: one read of `meta`, which the object needs anyway.
 */
export function openInbox(sql: SqlStorage): Meta {
  sql.exec(META_7);
  let meta = new Meta(sql);
  const version = meta.number("schema");
  if (version < SCHEMA_VERSION) {
    // A new inbox gets the latest schema at once. Inboxes from before `meta.schema` have an
    // `inbox` table but no version: they take the steps, as every older inbox does.
    const fresh = version === 0 && sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inbox'`).toArray().length === 0;
    if (fresh) execScript(sql, LATEST);
    else applySteps(sql, version);
    // One write of the version after all the steps: they commit together (see above), so a
    // version per step would only cost a fresh inbox more rows (docs/cost.md).
    meta.set("schema", SCHEMA_VERSION);
    // The steps write `meta` directly: read it again.
    meta = new Meta(sql);
  }
  meta.derive(COUNTERS, () => deriveCounters(sql, marksOf(meta)));
  return meta;
}

/**
 * The inbox's counters, kept in memory and derived from the rows when first asked for (one
 * statement: three seeks, and two short walks bounded by {@link MARK_EVERY}), instead of a `meta`
 * row written with every change (docs/cost.md#where-the-rows-go):
 * - `seq`: the newest seq assigned, to an item (`seq`), an edit or recall (`change_seq`) or a state
 *   change (`state_seq`). It must never go back, and a removal can take the row that holds it (an
 *   item read or expiring before older ones): a removal saves it in `meta.marks` first;
 * - `changeSeq`, `stateSeq`: the newest edit or recall, and state change, still stored — all their
 *   readers ask (src/inbox/events.ts), so a removal may lower them;
 * - `ackedSeq`: the end of the delivered prefix (cumulative acks). The rows show it when an ack
 *   ends on an item (the newest delivered item); an ack that ends on an edit or a state event
 *   saves it in `meta.marks`;
 * - `items`: the rows stored (the cap's counter): `meta.marks.items` plus the items after
 *   `meta.marks.seq`, as every removal saves the marks.
 */
const COUNTERS = ["seq", "changeSeq", "stateSeq", "ackedSeq", "items"] as const;

/**
 * How far `seq` or `ackedSeq` may run past `meta.marks` before the marks are saved: the walks that
 * derive `items` and `ackedSeq` read at most this many rows (a row written per 64 seqs instead of
 * a row per change).
 */
export const MARK_EVERY = 64;

/** Where the counters stood when `meta.marks` was last saved (see {@link COUNTERS}); zeros for a new inbox. */
interface Marks {
  seq: number;
  ackedSeq: number;
  items: number;
}

function marksOf(meta: Meta): Marks {
  const stored = meta.text("marks");
  return stored === null ? { seq: 0, ackedSeq: 0, items: 0 } : (JSON.parse(stored) as Marks);
}

/** The {@link COUNTERS} as the rows and `marks` show them. */
function deriveCounters(sql: SqlStorage, marks: Marks): Record<(typeof COUNTERS)[number], number> {
  const rows = sql
    .exec<{ seq: number | null; change_seq: number | null; state_seq: number | null; newer: number; delivered: number | null }>(
      `SELECT MAX(seq) AS seq,
              (SELECT MAX(change_seq) FROM inbox WHERE change_seq IS NOT NULL) AS change_seq,
              (SELECT MAX(state_seq) FROM inbox WHERE state_seq IS NOT NULL) AS state_seq,
              (SELECT COUNT(*) FROM inbox WHERE seq > ?1) AS newer,
              (SELECT MAX(seq) FROM inbox WHERE seq > ?2 AND seq < COALESCE(
                 (SELECT seq FROM inbox WHERE seq > ?2 AND delivered_at IS NULL ORDER BY seq LIMIT 1), ${Number.MAX_SAFE_INTEGER})) AS delivered
       FROM inbox`,
      marks.seq,
      marks.ackedSeq,
    )
    .one();
  return {
    seq: Math.max(marks.seq, rows.seq ?? 0, rows.change_seq ?? 0, rows.state_seq ?? 0),
    changeSeq: rows.change_seq ?? 0,
    stateSeq: rows.state_seq ?? 0,
    ackedSeq: Math.max(marks.ackedSeq, rows.delivered ?? 0),
    items: marks.items + rows.newer,
  };
}

/** Saves the counters the rows may not show in `meta.marks` (one row). */
function saveMarks(meta: Meta): void {
  const marks: Marks = { seq: meta.number("seq"), ackedSeq: meta.number("ackedSeq"), items: meta.number("items") };
  meta.set("marks", JSON.stringify(marks));
}

/**
 * Records that an event took `seq`, the newest seq, in its row (an item, an edit or recall, a
 * state change): in memory, saving the marks every {@link MARK_EVERY} seqs.
 */
export function advanceSeq(meta: Meta, seq: number): void {
  meta.remember("seq", seq);
  if (seq - marksOf(meta).seq >= MARK_EVERY) saveMarks(meta);
}

/**
 * Records a cumulative ack of `seq`, the new end of the delivered prefix, in memory. The rows show
 * it when the item of seq `seq` was just marked delivered (`onItem`); otherwise, and every
 * {@link MARK_EVERY} seqs, the marks are saved.
 */
export function advanceAckedSeq(meta: Meta, seq: number, onItem: boolean): void {
  meta.remember("ackedSeq", seq);
  if (!onItem || seq - marksOf(meta).ackedSeq >= MARK_EVERY) saveMarks(meta);
}

/**
 * Records that `count` items were removed (retention, the cap) and saves the marks: the removed
 * rows may have held the newest seq or the delivered prefix's end. Call {@link Meta.load} before
 * removing them: the counters are derived from the rows as they stood.
 */
export function countRemoved(meta: Meta, count: number): void {
  meta.remember("items", Math.max(0, meta.number("items") - count));
  saveMarks(meta);
}

/**
 * The `meta` key/value table (the marks, the mirror's cursor, presence reports…), held in memory
 * and written through. The object is single-threaded and every write to `meta` after the
 * migration steps goes through here, so the copy cannot go stale; a new instance — after an
 * eviction or hibernation — loads it again. A write of an unchanged value is skipped.
 */
export class Meta {
  readonly #values = new Map<string, SqlStorageValue>();
  /** Keys kept in memory only, loaded together from the tables on first read (see {@link Meta.derive}). */
  #derived: { keys: readonly string[]; load: () => Record<string, number> } | null = null;

  constructor(private readonly sql: SqlStorage) {
    for (const [key, value] of sql.exec(`SELECT key, value FROM meta`).raw<[string, SqlStorageValue]>()) this.#values.set(key, value);
  }

  /** A numeric value, 0 when absent. */
  number(key: string): number {
    if (this.#derived?.keys.includes(key)) this.load();
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
   * Makes `keys` values kept in memory only: `load` derives them all from the tables on the first
   * read of any ({@link Meta.load}), {@link Meta.remember} sets one. No row is written for them.
   */
  derive(keys: readonly string[], load: () => Record<string, number>): void {
    this.#derived = { keys, load };
  }

  /**
   * Derives the values of {@link Meta.derive} now, if they are not yet: before a change to the
   * rows they are derived from, which would make the derivation wrong.
   */
  load(): void {
    const derived = this.#derived;
    if (!derived) return;
    this.#derived = null;
    for (const [key, value] of Object.entries(derived.load())) this.#values.set(key, value);
  }

  /** Sets a derived value (see {@link Meta.derive}) in memory only: no row is written. */
  remember(key: string, value: number): void {
    this.load();
    this.#values.set(key, value);
  }

  /** Removes a value. */
  delete(key: string): void {
    if (!this.#values.has(key)) return;
    this.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    this.#values.delete(key);
  }
}
