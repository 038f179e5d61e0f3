/**
 * Schema scripts for Durable Object SQLite (src/inbox/schema.ts, src/workflows/storage.ts).
 */

/**
 * Runs a script of `;`-terminated statements, one `exec` each. A cursor's `rowsRead` and
 * `rowsWritten` cover only the last statement of a multi-statement `exec` (checked on workerd), so
 * run whole, a script's rows escaped the cost tracer (docs/cost.md) while billing counts them all.
 * The scripts are our own schema steps: a `;` ends a line only where a statement ends (no literal
 * holds one).
 */
export function execScript(sql: SqlStorage, script: string): void {
  for (const statement of script.split(/;\s*(?:\n|$)/)) if (statement.trim() !== "") sql.exec(statement);
}
