/**
 * A D1 binding that watches, or breaks, what the code under test runs through it — for the fuzz
 * tests (did a refused request write anything?) and the fault tests (fail the first write of a
 * kind, as a real D1 error would). Faults live in the binding handed to the code, never in
 * production code.
 */

export interface D1Hooks {
  /** Before a statement (or a batch, all of its statements) runs; throwing fails it as D1 would. */
  before?(sql: string[]): void;
  /** After a statement ran, with the rows it changed (D1's `meta.changes`: 0 for reads). */
  after?(changes: number): void;
}

const targets = new WeakMap<object, D1PreparedStatement>();

function statement(real: D1PreparedStatement, hooks: D1Hooks): D1PreparedStatement {
  const sql = (real as unknown as { statement: string }).statement;
  const run = async <T,>(exec: () => Promise<D1Result<T>>) => {
    hooks.before?.([sql]);
    const result = await exec();
    hooks.after?.(result.meta.changes ?? 0);
    return result;
  };
  const wrapped = {
    bind: (...values: unknown[]) => statement(real.bind(...values), hooks),
    run: () => run(() => real.run()),
    all: () => run(() => real.all()),
    // `first` has no meta, so it is answered from `all` (the same single query).
    first: async (column?: string) => {
      const row = (await run(() => real.all<Record<string, unknown>>())).results[0] ?? null;
      return column === undefined ? row : (row?.[column] ?? null);
    },
    raw: (options?: { columnNames?: boolean }) => {
      hooks.before?.([sql]);
      return real.raw(options as { columnNames: true });
    },
  } as unknown as D1PreparedStatement;
  targets.set(wrapped, real);
  return wrapped;
}

/** `db` with every statement and batch going through `hooks`. */
export function instrumentD1(db: D1Database, hooks: D1Hooks): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => statement(target.prepare(query), hooks);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const real = statements.map((s) => targets.get(s) ?? s);
          hooks.before?.(real.map((s) => (s as unknown as { statement: string }).statement));
          const results = await target.batch(real);
          for (const r of results) hooks.after?.(r.meta.changes ?? 0);
          return results;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Whether `sql` writes (the statement kinds D1 reports changes for). */
export const isWrite = (sql: string) => /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);

/**
 * Hooks that fail the first `times` statements or batches containing a write that matches
 * `pattern`, like a D1 error would (`D1_ERROR: …`), and let everything else through.
 * `failed` counts the faults injected.
 */
export function failingWrites(pattern: RegExp, times = 1) {
  const state = { failed: 0 };
  const hooks: D1Hooks = {
    before(sql) {
      if (state.failed < times && sql.some((s) => isWrite(s) && pattern.test(s))) {
        state.failed++;
        throw new Error("D1_ERROR: injected fault: database is locked");
      }
    },
  };
  return { hooks, state };
}
