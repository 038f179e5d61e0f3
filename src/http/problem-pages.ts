/**
 * What each error code means, for people: the text of the `/problems/{slug}` pages that every
 * problem document's `type` points at (src/routes/problems.ts, docs/api.md#problem-types). Keyed
 * by ErrorCode, so a new code in src/lib/errors.ts without a page here fails the typecheck, and
 * test/integration/problem-pages.test.ts fails on a page without its status or advice.
 */
import { ERROR_STATUS, PROBLEM_TITLES, problemSlug, problemType, type ErrorCode } from "../lib/errors";
import { escapeHtml, htmlPage } from "./html-page";

/** One code's page: what the problem means, its usual causes, what the client should do. */
export interface ProblemPage {
  meaning: string;
  causes: string[];
  whatToDo: string[];
}

export const PROBLEM_PAGES: Record<ErrorCode, ProblemPage> = {
  validation_failed: {
    meaning: "The request reached Herald, but its body, query or path parameters do not match the operation's schema. Nothing was changed.",
    causes: [
      "A required field is missing, has the wrong type, or is outside its limits (lengths, ranges, enum values).",
      "An unknown field: request bodies are strict, so a misspelt field is refused rather than ignored.",
      "A template that does not exist or is inactive; a webhook URL or push endpoint that the outbound URL policy refuses.",
      "A WebSocket connect (`GET /v1/me/connect`) sent without `Upgrade: websocket`.",
    ],
    whatToDo: [
      "Read `errors[]`: each entry names the field (`path`, dotted, e.g. `items.3.userId`) and why it was refused.",
      "Compare the request with the operation's schema in /docs. Do not retry unchanged: the answer will be the same.",
    ],
  },
  workflow_invalid: {
    meaning: "The workflow definition is well-formed but cannot run as written, so it was not saved (docs/api.md#workflows). Nothing was changed.",
    causes: [
      "A channel step (`in_app`, `email`, `sms`, `push`) without a `template`, or naming a template that does not exist.",
      "A `digest` step that is not the first step.",
      "An `if: \"unread\"` or `if: \"unseen\"` step with no `in_app` step before it to ask about.",
    ],
    whatToDo: [
      "Read `errors[]`: each entry names the step (`path`, e.g. `steps.1.template`) and what is wrong with it.",
      "Create the missing template (`PUT /v1/templates/{name}`) or reorder the steps, then save again. Do not retry unchanged.",
    ],
  },
  malformed_json: {
    meaning: "The request body is not valid JSON, so Herald could not read it. Nothing was changed.",
    causes: ["A truncated body, a trailing comma, single quotes, or an unescaped control character.", "A body built by string concatenation instead of a JSON serializer."],
    whatToDo: ["Serialize the body with a JSON library and send it with `Content-Type: application/json`.", "Do not retry unchanged."],
  },
  unauthorized: {
    meaning: "The request carries no credential, or one Herald does not accept.",
    causes: [
      "No `Authorization: Bearer …` header (or, for the WebSocket, no `?ticket=` or `?token=`).",
      "An API key that is not in the deployment's `API_KEYS` secret.",
      "A user token that expired, was signed with another `JWT_SECRET`, or is for another audience; a connect ticket used twice or after its 60 s.",
    ],
    whatToDo: [
      "Server to server: send an API key from `API_KEYS`.",
      "As a user: mint a fresh token with `POST /v1/users/{userId}/tokens` (or a connect ticket with `POST /v1/me/connect-tickets`) and retry.",
    ],
  },
  forbidden: {
    meaning: "The credential is valid, but it may not be used on this route.",
    causes: [
      "A user token on a server route (`/v1/*` outside `/v1/me/*`), or an API key on a user route (`/v1/me/*`).",
      "A user subscribing itself to a topic that is not marked `selfService`.",
    ],
    whatToDo: ["Use the credential the operation lists under its security requirements in /docs.", "Retrying with the same credential will not help."],
  },
  not_found: {
    meaning: "There is no such resource, or no such route.",
    causes: [
      "An id that never existed, was deleted, or was removed by retention.",
      "A typo in the path or the wrong method: an unknown route answers this too.",
      "An id of another kind (a broadcast id where a notification id is expected).",
    ],
    whatToDo: ["Check the id and the path against /docs.", "For a resource you just created elsewhere, make sure the create call succeeded."],
  },
  conflict: {
    meaning: "The resource is in a state that forbids this change, or a per-user cap is reached.",
    causes: [
      "Editing a notification that was recalled; retrying a sync delivery that already finished.",
      "A 21st Web Push subscription, or a 101st open WebSocket, for one user.",
    ],
    whatToDo: ["Read the resource's current state (the `detail` says which) and decide whether the change still makes sense.", "For a cap: remove a subscription or close a socket first."],
  },
  precondition_failed: {
    meaning: "`If-Match` names a version the resource has moved past: someone changed it after you read it. Nothing was changed.",
    causes: ["Two clients editing the same preference document at once.", "An `If-Match` taken from a stale cache."],
    whatToDo: ["Read the resource again, apply your change to the new version, and send it with the new `version` as `If-Match`."],
  },
  idempotency_key_in_use: {
    meaning: "The first request with this `Idempotency-Key` is still being processed.",
    causes: ["A client retried before the first attempt answered, or two workers sent the same key at once."],
    whatToDo: ["Wait `Retry-After` seconds and retry with the same key and body: you will get the first request's answer."],
  },
  idempotency_key_reused: {
    meaning: "This `Idempotency-Key` was already used with a different request body. Nothing was changed.",
    causes: ["A key derived from something that is not unique per operation (a user id, a date).", "A retry whose body changed (a new timestamp, reordered items)."],
    whatToDo: ["Use a new key for a new operation; retry an operation with exactly the body you first sent.", "Keys live `IDEMPOTENCY_TTL_HOURS` (default 24)."],
  },
  payload_too_large: {
    meaning: "The request is bigger than Herald accepts. Nothing was changed.",
    causes: [
      "A body over 1 MiB.",
      "A batch over 1,000 items, or more than 1,000 `userIds` in one subscribers request.",
      "Notification `data` over 16 KiB, or a topic message `payload` over 64 KiB.",
    ],
    whatToDo: ["Split the request into smaller ones, or keep large content elsewhere and send a reference to it."],
  },
  unsupported_media_type: {
    meaning: "The request body is not JSON.",
    causes: ["A missing or wrong `Content-Type` (form data, `text/plain`).", "A preference patch sent with a type other than `application/json` or `application/merge-patch+json`."],
    whatToDo: ["Send `Content-Type: application/json` with a JSON body."],
  },
  template_invalid: {
    meaning: "A template cannot be saved or rendered.",
    causes: ["A Mustache syntax error in `subject` or `body` (an unclosed section, a stray `{{`).", "Rendering with `data` that lacks variables the template prints: every missing one is named."],
    whatToDo: ["Fix the template, or add the missing variables to `data`. `POST /v1/templates/{name}/preview` shows the result before you send."],
  },
  atomic_batch_rejected: {
    meaning: "An `atomic: true` batch had an item that would not be created, so none was. Nothing was written.",
    causes: ["An invalid item, a duplicate or conflicting idempotency key, or an item that failed."],
    whatToDo: ["`offending` (and `errors[]`) in the problem document list the items by index and what each would have been; fix or remove them and send the batch again."],
  },
  rate_limited: {
    meaning: "The credential sent more requests than its rate limit allows.",
    causes: ["More than 10,000 requests per 10 s with one API key, or 100 per 10 s with one user token.", "A retry loop without backoff."],
    whatToDo: ["Wait `Retry-After` seconds, then retry; back off exponentially if it happens again.", "Batch work: one batch request counts once."],
  },
  internal: {
    meaning: "Something went wrong on Herald's side. The request may or may not have been applied.",
    causes: ["A bug, or a dependency (D1, a queue, a Durable Object) that failed for a moment."],
    whatToDo: [
      "Retry with backoff, with the same `Idempotency-Key` where the operation takes one, so a retry cannot apply the request twice.",
      "If it persists, report it with the `requestId` from the problem document (also the `X-Request-Id` header).",
    ],
  },
  not_configured: {
    meaning: "The deployment is missing a secret this request needs.",
    causes: ["`API_KEYS` or `JWT_SECRET` not set, or `JWT_SECRET` shorter than 32 bytes.", "`SECRET_KEYS` missing or malformed when a webhook secret must be sealed."],
    whatToDo: ["The operator sets the secret (`wrangler secret put NAME`); see the README's Deploying section. Clients can only wait."],
  },
};

