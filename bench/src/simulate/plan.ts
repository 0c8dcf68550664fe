/**
 * One deployment played forward: key popularity → the tiers → per-shard load → each object's queue.
 * Returns the recommended shard count and what the objects see at it (or at a given count).
 */
import { mulberry32 } from "../zipf.ts";
import {
  d1RowCapacity,
  d1RowsPerSecond,
  ENTRY_OVERHEAD_BYTES,
  fanOutMs,
  keysInMemoryPerShard,
  memoryTierShare,
  shardsForStorage,
  workingSetKeys,
} from "./capacity.ts";
import { PROJECT } from "./platform-limits.ts";
import type { Popularity } from "./popularity.ts";
import { openQueueDelays, percentileOf } from "./queues.ts";
import { keyRatesAtShards, maxOf, placeKeys, searchShards } from "./shard-loads.ts";
import { reachingShard, type TierStack } from "./tiers.ts";

export interface PlanInput {
  /** Reads/s across the namespace. */
  readRate: number;
  popularity: Popularity;
  tiers: TierStack;
  /** Requests/s one object completes (the platform's soft limit by default). */
  objectRps: number;
  /** The utilisation the hottest object may reach (headroom for bursts and the queue's tail). */
  targetUtilisation: number;
  valueBytes: number;
  /** Evaluate this many shards instead of the recommendation. */
  shards?: number;
  /** The most shards the search may recommend (a namespace allows 1,024). */
  maxShards: number;
  /** Fill of an object's storage limit to plan for. */
  storageFill: number;
  entryLifetimeSeconds: number;
  writeRate: number;
  flushIntervalSeconds: number;
  d1RowMs: number;
  concurrency: number;
  taggedKeys: number;
  fanOutRoundTripMs: number;
  purgeMsPerKey: number;
  seed: number;
  /** Arrivals simulated in the hottest object's queue (and, spread by load, over all objects). */
  queueArrivals: number;
}

export interface ShardLoadSummary {
  min: number;
  p50: number;
  mean: number;
  p99: number;
  max: number;
}

export interface PlanResult {
  hottestKey: { share: number; rate: number; atShard: number };
  /** Reads/s reaching the shards after the tiers. */
  atShards: number;
  shardsByRate: number;
  shardsByStorage: number;
  recommendedShards: number;
  /** False when no count up to maxShards keeps every shard (hot keys aside) within the plan; recommendedShards is then maxShards. */
  reachable: boolean;
  /** Keys each over half of one object's planned capacity: a tier in front is their answer, not shards. */
  hotKeys: number;
  /** The count the rest describes: `shards` when given, else the recommendation. */
  shards: number;
  load: ShardLoadSummary;
  hottestUtilisation: number;
  /** Seconds; Infinity when the hottest object is at or past utilisation 1. */
  hottestP99Delay: number;
  allP99Delay: number;
  workingSetKeys: number;
  storagePerShardBytes: number;
  memoryShare: number;
  fanOutMs: number;
  d1: { rowsPerSecond: number; capacity: number; utilisation: number } | undefined;
}

export function plan(input: PlanInput): PlanResult {
  const { readRate, popularity, tiers, objectRps, targetUtilisation } = input;
  const capacity = objectRps * targetUtilisation;
  const rates = keyRatesAtShards(popularity, readRate, tiers);
  const hottestShare = popularity.head[0] ?? 0;
  const working = workingSetKeys(popularity, readRate, tiers, input.entryLifetimeSeconds);
  const byStorage = shardsForStorage({ keys: working, valueBytes: input.valueBytes, fill: input.storageFill });
  const search = searchShards({ rates, capacity, minShards: byStorage, maxShards: input.maxShards, seed: input.seed, random: mulberry32 });
  const shards = input.shards ?? search.shards;
  const loads = input.shards === undefined ? search.loads : placeKeys(rates, shards, mulberry32(input.seed));
  const sorted = Float64Array.from(loads).sort();
  const hottest = maxOf(loads);
  const random = mulberry32(input.seed + 1);
  const delays = queueDelays(loads, objectRps, input.queueArrivals, random);
  const keysInMemory =
    shards * keysInMemoryPerShard({ maxEntries: PROJECT.memoryMaxEntries, maxBytes: PROJECT.memoryMaxBytes, valueBytes: input.valueBytes });
  const rows = d1RowsPerSecond({ popularity, writeRate: input.writeRate, flushIntervalSeconds: input.flushIntervalSeconds });
  const d1Capacity = d1RowCapacity(input.d1RowMs);
  return {
    hottestKey: { share: hottestShare, rate: readRate * hottestShare, atShard: reachingShard(readRate * hottestShare, tiers) },
    atShards: rates.total,
    shardsByRate: Math.ceil(rates.total / capacity),
    shardsByStorage: byStorage,
    recommendedShards: search.shards,
    reachable: search.reachable,
    hotKeys: search.hotKeys,
    shards,
    load: {
      min: sorted[0]!,
      p50: sorted[Math.floor((sorted.length - 1) / 2)]!,
      mean: rates.total / shards,
      p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!,
      max: hottest,
    },
    hottestUtilisation: hottest / objectRps,
    hottestP99Delay: delays.hottest,
    allP99Delay: delays.all,
    workingSetKeys: working,
    storagePerShardBytes: (working * (input.valueBytes + ENTRY_OVERHEAD_BYTES)) / shards,
    memoryShare: memoryTierShare({ popularity, readRate, tiers, keysInMemory }),
    fanOutMs: fanOutMs({
      shards,
      concurrency: input.concurrency,
      roundTripMs: input.fanOutRoundTripMs,
      taggedKeys: input.taggedKeys,
      purgeMsPerKey: input.purgeMsPerKey,
    }),
    d1: input.writeRate > 0 ? { rowsPerSecond: rows, capacity: d1Capacity, utilisation: rows / d1Capacity } : undefined,
  };
}

/**
 * p99 queueing delay of the hottest object, and over every request of every object: each object's
 * queue is simulated with arrivals in proportion to its load, so the pooled delays weigh each
 * object by its traffic. An object at or past utilisation 1 has no steady state: its delay is
 * Infinity, and so is the pooled p99 when such objects carry more than 1 % of the requests.
 */
function queueDelays(loads: Float64Array, objectRps: number, arrivals: number, random: () => number): { hottest: number; all: number } {
  const total = loads.reduce((a, b) => a + b, 0);
  const hottestLoad = maxOf(loads);
  const hottest =
    hottestLoad >= objectRps
      ? Number.POSITIVE_INFINITY
      : percentileOf(openQueueDelays({ arrivalRate: hottestLoad, serviceRate: objectRps, arrivals, random }), 99);
  const pooled: number[] = [];
  let overloadedShare = 0;
  for (const load of loads) {
    if (load <= 0) continue;
    if (load >= objectRps) {
      overloadedShare += load / total;
      continue;
    }
    const count = Math.max(200, Math.round((arrivals * load) / total));
    const delays = openQueueDelays({ arrivalRate: load, serviceRate: objectRps, arrivals: count, random });
    // Keep the object's weight right: it simulated `count` arrivals for a share load/total of the pool.
    const keep = Math.max(1, Math.round((arrivals * load) / total));
    for (let i = 0; i < keep; i++) pooled.push(delays[Math.floor((i * count) / keep)]!);
  }
  const all = overloadedShare > 0.01 ? Number.POSITIVE_INFINITY : percentileOf(Float64Array.from(pooled), 99);
  return { hottest, all };
}
