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

const TITLES: Record<ErrorCode, string> = {
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

/**
 * Builds the RFC 9457 problem document for an error code.
 * `type` is a stable URI per code so clients can switch on either `type` or `code`.
 */
export function problemBody(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `https://herald.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[code],
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
