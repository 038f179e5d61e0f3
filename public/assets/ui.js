/**
 * Small helpers shared by the /inbox and /console pages: building DOM nodes without innerHTML
 * (every server string lands in a text node, so nothing it contains can run), times for people,
 * and calling Herald's API with its RFC 9457 problem documents turned into one error type.
 */

/**
 * Creates an element. `props`: `class`, `text`, `on` ({event: handler}), and any other key as an
 * attribute (skipped when null/undefined/false; `true` sets it empty). Children may be nodes,
 * strings (as text) or null (skipped).
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else if (key === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "just now", "3 minutes ago", "yesterday"… for an ISO time; "—" when missing. */
export function ago(iso) {
  if (!iso) return "—";
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (Math.abs(seconds) < 10) return "just now";
  for (const [unit, size] of [["day", 86_400], ["hour", 3_600], ["minute", 60]]) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, "second");
}

/** A `<time>` element showing {@link ago}, with the exact time as its tooltip; {@link refreshTimes} keeps it current. */
export function timeEl(iso) {
  return el("time", { datetime: iso, title: iso ? absolute.format(new Date(iso)) : null, text: ago(iso) });
}

/** Re-renders every `<time datetime>` under `root`, so "just now" does not stay "just now". */
export function refreshTimes(root) {
  for (const node of root.querySelectorAll("time[datetime]")) node.textContent = ago(node.getAttribute("datetime"));
}

/** A failed API call: the problem document's `code`, `detail` and field `errors`, or `network` when no answer came. */
export class ApiProblem extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure.
   * @param {{code?: string, detail?: string, title?: string, errors?: {path: string, message: string}[]}} problem
   */
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? (status === 0 ? "network" : "http_error");
    this.errors = problem.errors ?? [];
  }
}

/**
 * Calls Herald's API on this origin with an optional bearer credential.
 * @param {string} path e.g. `/v1/stats`
 * @param {{method?: string, body?: unknown, bearer?: string | null, timeoutMs?: number}} [options]
 * @returns {Promise<any>} the parsed JSON body (null for 204).
 * @throws {ApiProblem} for a non-2xx answer or when the request fails or times out (default 10 s).
 */
export async function api(path, { method = "GET", body, bearer = null, timeoutMs = 10_000 } = {}) {
  const headers = { accept: "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ApiProblem(0, { detail: `No answer from the server (${error instanceof Error ? error.message : String(error)}).` });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiProblem(response.status, data && typeof data === "object" ? data : { detail: text || response.statusText });
  return data;
}

/** One line for a problem: its detail plus each field error (`path: message`). */
export function describeProblem(error) {
  if (!(error instanceof ApiProblem)) return error instanceof Error ? error.message : String(error);
  const fields = error.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  return [error.message, ...fields].join(" — ");
}
