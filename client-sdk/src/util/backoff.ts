/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */

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
