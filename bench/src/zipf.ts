/**
 * Zipf-distributed ranks: P(rank k) ∝ 1 / k^s over 1..n, drawn from a seeded PRNG so every run of
 * the bench asks for the same sequence of keys.
 */
export interface ZipfSampler {
  /** A rank in 1..n; rank 1 is the most popular. */
  next(): number;
}

export function zipfSampler({ n, s, seed }: { n: number; s: number; seed: number }): ZipfSampler {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k ** s;
    cdf[k - 1] = total;
  }
  const random = mulberry32(seed);
  return {
    next() {
      const target = random() * total;
      let low = 0;
      let high = n - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (cdf[mid]! < target) low = mid + 1;
        else high = mid;
      }
      return low + 1;
    },
  };
}

/** A small, fast, seedable PRNG (public domain, Tommy Ettinger); Math.random cannot be seeded. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
