/**
 * A real local HTTP receiver for webhook tests, run in Node by vitest's globalSetup (outside
 * workerd, so the Worker's outbound fetch crosses a real socket). Each endpoint `/hooks/<name>`
 * verifies every message with the `standardwebhooks` library against the secrets the test
 * registered, applies user events only when their version is newer (dropping stale ones, as
 * docs/api.md#user-sync tells receivers to), and can be told to fail, time out, answer 410 or 429, or recover.
 *
 * `/provider/<name>` plays a provider API (Resend- or Twilio-compatible): it records each request
 * (no signature) and answers by the same modes; `failTimes: n` answers 500 n times, then 200;
 * `delayMs` holds each provider answer that long (a slow provider).
 *
 * Two modes probe the sender's defences (issue 9): `redirect` answers 302 to the same path plus
 * `-moved` (a sender that followed it would show up there), and `huge` answers 500 with a 256 MiB body
 * streamed as the sender reads it; `huge` in `/received/<name>` reports how much was written
 * before the sender hung up, and whether it ever read it all.
 *
 * Control (JSON): POST /control/<name> {secrets?, mode?, retryAfter?, failTimes?}; GET /received/<name>.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Mode = "ok" | "fail" | "timeout" | "gone" | "ratelimit" | "redirect" | "huge";

/** Size of the `huge` body: far more than any sender should read. */
export const HUGE_BODY_BYTES = 256 * 1024 * 1024;

export interface Received {
  id: string;
  type: string;
  userId: string;
  version: number;
  /** Which registered secrets verified the message (index into `secrets`). */
  verifiedBy: number[];
  answered: number;
  applied: boolean;
  at: number;
  attemptHeaderTimestamp: number;
  /** The `webhook-signature` header as received (the log test looks for it in the Worker's logs). */
  signature: string;
}

/** A request to a `/provider/<name>` endpoint. */
export interface ProviderCall {
  authorization: string;
  contentType: string;
  idempotencyKey: string;
  body: string;
  answered: number;
  at: number;
}

interface Endpoint {
  secrets: string[];
  mode: Mode;
  retryAfter: number;
  failTimes: number;
  /** Provider endpoints wait this long before answering, ms. */
  delayMs: number;
  received: Received[];
  calls: ProviderCall[];
  /** userId → applied version (what this receiver believes). */
  state: Record<string, number>;
  /** The last `huge` answer: bytes handed to the socket, and whether all of them were. */
  huge: { written: number; finished: boolean } | null;
}

const endpoints = new Map<string, Endpoint>();
const endpoint = (name: string) => {
  let e = endpoints.get(name);
  if (!e) endpoints.set(name, (e = { secrets: [], mode: "ok", retryAfter: 1, failTimes: 0, delayMs: 0, received: [], calls: [], state: {}, huge: null }));
  return e;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const [, kind, name] = (req.url ?? "").split("/");
  if (!name) return json(res, 404, { error: "unknown path" });
  const e = endpoint(decodeURIComponent(name));
  const body = await readBody(req);
  if (kind === "control" && req.method === "POST") {
    const update = JSON.parse(body || "{}") as Partial<Pick<Endpoint, "secrets" | "mode" | "retryAfter" | "failTimes" | "delayMs">>;
    Object.assign(e, update);
    return json(res, 200, { ok: true });
  }
  if (kind === "received" && req.method === "GET") return json(res, 200, { received: e.received, state: e.state, calls: e.calls, huge: e.huge });
  if (kind === "provider" && req.method === "POST") {
    if (e.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, e.delayMs));
    return answerProvider(e, req, body, res);
  }
  if (kind !== "hooks" || req.method !== "POST") return json(res, 404, { error: "unknown path" });

  const headers = {
    "webhook-id": String(req.headers["webhook-id"] ?? ""),
    "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
    "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
  };
  const verifiedBy = e.secrets.flatMap((secret, i) => {
    try {
      new Webhook(secret).verify(body, headers);
      return [i];
    } catch {
      return [];
    }
  });
  const event = JSON.parse(body) as { type: string; data: { userId: string; version: number } };
  const record = (answered: number, applied = false) =>
    e.received.push({
      id: headers["webhook-id"],
      type: event.type,
      userId: event.data.userId,
      version: event.data.version,
      verifiedBy,
      answered,
      applied,
      at: Date.now(),
      attemptHeaderTimestamp: Number(headers["webhook-timestamp"]),
      signature: headers["webhook-signature"],
    });
  if (verifiedBy.length === 0) {
    record(401);
    return json(res, 401, { error: "bad signature" });
  }
  switch (e.mode) {
    case "fail":
      record(503);
      return json(res, 503, { error: "down for maintenance" });
    case "gone":
      record(410);
      return json(res, 410, { error: "endpoint removed" });
    case "ratelimit":
      record(429);
      return json(res, 429, { error: "slow down" }, { "retry-after": String(e.retryAfter) });
    case "timeout":
      record(0);
      return; // never answer: the sender's timeout must fire (the server closes on shutdown)
    case "redirect":
      record(302);
      return redirect(req, res, `/hooks/${encodeURIComponent(`${name}-moved`)}`);
    case "huge":
      record(500);
      return streamHuge(e, res);
    default: {
      const known = e.state[event.data.userId] ?? 0;
      const applied = event.data.version > known;
      if (applied) e.state[event.data.userId] = event.data.version;
      record(200, applied);
      return json(res, 200, { ok: true, applied });
    }
  }
}

/** Answers 302 to `path` on this server. */
function redirect(req: IncomingMessage, res: ServerResponse, path: string) {
  res.writeHead(302, { location: `http://${req.headers.host}${path}`, "content-length": "0" });
  res.end();
}

/** Answers 500 with {@link HUGE_BODY_BYTES}, written as fast as the sender reads (backpressure). */
function streamHuge(e: Endpoint, res: ServerResponse) {
  const huge: { written: number; finished: boolean } = (e.huge = { written: 0, finished: false });
  const chunk = Buffer.alloc(64 * 1024, "x");
  res.writeHead(500, { "content-type": "text/plain" });
  const pump = () => {
    while (huge.written < HUGE_BODY_BYTES) {
      huge.written += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    huge.finished = true;
    res.end();
  };
  pump();
}

/** Plays a provider API: records the call, answers by mode (`failTimes` first). */
function answerProvider(e: Endpoint, req: IncomingMessage, body: string, res: ServerResponse) {
  const mode: Mode = e.failTimes > 0 ? "fail" : e.mode;
  if (e.failTimes > 0) e.failTimes--;
  const status = { ok: 200, fail: 500, gone: 410, ratelimit: 429, timeout: 0, redirect: 302, huge: 500 }[mode];
  e.calls.push({
    authorization: String(req.headers.authorization ?? ""),
    contentType: String(req.headers["content-type"] ?? ""),
    idempotencyKey: String(req.headers["idempotency-key"] ?? ""),
    body,
    answered: status,
    at: Date.now(),
  });
  if (mode === "timeout") return;
  if (mode === "redirect") return redirect(req, res, `${req.url}-moved`);
  if (mode === "huge") return streamHuge(e, res);
  if (mode === "ratelimit") return json(res, 429, { error: "rate limited" }, { "retry-after": String(e.retryAfter) });
  if (mode === "gone") return json(res, 400, { error: "invalid recipient" });
  return json(res, status, status === 200 ? { id: `prov_${e.calls.length}` } : { error: "provider error" });
}

/** Starts the receiver on a free loopback port; resolves to its base URL and a stop function. */
export async function startReceiver(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