const list = (items: string[]) => `<ul>${items.map((item) => `<li>${code(item)}</li>`).join("")}</ul>`;
/** Escapes, then turns `backticks` into <code>: the page text uses the same markup as docs/. */
const code = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The `/problems/{slug}` page of one code. */
export function problemPageHtml(errorCode: ErrorCode): string {
  const page = PROBLEM_PAGES[errorCode];
  return htmlPage(
    PROBLEM_TITLES[errorCode],
    `<p>HTTP status <strong>${ERROR_STATUS[errorCode]}</strong> · code <code>${errorCode}</code> · type <code>${problemType(errorCode)}</code></p>` +
      `<h2>What it means</h2><p>${code(page.meaning)}</p>` +
      `<h2>Typical causes</h2>${list(page.causes)}` +
      `<h2>What to do</h2>${list(page.whatToDo)}` +
      `<p><a href="/problems">Every problem type</a> · <a href="/docs">API reference</a></p>`,
  );
}

/** The `/problems` index: every code with its status and a link to its page. */
export function problemIndexHtml(): string {
  const rows = (Object.keys(PROBLEM_PAGES) as ErrorCode[])
    .map((c) => `<tr><td><a href="${problemType(c)}">${escapeHtml(PROBLEM_TITLES[c])}</a></td><td>${ERROR_STATUS[c]}</td><td><code>${c}</code></td></tr>`)
    .join("");
  return htmlPage(
    "Problem types",
    "<p>Every Herald error is an RFC 9457 problem document (<code>application/problem+json</code>). Its <code>type</code> is the link to one of these pages; " +
      "its <code>code</code> is the same thing as a stable machine code to switch on.</p>" +
      `<table><thead><tr><th>Problem</th><th>Status</th><th>Code</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** The code whose page is at `/problems/{slug}`, or null. */
export function codeOfSlug(slug: string): ErrorCode | null {
  return (Object.keys(PROBLEM_PAGES) as ErrorCode[]).find((c) => problemSlug(c) === slug) ?? null;
}
