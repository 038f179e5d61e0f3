import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable machine codes from docs/api.md#errors, each with its HTTP status. */
export const ERROR_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  template_invalid: 422,
  atomic_batch_rejected: 422,
  workflow_invalid: 422,
  conflict: 409,
  precondition_failed: 412,
  rate_limited: 429,
  not_configured: 503,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Each code's RFC 9457 `title`: the same for every occurrence of the code. */
export const PROBLEM_TITLES: Record<ErrorCode, string> = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not Found",
  validation_failed: "Validation Failed",
  malformed_json: "Malformed JSON",
  unsupported_media_type: "Unsupported Media Type",
  payload_too_large: "Payload Too Large",
  idempotency_key_in_use: "Idempotency Key In Use",
  idempotency_key_reused: "Idempotency Key Reused",
  template_invalid: "Template Invalid",
  atomic_batch_rejected: "Atomic Batch Rejected",
  workflow_invalid: "Workflow Invalid",
  conflict: "Conflict",
  precondition_failed: "Precondition Failed",
  rate_limited: "Too Many Requests",
  not_configured: "Not Configured",
  internal: "Internal Server Error",
};

/** One entry of a validation problem's `errors[]`: a JSON-pointer-like dotted path and a message. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one typed error of the API. Domain code throws it; `onError` in app.ts turns it into an
 * RFC 9457 `application/problem+json` response. `headers` carries e.g. `Retry-After`.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.status = ERROR_STATUS[code];
  }
}

/** The path segment of a code's page: the code in kebab-case (`validation_failed` → `validation-failed`). */
export const problemSlug = (code: ErrorCode) => code.replaceAll("_", "-");

/**
 * A code's problem `type`: `/problems/<slug>`, a relative URI reference that resolves against the
 * request's URL to the page this same deployment serves (src/routes/problems.ts). RFC 9457 §3.1.1
 * allows a relative `type` ("resolved relative to the document's base URI") and recommends that a
 * relative one carry the full path, as this does. Relative rather than `${PUBLIC_URL}/problems/…`:
 * the identifier is then the same on every deployment (clients may switch on it), it needs no
 * configuration to dereference (a local server, a workers.dev host and a custom domain all serve
 * it), and it can be built where no env is at hand (the Durable Object's problemResponse).
 */
export const problemType = (code: ErrorCode) => `/problems/${problemSlug(code)}`;

/**
 * Builds the RFC 9457 problem document for an error code.
 * `type` is a stable URI per code (docs/api.md#problem-types) so clients can switch on either `type` or `code`.
 */
export function problemBody(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: problemType(code),
    title: PROBLEM_TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...extra,
  };
}

/** A `Response` carrying a problem document, for places outside Hono's error handler (WebSocket upgrade, DO). */
export function problemResponse(error: ApiError, requestId?: string): Response {
  const { headers = {}, ...extra } = error.extra;
  const body = problemBody(error.code, error.detail, { ...extra, ...(requestId ? { requestId } : {}) });
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
