/**
 * Requests/s reaching each shard: the head's keys placed one by one (a key lands on a uniformly
 * random shard, which is what `hash(key) mod shards` does for a good hash), the tail's millions of
 * cold keys in aggregate (their sum per shard is a mean plus normal noise with the summed variance).
 */
import type { Popularity } from "./popularity.ts";
import { reachingShard, type TierStack } from "./tiers.ts";

/** Every key's rate at its shard, after the tiers: the head exactly, the tail as two sums. */
export interface KeyRates {
  /** Rates of ranks 1..head.length, most popular first. */
  head: Float64Array;
  /** Σ rate over the tail's keys. */
  tailTotal: number;
  /** Σ rate² over the tail's keys (for the noise of their per-shard sum). */
  tailSquares: number;
  /** Σ rate over every key. */
  total: number;
}

export function keyRatesAtShards(popularity: Popularity, readRate: number, tiers: TierStack): KeyRates {
  const head = new Float64Array(popularity.head.length);
  let total = 0;
  for (let i = 0; i < head.length; i++) {
    head[i] = reachingShard(readRate * popularity.head[i]!, tiers);
    total += head[i]!;
  }
  let tailTotal = 0;
  let tailSquares = 0;
  for (const bucket of popularity.tail) {
    const perKey = reachingShard((readRate * bucket.share) / bucket.count, tiers);
    tailTotal += bucket.count * perKey;
    tailSquares += bucket.count * perKey * perKey;
  }
  return { head, tailTotal, tailSquares, total: total + tailTotal };
}

/** Places every key on a shard; returns each shard's requests/s. */
export function placeKeys(rates: KeyRates, shards: number, random: () => number): Float64Array {
  const loads = new Float64Array(shards);
  for (let i = 0; i < rates.head.length; i++) loads[Math.floor(random() * shards)]! += rates.head[i]!;
  // Each tail key joins a given shard with probability 1/S: a sum of many small independent parts.
  const mean = rates.tailTotal / shards;
  const sd = Math.sqrt(rates.tailSquares * (1 / shards) * (1 - 1 / shards));
  for (let s = 0; s < shards; s++) loads[s]! += Math.max(0, mean + sd * standardNormal(random));
  return loads;
}

/** Box–Muller. */
function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export const maxOf = (values: Float64Array) => values.reduce((max, v) => Math.max(max, v), 0);

export interface ShardSearch {
  /** The smallest shard count found whose hottest shard stays within capacity (or the best without the keys that cannot). */
  shards: number;
  loads: Float64Array;
  /**
   * Keys each carrying more than half of one object's planned capacity. Whatever the count, a
   * shard holding one sits at that key's rate plus its share of the rest: spreading the rest
   * thin enough takes far more shards than the rate needs (and none helps a key over the
   * capacity). They are left out of the search: a tier in front is their answer.
   */
  hotKeys: number;
  /** False when no count up to maxShards keeps the other keys' hottest shard within capacity (shards is then maxShards). */
  reachable: boolean;
}

/** A key above this share of one object's planned capacity is a hot key (see ShardSearch.hotKeys). */
export const HOT_KEY_SHARE = 0.5;

/**
 * The smallest shard count whose hottest shard stays at or below `capacity` requests/s, at least
 * `minShards` and at most `maxShards`, the hot keys left out (sharding cannot split a key) and
 * counted. Each count is tried with the same seed, so the search is repeatable.
 */
export function searchShards({
  rates,
  capacity,
  minShards,
  maxShards,
  seed,
  random,
}: {
  rates: KeyRates;
  capacity: number;
  minShards: number;
  maxShards: number;
  seed: number;
  random: (seed: number) => () => number;
}): ShardSearch {
  let hotKeys = 0;
  while (hotKeys < rates.head.length && rates.head[hotKeys]! > capacity * HOT_KEY_SHARE) hotKeys++;
  const searched: KeyRates = hotKeys === 0 ? rates : { ...rates, head: rates.head.subarray(hotKeys) };
  const fits = (shards: number) => {
    const loads = placeKeys(searched, shards, random(seed));
    return { ok: maxOf(loads) <= capacity, loads };
  };
  const searchedTotal = rates.total - rates.head.subarray(0, hotKeys).reduce((a, b) => a + b, 0);
  let low = Math.max(1, minShards, Math.ceil(searchedTotal / capacity)) - 1; // the largest count known (or assumed) too small
  if (low >= maxShards) return { shards: maxShards, loads: placeKeys(rates, maxShards, random(seed)), hotKeys, reachable: false };
  let high = low + 1;
  let attempt = fits(high);
  // Grow by the overshoot until a count fits, then bisect between the last miss and the first fit.
  // Warm keys colliding on one shard can push the answer far up (a birthday problem): past
  // maxShards the answer is a tier in front, not more shards.
  while (!attempt.ok) {
    if (high >= maxShards) return { shards: maxShards, loads: placeKeys(rates, maxShards, random(seed)), hotKeys, reachable: false };
    low = high;
    high = Math.min(maxShards, Math.max(high + 1, Math.ceil((high * maxOf(attempt.loads)) / capacity)));
    attempt = fits(high);
  }
  let best = attempt;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const tried = fits(middle);
    if (tried.ok) {
      high = middle;
      best = tried;
    } else low = middle;
  }
  // The loads reported are those of every key, the hot ones included, on the chosen count.
  const loads = hotKeys === 0 ? best.loads : placeKeys(rates, high, random(seed));
  return { shards: high, loads, hotKeys, reachable: true };
}
