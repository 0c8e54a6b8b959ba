/** How deliveries are retried: the one policy for every destination. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Delay before the second try (ms); doubles each time. */
  readonly baseDelayMs: number;
  /** No wait is longer than this (ms), Retry-After included. */
  readonly maxDelayMs: number;
}

/** 12 tries over about 40 minutes: a receiver that is down for a while still gets the alert. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
};

/**
 * The wait before try `attempt + 1` after try `attempt` failed: exponential, but never shorter
 * than the destination's Retry-After and never longer than the cap.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, Math.max(exponential, retryAfterMs ?? 0));
}
