import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "../env";
import { ApiError, type FieldError } from "../lib/errors";

/** Maps zod issues to docs/api.md#errors `errors: [{path, message}]` (path dotted, `""` for the root). */
export function fieldErrors(error: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join("."),
    message: issue.message,
  }));
}

/**
 * An OpenAPIHono router whose validation failures (body, query, params, headers) become
 * `validation_failed` problems — one place, so every route answers bad input the same way.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError("validation_failed", "The request does not match the schema.", {
          errors: fieldErrors(result.error),
        });
      }
    },
  });
}
