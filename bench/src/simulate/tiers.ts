/**
 * What a cache tier in front of the shards leaves of one key's request rate.
 *
 * A tier with `copies` independent caches (colos, or isolates for the micro-cache), each keeping a
 * key for `windowSeconds` after fetching it, sees the key's requests split evenly over its copies.
 * A copy that sees Poisson requests at λ/c misses once, then serves every request of the next
 * `window` seconds: a renewal cycle of window + c/λ holding one miss. So the copies together send
 *
 *     λ_out = λ / (1 + λ·window / copies)
 *
 * to the tier behind: λ for a cold key (λ·window ≪ copies), and at most copies / window for a hot one,
 * however hot (one revalidation per copy per window).
 */
export interface CacheTier {
  /** Independent caches: colos for the colo tier, isolates (all colos) for the micro-cache. */
  copies: number;
  /** How long a copy serves a key before asking again: sharedMaxAge, or the micro-cache's maxAgeMs. */
  windowSeconds: number;
}

export function passedThrough(rate: number, tier: CacheTier | undefined): number {
  if (!tier || tier.copies <= 0 || tier.windowSeconds <= 0) return rate;
  return rate / (1 + (rate * tier.windowSeconds) / tier.copies);
}

/** The tiers a read crosses before its shard, in order: reader → colo tier → isolate micro-cache → shard. */
export interface TierStack {
  colo?: CacheTier;
  micro?: CacheTier;
}

export function reachingShard(rate: number, tiers: TierStack): number {
  return passedThrough(passedThrough(rate, tiers.colo), tiers.micro);
}
