/**
 * Zipf key popularity over up to billions of keys without materialising them: the most popular
 * `headKeys` ranks exactly, the rest as narrow log-spaced buckets whose sums come from the
 * Euler–Maclaurin formula. P(rank k) = k^-s / H(n, s).
 */

/** Ranks a bucket spans; within it every key is treated as having the bucket's mean popularity. */
export interface KeyBucket {
  /** How many keys (ranks) it holds. */
  count: number;
  /** Σ P(k) over its ranks. */
  share: number;
}

export interface Popularity {
  keys: number;
  s: number;
  /** P(k) for ranks 1..head.length, exactly. */
  head: Float64Array;
  /** The ranks after the head, in buckets of ~1 % width (neighbouring ranks differ by < 1 % in popularity). */
  tail: KeyBucket[];
}

/** Ranks held exactly: enough that the tail's keys are each far colder than an object's capacity. */
export const DEFAULT_HEAD_KEYS = 1 << 20;
/** Ratio between a tail bucket's last and first rank. */
const BUCKET_RATIO = 1.01;

export function zipfPopularity({ keys, s, headKeys = DEFAULT_HEAD_KEYS }: { keys: number; s: number; headKeys?: number }): Popularity {
  if (!Number.isFinite(keys) || keys < 1) throw new RangeError("keys must be at least 1");
  if (!Number.isFinite(s) || s < 0) throw new RangeError("zipf exponent must be ≥ 0");
  const n = Math.floor(keys);
  const headCount = Math.min(n, headKeys);
  const head = new Float64Array(headCount);
  let total = 0;
  for (let k = 1; k <= headCount; k++) {
    head[k - 1] = k ** -s;
    total += head[k - 1]!;
  }
  const tail: KeyBucket[] = [];
  for (let first = headCount + 1; first <= n; ) {
    const last = Math.min(n, Math.max(first, Math.floor(first * BUCKET_RATIO)));
    const share = powerSum(first, last, s);
    tail.push({ count: last - first + 1, share });
    total += share;
    first = last + 1;
  }
  for (let i = 0; i < head.length; i++) head[i]! /= total;
  for (const bucket of tail) bucket.share /= total;
  return { keys: n, s, head, tail };
}

/**
 * Σ k^-s for k = a..b. Exact below 64 terms; above, Euler–Maclaurin (integral, the end-point
 * correction and the first derivative term), whose error is far below 1e-9 relative for a ≥ 1,000.
 */
export function powerSum(a: number, b: number, s: number): number {
  if (b < a) return 0;
  if (b - a < 64 || a < 1_000) {
    let sum = 0;
    // Sum the exact part in chunks so a ≥ 1,000 start still uses the closed form below.
    const exactEnd = b - a < 64 ? b : Math.min(b, 999);
    for (let k = a; k <= exactEnd; k++) sum += k ** -s;
    return exactEnd === b ? sum : sum + powerSum(exactEnd + 1, b, s);
  }
  const integral = s === 1 ? Math.log(b / a) : (b ** (1 - s) - a ** (1 - s)) / (1 - s);
  const ends = (a ** -s + b ** -s) / 2;
  const derivative = (s * (a ** (-s - 1) - b ** (-s - 1))) / 12;
  return integral + ends + derivative;
}

/** Σ over every key of f(P(k)), with the tail's keys at their bucket's mean popularity. */
export function sumOverKeys(popularity: Popularity, f: (share: number) => number): number {
  let sum = 0;
  for (const share of popularity.head) sum += f(share);
  for (const bucket of popularity.tail) sum += bucket.count * f(bucket.share / bucket.count);
  return sum;
}

/** How many of the most popular keys it takes to carry `fraction` of all requests. */
export function keysCarrying(popularity: Popularity, fraction: number): number {
  let carried = 0;
  for (let i = 0; i < popularity.head.length; i++) {
    carried += popularity.head[i]!;
    if (carried >= fraction) return i + 1;
  }
  let ranks = popularity.head.length;
  for (const bucket of popularity.tail) {
    if (carried + bucket.share >= fraction) return ranks + Math.ceil(((fraction - carried) / bucket.share) * bucket.count);
    carried += bucket.share;
    ranks += bucket.count;
  }
  return popularity.keys;
}

/** The share of requests that the `count` most popular keys carry. */
export function shareOfTop(popularity: Popularity, count: number): number {
  let carried = 0;
  const inHead = Math.min(count, popularity.head.length);
  for (let i = 0; i < inHead; i++) carried += popularity.head[i]!;
  let ranks = popularity.head.length;
  for (const bucket of popularity.tail) {
    if (ranks >= count) break;
    const taken = Math.min(bucket.count, count - ranks);
    carried += (bucket.share * taken) / bucket.count;
    ranks += bucket.count;
  }
  return Math.min(1, carried);
}
