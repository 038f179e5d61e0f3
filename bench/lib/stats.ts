/**
 * Summaries of repeated measurements, clocks and timing helpers. Shared machines drift, so every
 * figure the bench reports is the median of several repetitions with its spread, never a single run.
 */

/** Median and range of a set of samples, in the samples' unit. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/**
 * The `q`-quantile (0..1) of `values` by linear interpolation between closest ranks.
 * @throws Error for an empty set: a quantile of nothing is a bench bug, not a zero.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of an empty set");
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Median, min and max of the repetitions' values. */
export function summarise(samples: readonly number[]): Summary {
  return { median: quantile(samples, 0.5), min: Math.min(...samples), max: Math.max(...samples), samples: [...samples] };
}

/** Spread as ± half the range, in % of the median (0 for a single sample). */
export function spreadPercent(summary: Summary): number {
  return summary.median === 0 ? 0 : ((summary.max - summary.min) / 2 / Math.abs(summary.median)) * 100;
}

/** Milliseconds since an arbitrary origin, monotonic (not wall-clock). */
export const now = (): number => performance.now();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves or rejects with `promise`, or rejects after `ms` milliseconds naming `what`.
 * The timer is cleared either way, so nothing lingers after the bench is done.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms)} ms waiting for ${what}`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Seeded PRNG (mulberry32): the same seed gives the same workload on every run, so runs differ
 * only in the code measured.
 * @returns a function giving floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
