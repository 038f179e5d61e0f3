/** OpenAPI schemas shared by routes: the problem document, pagination. */
import { z } from "@hono/zod-openapi";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: "validation_failed" }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details with a stable machine `code`." });

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
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: "limit", in: "query" }, example: 50 }),
  cursor: z.string().min(1).max(512).optional().openapi({ param: { name: "cursor", in: "query" } }),
});

/** JSON request body entry for `createRoute({ request })`. */
export const jsonRequest = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { required: true, description, content: { "application/json": { schema } } },
});
