/**
 * Retry delays for a failing target: exponential (base · 2^(n-1), capped at max) with ±25 %
 * jitter, so the retries of many jobs against one target spread out instead of arriving together.
 * The jitter band is narrower than the doubling, so each delay stays longer than the one before
 * (until the cap).
 */
import type { InvalidationConfig } from "@cache-sync/contracts";

const JITTER = 0.25;

/** Delay before attempt `failedAttempts + 1`; `random` is in [0, 1). */
export function retryDelayMs(
  failedAttempts: number,
  settings: Pick<InvalidationConfig, "retryBaseMs" | "retryMaxMs">,
  random: () => number,
): number {
  const exponential = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, failedAttempts - 1));
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random());
  return Math.max(1, Math.round(Math.min(jittered, settings.retryMaxMs)));
}
