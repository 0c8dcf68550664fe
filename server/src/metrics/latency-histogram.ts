/**
 * A fixed-bucket latency histogram. Shards keep one each and `stats` merges them bucket by
 * bucket, so namespace percentiles are real percentiles, not averages of percentiles.
 */
export const BUCKET_BOUNDS_MS = [
  0.1,
  0.25,
  0.5,
  1,
  2,
  3,
  5,
  7.5,
  10,
  15,
  20,
  30,
  50,
  75,
  100,
  150,
  200,
  300,
  500,
  750,
  1000,
  2000,
  5000,
  10000,
  Number.POSITIVE_INFINITY,
];

export type HistogramCounts = number[];

export function emptyHistogram(): HistogramCounts {
  return BUCKET_BOUNDS_MS.map(() => 0);
}

export function record(histogram: HistogramCounts, ms: number): void {
  const index = BUCKET_BOUNDS_MS.findIndex((bound) => ms <= bound);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

export function merge(into: HistogramCounts, from: HistogramCounts): void {
  from.forEach((count, i) => {
    into[i] = (into[i] ?? 0) + count;
  });
}

/** The upper bound of the bucket holding the q-th quantile (0 when empty; the last finite bound for the overflow). */
export function quantile(histogram: HistogramCounts, q: number): number {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) {
      const bound = BUCKET_BOUNDS_MS[i] ?? 0;
      return Number.isFinite(bound) ? bound : (BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 2] ?? 0);
    }
  }
  return 0;
}
