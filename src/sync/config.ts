/**
 * Delivery policy for sync webhooks, from vars with docs/api.md#retries-and-dead-letters defaults. Tests shorten the delays
 * through the same vars; production keeps the defaults.
 */
import type { Bindings } from "../env";

export interface SyncConfig {
  /** Per-attempt timeout, ms (docs/api.md#user-sync: 15 s). */
  timeoutMs: number;
  /** Backoff base and cap, seconds: a retry waits a random time in [1, min(cap, base·2^(n-1))]. */
  retryBaseSeconds: number;
  retryCapSeconds: number;
  /** Attempts before a delivery is dead-lettered (docs/api.md#retries-and-dead-letters: default 8). */
  maxAttempts: number;
  /** Reconciliation ignores users changed more recently than this, seconds (deliveries in flight). */
  graceSeconds: number;
}

type SyncVars = Partial<Record<"SYNC_TIMEOUT_MS" | "SYNC_RETRY_BASE_SECONDS" | "SYNC_RETRY_CAP_SECONDS" | "SYNC_MAX_ATTEMPTS" | "SYNC_GRACE_SECONDS", string>>;

const num = (raw: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** Reads the policy from the environment (unset or invalid → default). */
export function syncConfig(env: Bindings): SyncConfig {
  const vars = env as unknown as SyncVars;
  return {
    timeoutMs: num(vars.SYNC_TIMEOUT_MS, 15_000, 100, 60_000),
    retryBaseSeconds: num(vars.SYNC_RETRY_BASE_SECONDS, 5, 1, 3600),
    retryCapSeconds: num(vars.SYNC_RETRY_CAP_SECONDS, 6 * 3600, 1, 12 * 3600),
    maxAttempts: num(vars.SYNC_MAX_ATTEMPTS, 8, 1, 50),
    graceSeconds: num(vars.SYNC_GRACE_SECONDS, 300, 0, 86_400),
  };
}
