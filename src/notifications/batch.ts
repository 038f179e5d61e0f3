/**
 * Batch notifications with per-item idempotency and partial success (docs/api.md#batch-idempotency; seed problem: a
 * batch endpoint failed whole on one idempotency conflict, so callers could not tell successes
 * from duplicates from failures, and retries wasted work).
 *
 * Every item carries its own `idempotencyKey` and gets its own result. Keys are claimed and
 * rows inserted set-based — a few statements per chunk inside one `batch()` transaction — and
 * the records' primary key decides races, so 20 identical concurrent batches create each
 * notification once and report it `created` in exactly one response.
 */
import type { z } from "zod";
import type { FieldError } from "../lib/errors";
import { ApiError } from "../lib/errors";
import { fingerprint } from "../lib/fingerprint";
import { packJson } from "../lib/json-pack";
import { allClaimedGuardStatement, readRecordsWithStatus, type JudgedRecord } from "../db/idempotency-records";
import { fieldErrors } from "../http/router";
import { dataBytes, IdempotencyKey, MAX_DATA_BYTES, NotificationInput } from "./input";
import { loadTemplates } from "../db/templates";
import { countedBatch } from "../db/counters";
import { claimStatements, insertNotificationStatements, prepareNotification, type NotificationRow } from "./store";

/** Idempotency scope shared with `POST /v1/notifications`: a key means the same thing on both routes. */
export const NOTIFICATION_SCOPE = "notifications";
/** docs/api.md#limits: at most 1,000 items per batch. */
export const MAX_BATCH_ITEMS = 1000;
/** Rows per transaction; a transient failure costs only its chunk, reported `failed`. */
const CHUNK_JSON_BYTES = 90 * 1024;

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

interface Prepared {
  index: number;
  key: string;
  row: NotificationRow;
}

/** Whether a claim on this record would win: it expired, or its in-flight holder's lock lapsed (docs/api.md#batch-idempotency). */
const claimable = (record: JudgedRecord, now: number) => record.expiresAt <= now || (record.state === "in_flight" && record.lockedUntil <= now);

/**
 * Validates each item on its own: an invalid item becomes an `invalid` result and the others
 * proceed. Checks the shape, `data` ≤ 16 KiB and the template (exists, every variable given).
 */
