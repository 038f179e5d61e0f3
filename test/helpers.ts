/**
 * Test helpers: call the real Worker (its default export, inside workerd) and wait with deadlines.
 */
import { exports } from "cloudflare:workers";

export const API_KEY = "test-key-1";
export const BASE = "https://herald.test";

/** Calls the Worker with the test API key and JSON content type unless overridden. */
export function api(path: string, init: RequestInit & { json?: unknown; auth?: string | null } = {}): Promise<Response> {
  const { json, auth = API_KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${auth}`);
  if (json !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }));
}

/** A fresh id for a test's user/target, so tests never share state. */
export const freshId = (prefix = "u") => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * Polls `probe` until it returns a value that is not `undefined`/`false`, or throws after `timeoutMs`.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, { timeoutMs = 10_000, intervalMs = 50, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Mints a user token through the API. */
export async function userToken(userId: string, ttlSeconds?: number): Promise<string> {
  const res = await api(`/v1/users/${userId}/tokens`, { method: "POST", json: ttlSeconds === undefined ? {} : { ttlSeconds } });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Sends a literal in-app notification and returns its id. */
export async function sendNotification(userId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await api("/v1/notifications", { method: "POST", json: { userId, title: "Hello", body: "World", ...extra }, headers });
  if (res.status !== 202) throw new Error(`notify: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** A server frame as the tests read it. */
export type Frame = { type: string; seq?: number; [k: string]: unknown };

/**
 * A test device: a real WebSocket to the user's inbox through the Worker, with a frame log
 * and `next()` to await frames in order (each with a deadline).
 */
export class Device {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private read = 0;
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(String(event.data)) as Frame);
      this.waiters.splice(0).forEach((w) => w());
    });
    ws.addEventListener("close", () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  /** Connects with a user token, optional `since` and `window`; throws on a non-101 answer. */
  static async connect(token: string, since?: number, window?: number): Promise<Device> {
    const query = new URLSearchParams({ token, ...(since !== undefined ? { since: String(since) } : {}), ...(window !== undefined ? { window: String(window) } : {}) });
    const res = await exports.default.fetch(new Request(`${BASE}/v1/me/connect?${query}`, { headers: { upgrade: "websocket" } }));
    if (res.status !== 101 || !res.webSocket) throw new Error(`connect: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    return new Device(res.webSocket);
  }

  /** The next unread frame (optionally of one `type`, skipping others), within `timeoutMs`. */
  async next(type?: string, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.read < this.frames.length) {
        const frame = this.frames[this.read++]!;
        if (type === undefined || frame.type === type) return frame;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error(`no ${type ?? "frame"} within ${timeoutMs} ms (got ${JSON.stringify(this.frames.slice(-3))})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Collects the next `n` frames of `type`. */
  async take(n: number, type = "notification", timeoutMs = 5000): Promise<Frame[]> {
    const out: Frame[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next(type, timeoutMs));
    return out;
  }

  /** Waits `ms` and returns frames of `type` that arrived unread meanwhile (to prove nothing more comes). */
  async quiet(ms: number, type = "notification"): Promise<Frame[]> {
    await new Promise((r) => setTimeout(r, ms));
    const extra = this.frames.slice(this.read).filter((f) => f.type === type);
    this.read = this.frames.length;
    return extra;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close(): void {
    this.ws.close(1000, "test done");
  }
}
