/**
 * Cost tracer (docs/cost.md, issue 20): counts what each operation costs on the platform's billed
 * meters — D1 round trips, statements, rows read and written (from D1's own result `meta`); queue
 * sends, messages and 64 KB units; Durable Object requests (RPC calls, fetches, incoming WebSocket
 * messages, alarm runs) and the rows its SQLite read and wrote (the cursor's `rowsRead` and
 * `rowsWritten`); Worker invocations. The bench's `cost` scenario and
 * test/integration/cost-bounds.test.ts read the counts to price operations and hold them to bounds.
 *
 * Off unless the var `COST_TRACE` is "true": {@link traced} then returns the env it was given, so
 * production pays one string comparison per invocation. On, the bindings are wrapped once per env
 * object in counting proxies (the wrapped env is cached), and everything counts into one ledger
 * per isolate. Locally (wrangler dev, the bench, the tests) the Worker, its queue consumers and its
 * Durable Objects share one isolate, so one ledger sees an operation end to end; on Cloudflare
 * each isolate would count only its own share, which is why this is a development tool.
 */

/** Per-statement figures, keyed by `d1:` or `do:` and the SQL's first words (whitespace collapsed). */
export interface StatementCost {
  count: number;
  rowsRead: number;
  rowsWritten: number;
}

/** What the ledger has counted since the last reset. */
export interface CostLedger {
  /** Worker invocations: HTTP requests and queue batches handed to a consumer. */
  worker: { fetches: number; queueBatches: number };
  /** One round trip per `run`/`all`/`first`/`raw` call or per `batch` (whatever its size). */
  d1: { roundTrips: number; statements: number; rowsRead: number; rowsWritten: number };
  /** `send`/`sendBatch` calls, messages, and 64 KB units written (Queues bill per 64 KB per message). */
  queues: { sends: number; messages: number; units: number };
  /**
   * Durable Object requests as billed: `rpc` calls and `fetches` through a stub, incoming
   * `webSocketMessages` (billed at 20:1) and `alarms` run; SQLite statements and rows; alarm
   * writes (`setAlarm`/`deleteAlarm`).
   */
  durableObjects: {
    rpc: number;
    fetches: number;
    webSocketMessages: number;
    alarms: number;
    sqlStatements: number;
    rowsRead: number;
    rowsWritten: number;
    alarmWrites: number;
  };
  statements: Record<string, StatementCost>;
}

function emptyLedger(): CostLedger {
  return {
    worker: { fetches: 0, queueBatches: 0 },
    d1: { roundTrips: 0, statements: 0, rowsRead: 0, rowsWritten: 0 },
    queues: { sends: 0, messages: 0, units: 0 },
    durableObjects: { rpc: 0, fetches: 0, webSocketMessages: 0, alarms: 0, sqlStatements: 0, rowsRead: 0, rowsWritten: 0, alarmWrites: 0 },
    statements: {},
  };
}

let ledger = emptyLedger();

/** Whether tracing is on for this env (`COST_TRACE` = "true"). */
export function costTraceOn(env: object): boolean {
  return (env as { COST_TRACE?: string }).COST_TRACE === "true";
}

/** A copy of the ledger, with the SQLite cursors still open settled first. */
export function costLedger(): CostLedger {
  settleCursors();
  return structuredClone(ledger);
}

/** Starts counting from zero (cursors still open are settled into the old ledger and dropped). */
export function resetCostLedger(): void {
  settleCursors();
  openCursors.clear();
  ledger = emptyLedger();
}

/** The statement's key in {@link CostLedger.statements}: its first 96 characters, whitespace collapsed. */
function statementKey(kind: "d1" | "do", sql: string): string {
  return `${kind}: ${sql.replace(/\s+/g, " ").trim().slice(0, 96)}`;
}

function countStatement(kind: "d1" | "do", sql: string, rowsRead: number, rowsWritten: number, count = 1): void {
  const key = statementKey(kind, sql);
  const entry = (ledger.statements[key] ??= { count: 0, rowsRead: 0, rowsWritten: 0 });
  entry.count += count;
  entry.rowsRead += rowsRead;
  entry.rowsWritten += rowsWritten;
}

// ---- D1 -------------------------------------------------------------------------------------

const realStatements = new WeakMap<object, { real: D1PreparedStatement; sql: string }>();

function countD1Result(sql: string, result: D1Result<unknown>): void {
  const read = result.meta?.rows_read ?? 0;
  const written = result.meta?.rows_written ?? 0;
  ledger.d1.statements++;
  ledger.d1.rowsRead += read;
  ledger.d1.rowsWritten += written;
  countStatement("d1", sql, read, written);
}

