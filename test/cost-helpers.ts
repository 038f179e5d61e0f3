/**
 * Helpers for the cost tests (docs/cost.md): switch the tracer on for this test file's isolate,
 * and read what one operation cost once all its background work (queue consumers, inbox
 * alarms, mirror flushes) has settled.
 */
import { env } from "cloudflare:workers";
import { costLedger, resetCostLedger, type CostLedger } from "../src/lib/cost-trace";

/**
 * Turns tracing on: the runtime hands every handler and Durable Object of this isolate the same
 * env object the test imports, so setting the var there reaches them all (src/lib/cost-trace.ts).
 */
export function traceCosts(on: boolean): void {
  (env as unknown as Record<string, string>).COST_TRACE = on ? "true" : "false";
}

/** A fingerprint of the ledger's counters, to see whether anything still runs. */
const total = (l: CostLedger) =>
  JSON.stringify([l.worker, l.d1, l.queues, l.durableObjects]);

/**
 * Waits until the ledger has not changed for `quietMs` (longer than the queues' 1 s batch
 * timeout, so a consumer still to run would show), at most `timeoutMs`, and returns it.
 */
export async function settledLedger({ quietMs = 2500, timeoutMs = 60_000 } = {}): Promise<CostLedger> {
  const deadline = Date.now() + timeoutMs;
  let last = total(costLedger());
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`the ledger did not settle within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    const now = total(costLedger());
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
  return costLedger();
}

/** Runs `operation` from a zeroed ledger and returns what it cost once everything settled. */
export async function costOf(operation: () => Promise<void>): Promise<CostLedger> {
  await settledLedger();
  resetCostLedger();
  await operation();
  return settledLedger();
}

/** The figures a bound is set on, per operation (`per` divides: items of a batch, recipients of a broadcast). */
export function perOperation(ledger: CostLedger, per = 1) {
  const d = (n: number) => n / per;
  const durableObjectRequests = ledger.durableObjects.rpc + ledger.durableObjects.fetches + ledger.durableObjects.alarms + ledger.durableObjects.webSocketMessages / 20;
  return {
    workerInvocations: d(ledger.worker.fetches + ledger.worker.queueBatches),
    d1RoundTrips: d(ledger.d1.roundTrips),
    d1Statements: d(ledger.d1.statements),
    d1RowsRead: d(ledger.d1.rowsRead),
    d1RowsWritten: d(ledger.d1.rowsWritten),
    queueMessages: d(ledger.queues.messages),
    queueSends: d(ledger.queues.sends),
    durableObjectRequests: d(durableObjectRequests),
    doRowsRead: d(ledger.durableObjects.rowsRead),
    doRowsWritten: d(ledger.durableObjects.rowsWritten + ledger.durableObjects.alarmWrites),
  };
}
