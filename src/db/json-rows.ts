/**
 * Reading rows out of one JSON parameter (`json_each(?)`), the shape of every set-based write.
 */

/**
 * The tail of a `json_each` subquery whose rows' members the outer statement reads one by one
 * (`v->>'id'`, `v->>'userId'`…): SQLite does not flatten a subquery that has an OFFSET
 * (https://sqlite.org/optoverview.html#flattening; `EXPLAIN QUERY PLAN` shows a `CO-ROUTINE`), so
 * each row's JSON is produced once and its parse is reused for every member read. Flattened, `v`
 * becomes json_each's `value` column, rendered and parsed again per member: on SQLite 3.54
 * (better-sqlite3), inserting 1,000 notification rows took 14–18 ms flattened and 9 ms not. It
 * reads no extra rows (D1's `rows_read`), unlike a `MATERIALIZED` CTE, which reads each row back.
 */
export const UNFLATTENED = "LIMIT -1 OFFSET 0";
