/**
 * Batch notifications with per-item idempotency and partial success (docs/api.md#batch-idempotency; seed problem: a
 * batch endpoint failed whole on one idempotency conflict, so callers could not tell successes
 * from duplicates from failures, and retries wasted work).
 *
 * Every item carries its own `idempotencyKey` and gets its own result. Each notification is the
 * record of its own key (docs/api.md#idempotency): rows are inserted set-based — a few statements
 * per chunk inside one `batch()` transaction — and the unique key index decides races, so 20
 * identical concurrent batches create each notification once and report it `created` in exactly
 * one response.
 */
import type { z } from "zod";
import type { FieldError } from "../lib/errors";
import { ApiError } from "../lib/errors";
import { fingerprint } from "../lib/fingerprint";
import { claimable, readRecordsWithStatus, type JudgedRecord } from "../db/idempotency-records";
import { allInsertedGuardStatement } from "../db/notifications";
import { fieldErrors } from "../http/router";
import { IdempotencyKey, MAX_DATA_BYTES, NotificationInput } from "./input";
import { jsonBytes } from "../lib/queue";
import { loadTemplates } from "../db/templates";
import { countedBatch } from "../db/counter-buffer";
import { insertNotificationStatements, insertPackStatements, packNotificationRows, prepareNotification, takeoverStatements, type NotificationRow } from "./store";

/** Idempotency scope shared with `POST /v1/notifications`: a key means the same thing on both routes. */
export const NOTIFICATION_SCOPE = "notifications";
/** docs/api.md#limits: at most 1,000 items per batch. */
export const MAX_BATCH_ITEMS = 1000;

export type ItemStatus = "created" | "duplicate" | "conflict" | "invalid" | "failed";

/** One entry of `results`, in request order. Times are ISO-8601. */
export interface ItemResult {
  index: number;
  idempotencyKey: string | null;
  notificationId: string | null;
  status: ItemStatus;
  isIdempotent: boolean;
  processedAt: string;
  /** In-app (or first channel's) delivery status of the notification the key points to. */
  deliveryStatus?: string | null;
  error?: { code: string; detail: string; errors?: FieldError[] };
}

export interface BatchOutcome {
  results: ItemResult[];
  summary: Record<ItemStatus, number>;
  /** Rows this request created, to dispatch. */
  created: NotificationRow[];
}

/** An item that passed the schema and size checks, with its key and fingerprint. */
interface Checked {
  index: number;
  key: string;
  input: NotificationInput;
  fp: string;
}

/** A checked item rendered into the row it would create. */
interface Prepared extends Checked {
  row: NotificationRow;
}

/** An `invalid` result with the given error. */
const invalidResult = (index: number, idempotencyKey: string | null, processedAt: string, error: Required<ItemResult>["error"]): ItemResult => ({
  index,
  idempotencyKey,
  notificationId: null,
  status: "invalid",
  isIdempotent: false,
  processedAt,
  error,
});

/**
 * Checks each item on its own: the schema and `data` ≤ 16 KiB. A failing item becomes an
 * `invalid` result and the others proceed. Fingerprints are the single route's (the canonical
 * body without `idempotencyKey`), so a key means the same on both routes.
 */