/**
 * A statement that counts itself. `first` and `raw` carry no `meta`, so they are answered from
 * `all`: D1 runs the whole query for `first` too, so the rows it reads are the same.
 */
function tracedStatement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
  const all = async <T>(): Promise<D1Result<T>> => {
    ledger.d1.roundTrips++;
    const result = await real.all<T>();
    countD1Result(sql, result);
    return result;
  };
  const wrapped = {
    bind: (...values: unknown[]) => tracedStatement(real.bind(...values), sql),
    run: async <T>() => {
      ledger.d1.roundTrips++;
      const result = await real.run<T>();
      countD1Result(sql, result);
      return result;
    },
    all,
    first: async (column?: string) => {
      const row = ((await all<Record<string, unknown>>()).results[0] ?? null) as Record<string, unknown> | null;
      if (column === undefined || row === null) return row;
      if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
      return row[column];
    },
    raw: async (options?: { columnNames?: boolean }) => {
      const result = await all<Record<string, unknown>>();
      const columns = result.results.length > 0 ? Object.keys(result.results[0]!) : [];
      const rows = result.results.map((row) => columns.map((c) => row[c]));
      return options?.columnNames ? [columns, ...rows] : rows;
    },
  } as unknown as D1PreparedStatement;
  realStatements.set(wrapped, { real, sql });
  return wrapped;
}

function tracedD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      // eslint-disable-next-line no-restricted-syntax -- wraps whatever SQL the table modules prepare; it writes none.
      if (prop === "prepare") return (sql: string) => tracedStatement(target.prepare(sql), sql);
      if (prop === "batch") {
        return async <T>(statements: D1PreparedStatement[]) => {
          const known = statements.map((s) => realStatements.get(s) ?? { real: s, sql: (s as unknown as { statement?: string }).statement ?? "?" });
          ledger.d1.roundTrips++;
          const results = await target.batch<T>(known.map((k) => k.real));
          results.forEach((result, i) => countD1Result(known[i]!.sql, result));
          return results;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// ---- Queues ---------------------------------------------------------------------------------

const QUEUE_UNIT_BYTES = 64 * 1000;
/** Queues add ~100 bytes of metadata to every message (developers.cloudflare.com/queues/platform/pricing). */
const QUEUE_MESSAGE_OVERHEAD_BYTES = 100;
const encoder = new TextEncoder();

/** 64 KB units a message body is billed as (its JSON size, an estimate of the structured clone's). */
function queueUnits(body: unknown): number {
  const bytes = encoder.encode(JSON.stringify(body) ?? "").byteLength + QUEUE_MESSAGE_OVERHEAD_BYTES;
  return Math.max(1, Math.ceil(bytes / QUEUE_UNIT_BYTES));
}

function tracedQueue(queue: Queue): Queue {
  return new Proxy(queue, {
    get(target, prop) {
      if (prop === "send") {
        return (body: unknown, options?: QueueSendOptions) => {
          ledger.queues.sends++;
          ledger.queues.messages++;
          ledger.queues.units += queueUnits(body);
          return target.send(body, options);
        };
      }
      if (prop === "sendBatch") {
        return (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          ledger.queues.sends++;
          ledger.queues.messages += list.length;
          for (const m of list) ledger.queues.units += queueUnits(m.body);
          return target.sendBatch(list, options);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// ---- Durable Objects ------------------------------------------------------------------------

/** A stub whose every method call counts as one RPC request (each call is its own billed session), `fetch` as a fetch. */
function tracedStub(stub: DurableObjectStub): DurableObjectStub {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof prop !== "string" || typeof value !== "function" || prop === "then") return value;
      return (...args: unknown[]) => {
        if (prop === "fetch") ledger.durableObjects.fetches++;
        else ledger.durableObjects.rpc++;
        // Reflect.apply, not `.apply`: on an RPC stub every property name is a remote method.
        return Reflect.apply(value, target, args) as unknown;
      };
    },
  });
}

function tracedNamespace(namespace: DurableObjectNamespace): DurableObjectNamespace {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      return prop === "get" || prop === "getByName" ? (...args: unknown[]) => tracedStub(bound(...args) as DurableObjectStub) : bound;
    },
  });
}

/**
 * Cursors whose rows may still be read: `rowsRead`/`rowsWritten` grow as a cursor is consumed, so
 * each is counted by difference when the next statement runs or the ledger is read. Bounded: an
 * object's statements are consumed before its next one in practice, and the oldest are settled
 * and dropped past the bound.
 */
const openCursors = new Map<SqlStorageCursor<Record<string, SqlStorageValue>>, { sql: string; read: number; written: number }>();
const MAX_OPEN_CURSORS = 64;

function settleCursors(): void {
  for (const [cursor, seen] of openCursors) {
    const read = cursor.rowsRead - seen.read;
    const written = cursor.rowsWritten - seen.written;
    if (read === 0 && written === 0) continue;
    ledger.durableObjects.rowsRead += read;
    ledger.durableObjects.rowsWritten += written;
    countStatement("do", seen.sql, read, written, 0);
    seen.read += read;
    seen.written += written;
  }
}

/**
 * The Durable Object's SQL API with every statement counted (see {@link openCursors}), or the API
 * itself when tracing is off.
 */
export function tracedSql(sql: SqlStorage, env: object): SqlStorage {
  if (!costTraceOn(env)) return sql;
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "exec") {
        return (query: string, ...bindings: unknown[]) => {
          settleCursors();
          const cursor = target.exec(query, ...bindings);
          ledger.durableObjects.sqlStatements++;
          countStatement("do", query, 0, 0);
          openCursors.set(cursor, { sql: query, read: 0, written: 0 });
          if (openCursors.size > MAX_OPEN_CURSORS) {
            settleCursors();
            openCursors.delete(openCursors.keys().next().value!);
          }
          return cursor;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The Durable Object's state with its storage traced ({@link tracedStorage}), for objects that
 * reach their storage through `this.ctx`; the state itself when tracing is off.
 */
export function tracedState(ctx: DurableObjectState, env: object): DurableObjectState {
  if (!costTraceOn(env)) return ctx;
  const storage = tracedStorage(ctx.storage, env);
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === "storage") return storage;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The Durable Object's storage with alarm writes counted (each `setAlarm`/`deleteAlarm` writes a
 * row of the object's storage) and its `sql` traced, or the storage itself when tracing is off.
 */
export function tracedStorage(storage: DurableObjectStorage, env: object): DurableObjectStorage {
  if (!costTraceOn(env)) return storage;
  let sql: SqlStorage | undefined;
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === "sql") return (sql ??= tracedSql(target.sql, env));
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      return prop === "setAlarm" || prop === "deleteAlarm"
        ? (...args: unknown[]) => {
            ledger.durableObjects.alarmWrites++;
            return bound(...args);
          }
        : bound;
    },
  });
}

