/** Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"). */

/**
 * How the offline queue spaces its replays while the server is unreachable (the `retry` option):
 * retry `n` waits a random time in [cap/2, cap], where cap = min(maxDelayMs, initialDelayMs × factor^n).
 *
 * @example
 * const cache = createCacheClient({ url, retry: { initialDelayMs: 250, factor: 2, maxDelayMs: 10_000 } });
 */
export interface BackoffOptions {
  /** First delay. @default 500 */
  initialDelayMs?: number;
  /** Upper bound of any delay. @default 30000 */
  maxDelayMs?: number;
  /** Growth per attempt. @default 2 */
  factor?: number;
}

/**
 * The delay before retry number `attempt` (0-based): a random value in [cap/2, cap], where cap
 * grows exponentially. Half the window stays fixed so retries never collapse to zero and hammer.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const cap = Math.min(max, initial * (options.factor ?? 2) ** attempt);
  return Math.round(cap / 2 + random() * (cap / 2));
}
