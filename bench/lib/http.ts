/**
 * A small keep-alive HTTP/1.1 JSON client on `node:http`. The bench sends thousands of requests
 * per second from one process that also runs a thousand WebSocket clients, so it avoids `fetch`'s
 * per-request overhead; connections are reused and capped.
 */
import { Agent, request } from "node:http";

/** A response: status and body text. */
export interface HttpResponse {
  status: number;
  text: string;
}

export class JsonClient {
  readonly #base: URL;
  readonly #agent: Agent;
  readonly #headers: Record<string, string>;

  /**
   * @param base `http://127.0.0.1:<port>` (the bench targets loopback only).
   * @param auth bearer credential sent on every request, or null.
   * @param maxSockets concurrent connections at most; further requests queue in the agent.
   */
  constructor(base: string, auth: string | null, maxSockets = 32) {
    this.#base = new URL(base);
    if (this.#base.hostname !== "127.0.0.1") throw new Error(`the bench only targets 127.0.0.1, not ${this.#base.hostname}`);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
    this.#headers = auth === null ? {} : { authorization: `Bearer ${auth}` };
  }

  /**
   * Sends one request; `body` is sent as JSON when given.
   * @param timeoutMs whole-request ceiling; the request fails with an error after it.
   * @param headers sent on top of the client's (e.g. `Idempotency-Key`).
   */
  send(method: string, path: string, body?: unknown, timeoutMs = 60_000, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          agent: this.#agent,
          headers: {
            ...this.#headers,
            ...headers,
            ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /**
   * Sends a request and parses the JSON answer.
   * @throws Error with status and body when the status is not `expected`.
   */
  async json<T>(method: string, path: string, expected: number, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.send(method, path, body, 60_000, headers);
    if (res.status !== expected) throw new Error(`${method} ${path} → ${res.status} (expected ${expected}): ${res.text.slice(0, 500)}`);
    return JSON.parse(res.text) as T;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}
