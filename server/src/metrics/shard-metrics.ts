/** Counters one shard keeps for `stats`. */
import { emptyHistogram, type HistogramCounts } from "./latency-histogram.ts";

export interface ShardCounters {
  hits: number;
  misses: number;
  staleServed: number;
  originFetches: number;
  originErrors: number;
  coalesced: number;
  evictions: number;
  earlyRefreshes: number;
  shadowReads: number;
  shadowMismatches: number;
}

export interface ShardStats extends ShardCounters {
  entries: number;
  bytes: number;
  memoryEntries: number;
  memoryBytes: number;
  latency: HistogramCounts;
  writeBehind: { pending: number; flushed: number; failedAttempts: number; lastFlushAt: number | null; deadLetters: number };
}

export function emptyCounters(): ShardCounters {
  return {
    hits: 0,
    misses: 0,
    staleServed: 0,
    originFetches: 0,
    originErrors: 0,
    coalesced: 0,
    evictions: 0,
    earlyRefreshes: 0,
    shadowReads: 0,
    shadowMismatches: 0,
  };
}

export { emptyHistogram };
