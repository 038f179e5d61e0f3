/**
 * fast-check arbitraries for the fuzz tests: hostile values (wrong types, boundary and huge
 * strings, lone surrogates, numbers out of range, deep nesting, unknown fields) and whole
 * request bodies built around a route's valid body — mutated, truncated, garbage, or sent with
 * the wrong content type.
 */
import fc from "fast-check";

/** Strings that are not well-formed UTF-16: a lone high or low surrogate. */
export const loneSurrogate = fc.constantFrom("\uD800", "\uDBFF\uDBFF", "\uDFFF", "a\uDC00b", "\uD83D");

const tricky = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\u202Eevil",
  "👩‍👩‍👧‍👦",
  "ℌ𝔢𝔩𝔩𝔬",
  "'; DROP TABLE notifications; --",
  "{{#a}}{{/b}}",
  "{{{x}}}",
  "../../../etc/passwd",
  "%00%ff",
  "<script>alert(1)</script>",
  "null",
  "1e309",
  "__proto__",
);

/** Around every length limit the API has (64, 128, 255, 512, 2,048, 8,192, 16 KiB, 64 KiB) and past 1 MiB. */
const sized = fc
  .constantFrom(1, 64, 65, 128, 129, 255, 256, 500, 501, 513, 998, 999, 2049, 8192, 8193, 16_385, 65_537, 1_100_000)
  .map((n) => "x".repeat(n));

export const hostileString = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), loneSurrogate, tricky, sized);

export const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-1, 0, 0.5, 59, 60, 86_400, 86_401, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
);

/** An array nested `depth` deep, e.g. `[[[1]]]`. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.integer({ min: 10, max: 3000 }).map(nested),
);

type Path = (string | number)[];

/** Every path into `value` (containers and leaves), the root included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => paths(v, [...prefix, i])) : Object.entries(value).map(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

/** A copy of `value` with the node at `path` replaced (`set`), removed (`delete`), or given an extra key (`extra`). */
function mutate(value: unknown, path: Path, op: "set" | "delete" | "extra", replacement: unknown, key: string): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return op === "set" ? replacement : op === "extra" && copy !== null && typeof copy === "object" ? Object.assign(copy, { [key]: replacement }) : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (op === "set") parent[last] = replacement;
  else if (op === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const node = parent[last];
    if (node !== null && typeof node === "object" && !Array.isArray(node)) (node as Record<string, unknown>)[key] = replacement;
    else parent[last] = { [key]: replacement };
  }
  return copy;
}

/** `valid` with one node changed: a hostile value, a missing field or an unknown field. */
export function mutated(valid: unknown): fc.Arbitrary<unknown> {
  return fc
    .record({
      path: fc.constantFrom(...paths(valid)),
      op: fc.constantFrom("set" as const, "delete" as const, "extra" as const),
      value: hostileValue,
      key: fc.oneof(fc.constantFrom("__proto__", "constructor", "unknownField", "$where", "toString"), hostileString),
    })
    .map(({ path, op, value, key }) => mutate(valid, path, op, value, key));
}

/** A request body and its content type (null: no content-type header). */
export interface FuzzBody {
  kind: string;
  contentType: string | null;
  payload: string | Uint8Array;
}

const json = (kind: string) => (value: unknown): FuzzBody => ({ kind, contentType: "application/json", payload: JSON.stringify(value) ?? "null" });

/**
 * Bodies for a JSON route around its valid body: mostly one-node mutations of it, plus random
 * JSON of any type, hostile scalars, truncated JSON, nesting 1,000–100,000 deep, raw bytes (not
 * UTF-8 at all, often), and mutations sent under a content type other than JSON.
 */
export function fuzzBodies(valid: unknown): fc.Arbitrary<FuzzBody> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    { weight: 5, arbitrary: mutated(valid).map(json("mutated")) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json("random json")) },
    { weight: 1, arbitrary: hostileValue.map(json("hostile value")) },
    { weight: 1, arbitrary: fc.nat().map((n): FuzzBody => ({ kind: "truncated", contentType: "application/json", payload: text.slice(0, n % text.length) })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 100_000 }).map((d): FuzzBody => ({ kind: "deep nesting", contentType: "application/json", payload: "[".repeat(d) + "]".repeat(d) })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes): FuzzBody => ({ kind: "raw bytes", contentType: "application/json", payload: bytes })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/xml", "", null), mutated(valid))
        .map(([contentType, value]): FuzzBody => ({ kind: "wrong content type", contentType, payload: JSON.stringify(value) ?? "null" })),
    },
  );
}
