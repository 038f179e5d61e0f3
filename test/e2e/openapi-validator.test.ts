/**
 * The API document a running Herald serves is valid OpenAPI 3.1 for an external validator,
 * `@seriousme/openapi-schema-validator` (issue 19). It runs here, in Node, because it reads its
 * JSON Schemas from disk and compiles them to functions, neither of which workerd allows; the
 * conventions the document follows are checked in test/integration/openapi-quality.test.ts.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { base } from "./harness";

describe("/openapi.json on a running server", () => {
  it("is valid OpenAPI 3.1", async () => {
    const res = await fetch(`${base()}/openapi.json`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], "validation errors").toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });
});
