/**
 * A namespace's `stats` samples over time, turned into the rates the charts plot: request rate
 * (lookups per second) and hit rate per interval. The counters are cumulative, so each point is
 * the difference between two samples; a counter that went down (a restarted shard) counts as 0.
 */
import type { NamespaceStats } from "@cache-sync/client";

export interface Sample {
  at: number;
  stats: NamespaceStats;
}

export interface Point {
  at: number;
  /** null when nothing happened in the interval (a hit rate of no lookups is not 0 %). */
  value: number | null;
}

export class StatsHistory {
  readonly #samples: Sample[] = [];

  constructor(readonly capacity = 90) {}

  add(sample: Sample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.capacity) this.#samples.shift();
  }

  get latest(): NamespaceStats | undefined {
    return this.#samples.at(-1)?.stats;
  }

  /** Lookups (gets that hit or missed) per second, per interval. */
  requestRate(): Point[] {
    return this.#intervals((before, after, seconds) => (seconds > 0 ? delta(lookups(before), lookups(after)) / seconds : null));
  }

  /** Hits / lookups per interval, 0..1. */
  hitRate(): Point[] {
    return this.#intervals((before, after) => {
      const total = delta(lookups(before), lookups(after));
      return total === 0 ? null : Math.min(1, delta(before.hits, after.hits) / total);
    });
  }

  #intervals(measure: (before: NamespaceStats, after: NamespaceStats, seconds: number) => number | null): Point[] {
    const points: Point[] = [];
    for (let i = 1; i < this.#samples.length; i++) {
      const before = this.#samples[i - 1]!;
      const after = this.#samples[i]!;
      points.push({ at: after.at, value: measure(before.stats, after.stats, (after.at - before.at) / 1000) });
    }
    return points;
  }
}

const lookups = (stats: NamespaceStats) => stats.hits + stats.misses;
const delta = (before: number, after: number) => Math.max(0, after - before);

/** Lookups that did not need an origin call: hits, and waiters that shared another caller's load. */
export function originCallsSaved(stats: NamespaceStats): number {
  return Math.max(0, lookups(stats) - stats.originFetches);
}
