/**
 * The open-loop sender of the in-app latency scenario (bench/scenarios/in-app-latency.ts), shared
 * with the floor's variants (bench/floor/variants.ts) so both measure the same way: notifications
 * sent one per `POST /v1/notifications` at a steady rate, round-robin over the users, each frame
 * matched to its request by `data: {run, k}`.
 */
import type { FleetUser, NotificationFrame } from "./clients.ts";
import type { JsonClient } from "./http.ts";
import { now, quantile, sleep } from "./stats.ts";

/** Requests in flight at most; past it the sender waits, so a saturated server cannot grow the bench's memory without bound. */
export const MAX_IN_FLIGHT = 2000;
/** Sender tick in ms: every tick sends what the rate makes due. */
const TICK_MS = 2;

/** One stream's figures. */
export interface RunResult {
  /** ms; frames that never arrived count with the time waited for them, so these are lower bounds when `received < sent`. */
  p50: number;
  p99: number;
  framesPerSecond: number;
  received: number;
  sent: number;
  requested: number;
}

/** One open-loop stream: what each repetition (and the warm-up) sends and when its frames arrive. */
export class Stream {
  readonly run: number;
  readonly count: number;
  /** Per notification `k`: when its request started and when its frame arrived (ms, `now()`). */
  readonly sentAt: Float64Array;
  readonly arrivedAt: Float64Array;
  received = 0;
  lastArrival = 0;
  constructor(run: number, count: number) {
    this.run = run;
    this.count = count;
    this.sentAt = new Float64Array(count);
    this.arrivedAt = new Float64Array(count).fill(Number.NaN);
  }

  /** Frame hook: records the first arrival of this stream's notification `k`. */
  onFrame(frame: NotificationFrame, at: number): void {
    const data = frame.notification.data as { run?: number; k?: number } | null;
    if (data?.run !== this.run || typeof data.k !== "number" || !Number.isNaN(this.arrivedAt[data.k]!)) return;
    this.arrivedAt[data.k] = at;
    this.received++;
    this.lastArrival = at;
  }
}

/**
 * Sends `stream.count` notifications round-robin over `users` at `ratePerSecond`, then waits up
 * to `drainMs` after the last send for the frames still missing.
 * @throws Error when a request fails (a non-202 is a bench failure, not a slow server).
 */
export async function runStream(apis: readonly JsonClient[], users: readonly FleetUser[], stream: Stream, ratePerSecond: number, drainMs: number): Promise<RunResult> {
  let sent = 0;
  let inFlight = 0;
  let failure: Error | null = null;
  const started = now();
  const fire = (k: number) => {
    stream.sentAt[k] = now();
    inFlight++;
    apis[k % apis.length]!
      .send("POST", "/v1/notifications", {
        userId: users[k % users.length]!.userId,
        title: "New message",
        body: `Message ${k} of run ${stream.run}`,
        data: { run: stream.run, k },
      })
      .then((res) => {
        if (res.status !== 202) failure ??= new Error(`POST /v1/notifications → ${res.status}: ${res.text.slice(0, 300)}`);
      })
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => inFlight--);
  };
  const sendDeadline = started + (stream.count / ratePerSecond) * 2000 + drainMs;
  while (sent < stream.count && failure === null && now() < sendDeadline) {
    const due = Math.min(stream.count, Math.floor(((now() - started) * ratePerSecond) / 1000) + 1);
    while (sent < due && inFlight < MAX_IN_FLIGHT) fire(sent++);
    await sleep(TICK_MS);
  }
  const deadline = now() + drainMs;
  while ((stream.received < sent || inFlight > 0) && failure === null && now() < deadline) await sleep(10);
  if (failure) throw failure;
  const waitedUntil = now();
  const latencies = Array.from(stream.sentAt.subarray(0, sent), (at, k) => (Number.isNaN(stream.arrivedAt[k]!) ? waitedUntil : stream.arrivedAt[k]!) - at);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    framesPerSecond: stream.received / (((stream.received === sent ? stream.lastArrival : waitedUntil) - started) / 1000),
    received: stream.received,
    sent,
    requested: stream.count,
  };
}

/** Waits until no frame of `stream` has arrived for 1 s (at most `limitMs`), so a backlog does not spill into the next run. */
export async function settle(stream: Stream, limitMs: number): Promise<void> {
  const deadline = now() + limitMs;
  let seen = -1;
  while (now() < deadline && seen !== stream.received) {
    seen = stream.received;
    await sleep(1000);
  }
}

