/** OpenAPI schemas shared by routes: the problem document, pagination. */
import { z } from "@hono/zod-openapi";

export const Problem = z
  .object({
    type: z.string().describe("URI reference of the problem type, relative to the API origin (`/problems/validation-failed`); its page explains the code."),
    title: z.string().describe("Short human-readable summary of the problem type; the same for every occurrence of a code."),
    status: z.number().int().describe("The HTTP status code of this response."),
    detail: z.string().describe("What went wrong in this request, for a human."),
    code: z.string().describe("Stable snake_case machine code to switch on (docs/api.md#errors)."),
    errors: z
      .array(
        z.object({
          path: z.string().describe("Dotted path of the offending field (`items.3.userId`); empty for the whole body."),
          message: z.string().describe("Why the value was refused."),
        }),
      )
      .optional()
      .describe("Every validation error, for `validation_failed`."),
    requestId: z.string().optional().describe("The request id to quote when reporting an `internal` error; the same as the `X-Request-Id` header."),
  })
  .openapi("Problem", {
    description: "RFC 9457 problem details with a stable machine `code`.",
    example: {
      type: "/problems/validation-failed",
      title: "Validation Failed",
      status: 400,
      detail: "The request does not match the schema.",
      code: "validation_failed",
      errors: [{ path: "priority", message: 'Invalid option: expected one of "high"|"normal"|"low"' }],
    },
  });

/**
 * Why one item of a batch was refused or failed: the code, detail and validation errors a problem
 * document would carry, per item, inside the batch's 200 answer (docs/api.md#errors).
 */
export const BatchItemError = z.object({
  code: z.string().describe("Machine code, as in a problem document."),
  detail: z.string().describe("What was wrong with the item."),
  errors: z
    .array(z.object({ path: z.string().describe("Dotted path inside the item."), message: z.string().describe("Why the value was refused.") }))
    .optional()
    .describe("Validation errors of an `invalid` item."),
});

/** A problem+json response entry for `createRoute({ responses })`. */
export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The error responses every authenticated route may give. */
export const commonErrors = {
  400: problemResponse("Malformed JSON or validation failed"),
  401: problemResponse("Missing or unknown credentials"),
  403: problemResponse("Credentials not allowed on this route"),
  413: problemResponse("Body over 1 MiB"),
  415: problemResponse("Body is not application/json"),
  429: problemResponse("Rate limited; see Retry-After"),
  500: problemResponse("Internal error; quote requestId"),
  503: problemResponse("Not configured"),
} as const;

/** docs/api.md#pagination pagination query: `limit` 1..200 (default 50), opaque `cursor`. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .describe("Page size, 1 to 200.")
    .openapi({ param: { name: "limit", in: "query" }, example: 50 }),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe("Opaque cursor from the previous page's `nextCursor`; omit for the first page.")
    .openapi({ param: { name: "cursor", in: "query" } }),
});

/** JSON request body entry for `createRoute({ request })`. */
export const jsonRequest = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { required: true, description, content: { "application/json": { schema } } },
});

/**
 * A docs/api.md#pagination page of `item` (`{items, nextCursor}`), with a one-item example page
 * built from `example`, so every list operation in the document shows what it returns.
 */
export function pageSchema<T extends z.ZodType>(item: T, example: z.output<T>) {
  return z
    .object({
      items: z.array(item).describe("This page's items, in the listing's order."),
      nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; `null` on the last page."),
    })
    .openapi({ example: { items: [example], nextCursor: null } });
}