async function checkItems(items: unknown[], iso: string): Promise<{ invalid: ItemResult[]; checked: Checked[] }> {
  const invalid: ItemResult[] = [];
  const checked: Checked[] = [];
  for (const [index, raw] of items.entries()) {
    const isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
    const { idempotencyKey: key, ...body } = (isObject ? raw : {}) as Record<string, unknown>;
    const keyCheck = IdempotencyKey.safeParse(key);
    const parsed = NotificationInput.safeParse(isObject ? body : raw);
    const reportedKey = typeof key === "string" ? key : null;
    if (!keyCheck.success || !parsed.success) {
      const errors = [...(keyCheck.success ? [] : fieldErrors(keyCheck.error as z.ZodError, ["idempotencyKey"])), ...(parsed.success ? [] : fieldErrors(parsed.error))];
      invalid.push(invalidResult(index, reportedKey, iso, { code: "validation_failed", detail: "The item does not match the schema.", errors }));
    } else if (jsonBytes(parsed.data.data) > MAX_DATA_BYTES) {
      invalid.push(
        invalidResult(index, reportedKey, iso, { code: "payload_too_large", detail: "`data` is too large.", errors: [{ path: "data", message: `At most ${MAX_DATA_BYTES} bytes of JSON.` }] }),
      );
    } else {
      checked.push({ index, key: keyCheck.data, input: parsed.data, fp: "" });
    }
  }
  const fps = await Promise.all(checked.map((c) => fingerprint(c.input)));
  checked.forEach((c, i) => (c.fp = fps[i]!));
  return { invalid, checked };
}

/**
 * Renders `items` into rows (their templates loaded in one query, only when some item names
 * one); an item whose template is unknown or lacks a variable becomes an `invalid` result.
 */
