/**
 * The closed-form parts of the capacity model (docs/capacity.md gives each formula and why):
 * storage, the memory tier's share, invalidation fan-out time, and D1's write-behind load.
 */
import { PLATFORM } from "./platform-limits.ts";
import { sumOverKeys, type Popularity } from "./popularity.ts";
import { reachingShard, type TierStack } from "./tiers.ts";

/** Bytes a stored entry costs beside its value: key, version, tags, timestamps, SQLite row and index (assumed). */
export const ENTRY_OVERHEAD_BYTES = 128;

/**
 * Distinct keys a namespace's shards hold: those requested at the shards within an entry's
 * lifetime L (fresh + stale; a key not read for longer is expired). A key with rate λ at its
 * shard is held with probability 1 − e^(−λL).
 */
export function workingSetKeys(popularity: Popularity, readRate: number, tiers: TierStack, lifetimeSeconds: number): number {
  return sumOverKeys(popularity, (share) => 1 - Math.exp(-reachingShard(readRate * share, tiers) * lifetimeSeconds));
}

/** Shards needed so that no object stores more than `fill` of its storage limit. */
export function shardsForStorage({ keys, valueBytes, fill }: { keys: number; valueBytes: number; fill: number }): number {
  return Math.max(1, Math.ceil((keys * (valueBytes + ENTRY_OVERHEAD_BYTES)) / (fill * PLATFORM.objectStorageBytes)));
}

/**
 * The share of the reads reaching shards that the shards' memory tiers can answer: about the
 * `perShard × shards` most popular keys (an LRU keeps roughly the most requested), weighted by
 * their rate at the shards. The rest read SQLite in the object (slower, still no origin call).
 */
export function memoryTierShare({
  popularity,
  readRate,
  tiers,
  keysInMemory,
}: {
  popularity: Popularity;
  readRate: number;
  tiers: TierStack;
  keysInMemory: number;
}): number {
  const rateOf = (share: number) => reachingShard(readRate * share, tiers);
  const total = sumOverKeys(popularity, rateOf);
  let held = 0;
  let ranks = 0;
  for (const share of popularity.head) {
    if (ranks >= keysInMemory) break;
    held += rateOf(share);
    ranks++;
  }
  for (const bucket of popularity.tail) {
    if (ranks >= keysInMemory) break;
    const taken = Math.min(bucket.count, keysInMemory - ranks);
    held += taken * rateOf(bucket.share / bucket.count);
    ranks += taken;
  }
  return total > 0 ? held / total : 0;
}

/** Keys one shard's memory tier holds: bounded by its entry count and its bytes. */
export function keysInMemoryPerShard({
  maxEntries,
  maxBytes,
  valueBytes,
}: {
  maxEntries: number;
  maxBytes: number;
  valueBytes: number;
}): number {
  return Math.min(maxEntries, Math.floor(maxBytes / (valueBytes + ENTRY_OVERHEAD_BYTES)));
}

/**
 * How long one invalidation takes to reach every shard: the coordinator keeps `concurrency` shards
 * in flight, so ⌈S / c⌉ waves, each a round trip to a shard plus that shard's purge of its share
 * of the tagged keys.
 */
export function fanOutMs({
  shards,
  concurrency,
  roundTripMs,
  taggedKeys,
  purgeMsPerKey,
}: {
  shards: number;
  concurrency: number;
  roundTripMs: number;
  taggedKeys: number;
  purgeMsPerKey: number;
}): number {
  const waves = Math.ceil(shards / concurrency);
  return waves * (roundTripMs + (taggedKeys / shards) * purgeMsPerKey);
}

/**
 * Rows/s write-behind sends to D1. Each shard's outbox keeps one row per key per flush interval F
 * (later writes replace it), so a key written at w/s costs 1 − e^(−wF) rows per interval.
 */
export function d1RowsPerSecond({
  popularity,
  writeRate,
  flushIntervalSeconds,
}: {
  popularity: Popularity;
  writeRate: number;
  flushIntervalSeconds: number;
}): number {
  if (writeRate <= 0) return 0;
  return sumOverKeys(popularity, (share) => 1 - Math.exp(-writeRate * share * flushIntervalSeconds)) / flushIntervalSeconds;
}

/** Rows/s one D1 database absorbs if each upserted row costs `rowMs` of its single thread. */
export function d1RowCapacity(rowMs: number): number {
  return 1_000 / rowMs;
}
