// Exponential backoff with jitter for transient send failures, pure (randomness injected).
export interface BackoffPolicy {
  /** the delay after the first failure, before jitter */
  baseMs: number;
  /** the most a delay may be */
  maxMs: number;
  /** 0 ≤ x < 1; Math.random by default */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** The delay after `attempts` failed attempts (1 = the first failure): "equal jitter", between half and all of the exponential step. */
export function backoffDelay(attempts: number, policy: BackoffPolicy): number {
  const n = Math.max(1, Math.floor(attempts));
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(0.999_999, Math.max(0, (policy.random ?? Math.random)()));
  return Math.round(step / 2 + (r * step) / 2);
}