async function prepareItems(db: D1Database, items: Checked[], now: number, iso: string): Promise<{ invalid: ItemResult[]; prepared: Prepared[] }> {
  const names = items.flatMap((item) => (item.input.template ? [item.input.template] : []));
  const templates = names.length > 0 ? await loadTemplates(db, names) : new Map();
  const invalid: ItemResult[] = [];
  const prepared: Prepared[] = [];
  for (const item of items) {
    try {
      prepared.push({ ...item, row: prepareNotification(item.input, templates, { idempotencyKey: item.key, fingerprint: item.fp, now }) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      invalid.push(invalidResult(item.index, item.key, iso, { code: error.code, detail: error.detail, errors: error.extra.errors }));
    }
  }
  return { invalid, prepared };
}

/** Reads the records of `keys` (the notifications holding them, a broadcast's record), with the current delivery status of what they point to. */
const readRecords = (db: D1Database, keys: string[], now: number) => readRecordsWithStatus(db, NOTIFICATION_SCOPE, keys, now);

/**
 * Accepts a batch (see module comment).
 *
 * Without `atomic`, the records of the batch's keys are read first, in one round trip: an item
 * whose key is already recorded (and not claimable) is judged against its record — `duplicate` or
 * `conflict` — and is neither rendered, nor written, nor given an id; a replayed batch costs that
 * one read. Only the items left are rendered (their templates loaded) and written; a key whose
 * holder expired is taken over in the same transaction (`takeoverStatements`).
 * @param items 1..1,000 raw items (each validated here).
 * @param atomic all-or-nothing: any item not `created` → nothing written and ApiError 422.
 * @param ttlMs idempotency record lifetime.
 * @throws ApiError `atomic_batch_rejected` (422) in atomic mode, listing the offending indexes and why.
 */
export async function acceptBatch(db: D1Database, items: unknown[], opts: { atomic: boolean; ttlMs: number; now?: number }): Promise<BatchOutcome> {
  const now = opts.now ?? Date.now();
  const iso = new Date(now).toISOString();
  const { invalid, checked } = await checkItems(items, iso);

  // A key recorded before this request (and not claimable) decides its items without rendering.
  const records = opts.atomic || checked.length === 0 ? new Map<string, JudgedRecord>() : await readRecords(db, [...new Set(checked.map((c) => c.key))], now);
  const recorded = (key: string) => {
    const record = records.get(key);
    return record !== undefined && !claimable(record, now);
  };
  const rendered = await prepareItems(db, checked.filter((c) => !recorded(c.key)), now, iso);
  invalid.push(...rendered.invalid);
  const prepared = new Map(rendered.prepared.map((p) => [p.index, p]));

  // Within one batch the first item of a key wins; later ones are judged against it.
  const leaders = new Map<string, Checked>();
  const repeats: Checked[] = [];
  for (const c of checked) {
    if (!recorded(c.key) && !prepared.has(c.index)) continue;
    if (leaders.has(c.key)) repeats.push(c);
    else leaders.set(c.key, c);
  }
  /** Leaders to create: their rows, by key. */
  const toClaim = [...leaders.values()].flatMap((l) => (prepared.has(l.index) ? [prepared.get(l.index)!] : []));

  if (opts.atomic && (invalid.length > 0 || repeats.length > 0)) {
    throw atomicRefusal([...invalid.map((r) => ({ index: r.index, status: r.status })), ...repeats.map((r) => ({ index: r.index, status: "duplicate" as const }))]);
  }

  const failedKeys = new Set<string>();
  /** Keys whose claim this request won (their rows were inserted by it). */
  const won = new Set<string>();
  if (opts.atomic) {
    await writeAtomically(db, toClaim.map((l) => l.row), opts.ttlMs, now).catch(async (error: unknown) => {
      if (!(error instanceof AtomicConflict)) throw error;
      // The keys held now: an expired holder the rolled-back write would have taken over is no offence.
      const at = Date.now();
      const found = await readRecords(db, toClaim.map((l) => l.key), at);
      const held = toClaim.filter((l) => found.has(l.key) && !claimable(found.get(l.key)!, at));
      throw atomicRefusal(held.map((l) => ({ index: l.index, status: found.get(l.key)!.fingerprint === l.fp ? "duplicate" : "conflict" })));
    });
    for (const l of toClaim) won.add(l.key);
  } else {
    // Races are decided by the unique key index inside the write (the insert's `ON CONFLICT`). A
    // chunk whose insert created every row (`meta.changes`) needs nothing more; one that did not
    // raced another request (or found a holder after the first read), and the records say which:
    // a key was won if the notification holding it is this request's row.
    const contested: NotificationRow[] = [];
    await Promise.all(
      // One transaction per pack of rows (~90 KB of JSON, serialised once, for its insert): a
      // transient failure costs only that chunk's items, reported `failed`.
      packNotificationRows(toClaim.map((c) => c.row)).map(async (pack) => {
        const keys = pack.items.map((row) => row.idempotencyKey!);
        try {
          const taken = keys.filter((key) => records.has(key));
          const before = taken.length > 0 ? takeoverStatements(db, NOTIFICATION_SCOPE, taken, now) : [];
          const { statements, insert } = insertPackStatements(db, pack, { held: { scope: NOTIFICATION_SCOPE, ttlMs: opts.ttlMs } });
          const results = await countedBatch(db, [...before, ...statements]);
          if (results[before.length + insert]!.meta.changes === keys.length) for (const key of keys) won.add(key);
          else contested.push(...pack.items);
        } catch (error) {
          console.error(JSON.stringify({ level: "error", msg: "batch chunk failed", items: keys.length, error: String(error) }));
          for (const key of keys) failedKeys.add(key);
        }
      }),
    );
    if (contested.length > 0) {
      const found = await readRecords(db, contested.map((row) => row.idempotencyKey!), Date.now());
      for (const row of contested) {
        const record = found.get(row.idempotencyKey!);
        if (record?.resourceId === row.id) won.add(row.idempotencyKey!);
        else if (record) records.set(row.idempotencyKey!, record);
        else records.delete(row.idempotencyKey!);
      }
    }
  }

  const created: NotificationRow[] = [];
  const results: ItemResult[] = new Array<ItemResult>(items.length);
  for (const r of invalid) results[r.index] = r;
  const judgedAt = Date.now();
  /** ISO times of the records' `createdAt`: a replayed batch's records mostly share one. */
  const isoOf = new Map<number, string>();
  const judge = (c: Checked, leader: boolean): ItemResult => {
    if (failedKeys.has(c.key)) {
      return { index: c.index, idempotencyKey: c.key, notificationId: null, status: "failed", isIdempotent: false, processedAt: iso, error: { code: "internal", detail: "A transient error; retry the batch to retry this item." } };
    }
    if (won.has(c.key)) {
      const row = prepared.get(leaders.get(c.key)!.index)!.row;
      if (leader) {
        created.push(row);
        return { index: c.index, idempotencyKey: c.key, notificationId: row.id, status: "created", isIdempotent: false, processedAt: iso, deliveryStatus: "queued" };
      }
      // A later item repeating a key this request created is judged against what it stored.
      return judgedAgainst(c, { fingerprint: leaders.get(c.key)!.fp, resourceId: row.id, processedAt: iso, deliveryStatus: "queued" });
    }
    const record = records.get(c.key);
    if (!record || record.state === "in_flight" || claimable(record, judgedAt)) {
      return {
        index: c.index,
        idempotencyKey: c.key,
        notificationId: null,
        status: "failed",
        isIdempotent: false,
        processedAt: iso,
        error: { code: "idempotency_key_in_use", detail: "A request with this key is still being processed; retry later." },
      };
    }
    let processedAt = isoOf.get(record.createdAt);
    if (processedAt === undefined) isoOf.set(record.createdAt, (processedAt = new Date(record.createdAt).toISOString()));
    return judgedAgainst(c, { fingerprint: record.fingerprint, resourceId: record.resourceId, processedAt, deliveryStatus: record.deliveryStatus });
  };
  for (const l of leaders.values()) results[l.index] = judge(l, true);
  for (const r of repeats) results[r.index] = judge(r, false);
  const summary: Record<ItemStatus, number> = { created: 0, duplicate: 0, conflict: 0, invalid: 0, failed: 0 };
  for (const r of results) summary[r.status]++;
  return { results, summary, created };
}

/** `duplicate` or `conflict` for an item whose key is taken: by its fingerprint against the holder's. */
function judgedAgainst(c: Checked, holder: { fingerprint: string; resourceId: string | null; processedAt: string; deliveryStatus: string | null }): ItemResult {
  const base = { index: c.index, idempotencyKey: c.key, notificationId: holder.resourceId, processedAt: holder.processedAt };
  if (holder.fingerprint === c.fp) return { ...base, status: "duplicate", isIdempotent: true, deliveryStatus: holder.deliveryStatus };
  return { ...base, status: "conflict", isIdempotent: false, error: { code: "idempotency_key_reused", detail: "This key was already used with a different item." } };
}

/** Thrown inside the atomic transaction when not every key was new, to roll it back. */
class AtomicConflict extends Error {}

/**
 * All-or-nothing write: takes over the keys whose holders expired and inserts, in ONE
 * transaction whose last statement fails when fewer rows were created than given (a key was
 * taken) — D1 then rolls the whole batch back.
 */
async function writeAtomically(db: D1Database, rows: NotificationRow[], ttlMs: number, now: number): Promise<void> {
  const keys = rows.map((r) => r.idempotencyKey!);
  const guard = allInsertedGuardStatement(db, rows.map((r) => r.id));
  try {
    await countedBatch(db, [
      ...takeoverStatements(db, NOTIFICATION_SCOPE, keys, now),
      ...insertNotificationStatements(db, rows, { held: { scope: NOTIFICATION_SCOPE, ttlMs } }),
      guard,
    ]);
  } catch (error) {
    if (String(error).includes("malformed JSON")) throw new AtomicConflict();
    throw error;
  }
}

function atomicRefusal(offending: { index: number; status: ItemStatus }[]): ApiError {
  const sorted = [...offending].sort((a, b) => a.index - b.index);
  return new ApiError("atomic_batch_rejected", `Atomic batch refused: ${sorted.length} item(s) would not be created; nothing was written.`, {
    offending: sorted,
    errors: sorted.map((o) => ({ path: `items.${o.index}`, message: `Would be ${o.status}.` })),
  });
}