/** Counts a Durable Object event the runtime delivers (not through a stub): an incoming WebSocket message or an alarm run. */
export function countDurableObjectEvent(env: object, event: "webSocketMessage" | "alarm"): void {
  if (!costTraceOn(env)) return;
  if (event === "alarm") ledger.durableObjects.alarms++;
  else ledger.durableObjects.webSocketMessages++;
}

// ---- Env ------------------------------------------------------------------------------------

const tracedEnvs = new WeakMap<object, object>();
const tracedBindings = new WeakMap<object, object>();

function isD1(value: object): value is D1Database {
  return "prepare" in value && "batch" in value;
}
function isQueue(value: object): value is Queue {
  return "send" in value && "sendBatch" in value;
}
function isNamespace(value: object): value is DurableObjectNamespace {
  return "idFromName" in value && "get" in value;
}

/** The counting proxy of a binding (built once per binding), or the value itself when it is none of those traced. */
function tracedBinding(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  let wrapped = tracedBindings.get(value);
  if (!wrapped) {
    wrapped = isD1(value) ? tracedD1(value) : isQueue(value) ? tracedQueue(value) : isNamespace(value) ? tracedNamespace(value) : value;
    tracedBindings.set(value, wrapped);
  }
  return wrapped;
}

/**
 * `env` with its D1 databases, queues and Durable Object namespaces wrapped in counting proxies
 * when `COST_TRACE` is "true" (one proxy per env object, reading the env live), else `env` itself.
 * Counts the invocation (`fetch` or `queue`) when given.
 */
export function traced<E extends object>(env: E, invocation?: "fetch" | "queue"): E {
  if (!costTraceOn(env)) return env;
  if (invocation === "fetch") ledger.worker.fetches++;
  if (invocation === "queue") ledger.worker.queueBatches++;
  let wrapped = tracedEnvs.get(env) as E | undefined;
  if (!wrapped) {
    wrapped = new Proxy(env, { get: (target, prop) => tracedBinding(Reflect.get(target, prop)) });
    tracedEnvs.set(env, wrapped);
  }
  return wrapped;
}
