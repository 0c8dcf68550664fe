/** Sums a namespace's shard counters and merges their latency histograms into `NamespaceStats`. */
import type { NamespaceStats } from "@cache-sync/contracts";
import { emptyHistogram, merge, quantile } from "./latency-histogram.ts";
import { emptyCounters, type ShardStats } from "./shard-metrics.ts";

export function aggregateStats(
  namespace: string,
  shards: number,
  perShard: ShardStats[],
  invalidations: NamespaceStats["invalidations"],
): NamespaceStats {
  const totals = { ...emptyCounters(), entries: 0, bytes: 0 };
  const latency = emptyHistogram();
  const writeBehind: NamespaceStats["writeBehind"] = { pending: 0, flushed: 0, failedAttempts: 0, lastFlushAt: null, deadLetters: 0 };
  for (const shard of perShard) {
    for (const name of Object.keys(totals) as (keyof typeof totals)[]) totals[name] += shard[name];
    merge(latency, shard.latency);
    writeBehind.pending += shard.writeBehind.pending;
    writeBehind.flushed += shard.writeBehind.flushed;
    writeBehind.failedAttempts += shard.writeBehind.failedAttempts;
    // A shard of an older build reports no dead letters: it has none.
    writeBehind.deadLetters += shard.writeBehind.deadLetters ?? 0;
    writeBehind.lastFlushAt = Math.max(writeBehind.lastFlushAt ?? 0, shard.writeBehind.lastFlushAt ?? 0) || null;
  }
  const lookups = totals.hits + totals.misses;
  return {
    namespace,
    shards,
    ...totals,
    hitRate: lookups === 0 ? 0 : totals.hits / lookups,
    latencyMs: { p50: quantile(latency, 0.5), p99: quantile(latency, 0.99) },
    writeBehind,
    invalidations,
  };
}