async function prepareItems(db: D1Database, items: unknown[], now: number) {
  const iso = new Date(now).toISOString();
  const invalid: ItemResult[] = [];
  const valid: { index: number; key: string; input: NotificationInput; fp: string }[] = [];
  for (const [index, raw] of items.entries()) {
    const key = typeof raw === "object" && raw !== null ? (raw as { idempotencyKey?: unknown }).idempotencyKey : undefined;
    const fail = (errors: FieldError[], detail = "The item does not match the schema.", code = "validation_failed") =>
      invalid.push({ index, idempotencyKey: typeof key === "string" ? key : null, notificationId: null, status: "invalid", isIdempotent: false, processedAt: iso, error: { code, detail, errors } });
    const keyCheck = IdempotencyKey.safeParse(key);
    const { idempotencyKey: _omit, ...body } = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const parsed = NotificationInput.safeParse(typeof raw === "object" && raw !== null && !Array.isArray(raw) ? body : raw);
    const errors = [
      ...(keyCheck.success ? [] : fieldErrors(keyCheck.error as z.ZodError, ["idempotencyKey"])),
      ...(parsed.success ? [] : fieldErrors(parsed.error)),
    ];
    if (!keyCheck.success || !parsed.success) {
      fail(errors);
      continue;
    }
    if (dataBytes(parsed.data.data) > MAX_DATA_BYTES) {
      fail([{ path: "data", message: `At most ${MAX_DATA_BYTES} bytes of JSON.` }], "`data` is too large.", "payload_too_large");
      continue;
    }
    valid.push({ index, key: keyCheck.data, input: parsed.data, fp: "" });
  }
  // The same canonical fingerprint as the single route, so a key means the same on both.
  const fps = await Promise.all(valid.map((v) => fingerprint(v.input)));
  valid.forEach((v, i) => (v.fp = fps[i]!));
  const templates = await loadTemplates(db, valid.flatMap((v) => (v.input.template ? [v.input.template] : [])));
  const prepared: (Prepared & { fp: string })[] = [];
  for (const v of valid) {
    try {
      prepared.push({ index: v.index, key: v.key, fp: v.fp, row: prepareNotification(v.input, templates, { idempotencyKey: v.key, fingerprint: v.fp, now }) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      invalid.push({
        index: v.index,
        idempotencyKey: v.key,
        notificationId: null,
        status: "invalid",
        isIdempotent: false,
        processedAt: iso,
        error: { code: error.code, detail: error.detail, errors: error.extra.errors },
      });
    }
  }
  return { invalid, prepared };
}

/** Reads the idempotency records of `keys`, with the current delivery status of what they point to. */
const readRecords = (db: D1Database, keys: string[]) => readRecordsWithStatus(db, NOTIFICATION_SCOPE, keys);

/**
 * Accepts a batch (see module comment).
 * @param items 1..1,000 raw items (each validated here).
 * @param atomic all-or-nothing: any item not `created` → nothing written and ApiError 422.
 * @param ttlMs idempotency record lifetime.
 * @throws ApiError `atomic_batch_rejected` (422) in atomic mode, listing the offending indexes and why.
 */
export async function acceptBatch(db: D1Database, items: unknown[], opts: { atomic: boolean; ttlMs: number; now?: number }): Promise<BatchOutcome> {
  const now = opts.now ?? Date.now();
  const iso = new Date(now).toISOString();
  const { invalid, prepared } = await prepareItems(db, items, now);

  // Within one batch the first item of a key wins; later ones are judged against it.
  const firstByKey = new Map<string, Prepared & { fp: string }>();
  const repeats: (Prepared & { fp: string })[] = [];
  for (const p of prepared) {
    if (firstByKey.has(p.key)) repeats.push(p);
    else firstByKey.set(p.key, p);
  }
  const leaders = [...firstByKey.values()];

  if (opts.atomic && (invalid.length > 0 || repeats.length > 0)) {
    throw atomicRefusal([...invalid.map((r) => ({ index: r.index, status: r.status })), ...repeats.map((r) => ({ index: r.index, status: "duplicate" as const }))]);
  }

  const failedKeys = new Set<string>();
  /** Keys whose claim this request won (their rows were inserted by it). */
  const won = new Set<string>();
  let records: Map<string, JudgedRecord>;
  if (opts.atomic) {
    await writeAtomically(db, leaders.map((l) => l.row), opts.ttlMs, now).catch(async (error: unknown) => {
      if (!(error instanceof AtomicConflict)) throw error;
      const records = await readRecords(db, leaders.map((l) => l.key));
      throw atomicRefusal(leaders.filter((l) => records.has(l.key)).map((l) => ({ index: l.index, status: records.get(l.key)!.fingerprint === l.fp ? "duplicate" : "conflict" })));
    });
    for (const l of leaders) won.add(l.key);
    records = new Map();
  } else {
    // Read first, write only what may be new: a replayed item costs one indexed read and no
    // write, and a new one is classified by its claim's RETURNING row — no read-back. Races are
    // still decided by the records' primary key inside the write (claimStatements).
    records = await readRecords(db, leaders.map((l) => l.key));
    const toClaim = leaders.filter((l) => {
      const record = records.get(l.key);
      return record === undefined || claimable(record, now);
    });
    const lost: string[] = [];
    await Promise.all(
      packJson(toClaim, CHUNK_JSON_BYTES, (c) => JSON.stringify(c.row)).map(async ({ items: chunk }) => {
        const rows = chunk.map((c) => c.row);
        try {
          const claims = claimStatements(db, NOTIFICATION_SCOPE, rows, opts.ttlMs, now, { returning: true });
          const results = await countedBatch<{ key: string }>(db, [...claims, ...insertNotificationStatements(db, rows, NOTIFICATION_SCOPE)]);
          const claimed = new Set(results.slice(0, claims.length).flatMap((r) => r.results.map((row) => row.key)));
          for (const c of chunk) {
            if (claimed.has(c.key)) won.add(c.key);
            else lost.push(c.key);
          }
        } catch (error) {
          console.error(JSON.stringify({ level: "error", msg: "batch chunk failed", items: chunk.length, error: String(error) }));
          for (const c of chunk) failedKeys.add(c.key);
        }
      }),
    );
    // A claim that lost raced another request (or found a record after the first read): read what won.
    for (const [key, record] of await readRecords(db, lost)) records.set(key, record);
  }
  // Later items repeating a key this request created are judged against what it stored.
  for (const l of leaders) {
    if (won.has(l.key)) {
      records.set(l.key, { key: l.key, fingerprint: l.fp, state: "completed", resourceId: l.row.id, createdAt: now, expiresAt: now + opts.ttlMs, lockedUntil: now, deliveryStatus: "queued" });
    }
  }

  const created: NotificationRow[] = [];
  const judge = (p: Prepared & { fp: string }, leader: boolean): ItemResult => {
    const base = { index: p.index, idempotencyKey: p.key, processedAt: iso };
    if (failedKeys.has(p.key)) {
      return { ...base, notificationId: null, status: "failed", isIdempotent: false, error: { code: "internal", detail: "A transient error; retry the batch to retry this item." } };
    }
    if (leader && won.has(p.key)) {
      created.push(p.row);
      return { ...base, notificationId: p.row.id, status: "created", isIdempotent: false, deliveryStatus: "queued" };
    }
    const record = records.get(p.key);
    if (!record || record.state === "in_flight" || claimable(record, Date.now())) {
      return { ...base, notificationId: null, status: "failed", isIdempotent: false, error: { code: "idempotency_key_in_use", detail: "A request with this key is still being processed; retry later." } };
    }
    const processedAt = new Date(record.createdAt).toISOString();
    if (record.fingerprint === p.fp) {
      return { ...base, processedAt, notificationId: record.resourceId, status: "duplicate", isIdempotent: true, deliveryStatus: record.deliveryStatus };
    }
    return {
      ...base,
      processedAt,
      notificationId: record.resourceId,
      status: "conflict",
      isIdempotent: false,
      error: { code: "idempotency_key_reused", detail: "This key was already used with a different item." },
    };
  };
  const results = [...invalid, ...leaders.map((l) => judge(l, true)), ...repeats.map((r) => judge(r, false))].sort((a, b) => a.index - b.index);
  const summary: Record<ItemStatus, number> = { created: 0, duplicate: 0, conflict: 0, invalid: 0, failed: 0 };
  for (const r of results) summary[r.status]++;
  return { results, summary, created };
}

/** Thrown inside the atomic transaction when not every key was new, to roll it back. */
class AtomicConflict extends Error {}

/**
 * All-or-nothing write: claims and inserts in ONE transaction, whose last statement fails when
 * fewer claims won than rows were given — D1 then rolls the whole batch back.
 */
async function writeAtomically(db: D1Database, rows: NotificationRow[], ttlMs: number, now: number): Promise<void> {
  const guard = allClaimedGuardStatement(db, NOTIFICATION_SCOPE, rows.map((r) => r.id));
  try {
    await countedBatch(db, [...claimStatements(db, NOTIFICATION_SCOPE, rows, ttlMs, now), ...insertNotificationStatements(db, rows, NOTIFICATION_SCOPE), guard]);
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
