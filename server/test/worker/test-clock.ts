/**
 * The clock the test Worker gives both Durable Object kinds. Tests move it forward (through
 * `runInDurableObject`) instead of sleeping, and may freeze it so that only their own steps move time.
 */
import type { Clock } from "../../src/clock/clock.ts";

export class TestClock implements Clock {
  offsetMs = 0;
  private frozenAt: number | null = null;
  /**
   * When set, every origin load counts as having taken this long (refresh-ahead's δ) instead of
   * the real time it took, so a test on a frozen clock does not depend on the machine's speed.
   */
  fixedLoadMs: number | null = null;

  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  freeze(): void {
    this.frozenAt = Date.now();
  }

  /** How long a load that began at real time `startedAt` (a `Date.now()` reading) took. */
  loadDuration(startedAt: number): number {
    return this.fixedLoadMs ?? Date.now() - startedAt;
  }

  thaw(): void {
    if (this.frozenAt !== null) this.offsetMs -= Date.now() - this.frozenAt;
    this.frozenAt = null;
  }
}
