/**
 * The clock both Durable Object kinds (CacheShard, Coordinator) and the plain classes they wire
 * read their time from. Production runs on the platform's time; the test Worker
 * (test/worker/test-clock.ts) passes a clock its tests move, freeze and thaw instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, as this object's logic sees time. */
  now(): number;
  /**
   * How far `now()` runs ahead of `Date.now()`. Alarms are set in platform time, so a time read
   * from this clock is moved back by this much before it becomes an alarm. 0 in production.
   */
  readonly offsetMs: number;
  /** How long a load took that began at platform time `startedAt` (a `Date.now()` reading). */
  loadDuration(startedAt: number): number;
}

/** The platform's time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  offsetMs: 0,
  loadDuration: (startedAt) => Date.now() - startedAt,
};
