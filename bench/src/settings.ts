/**
 * How long and how big each scenario runs: the full bench (a few minutes on 2 cores) and the
 * `--quick` mode the harness test uses (every scenario, briefly).
 */
export interface BenchSettings {
  mode: "full" | "quick";
  /** Runs of each measured series; the report gives the median. */
  runs: number;
  /** Load before measuring (JIT, Durable Objects instantiated, SQLite pages warm). */
  warmupSeconds: number;
  /**
   * `rounds`: the hit series run in rounds, every series once per round in a rotated order, and
   * each ratio to a baseline is the median of its per-round ratios (a paired comparison: a slow
   * minute on the machine slows both sides of a round).
   */
  hits: { seconds: number; spreadKeys: number; rounds: number };
  herd: { readers: number; originLatencyMs: number };
  stale: { seconds: number; freshMs: number; originLatencyMs: number };
  zipf: { keys: number; s: number; seconds: number; proxySeconds: number; originLatencyMs: number };
  invalidation: { keys: number; shards: number };
  writeBehind: { writes: number; keys: number };
}

export const FULL: BenchSettings = {
  mode: "full",
  runs: 3,
  warmupSeconds: 2,
  hits: { seconds: 2, spreadKeys: 10_000, rounds: 6 },
  herd: { readers: 1_000, originLatencyMs: 200 },
  stale: { seconds: 8, freshMs: 1_500, originLatencyMs: 200 },
  zipf: { keys: 100_000, s: 1.0, seconds: 15, proxySeconds: 4, originLatencyMs: 50 },
  invalidation: { keys: 10_000, shards: 16 },
  writeBehind: { writes: 10_000, keys: 1_000 },
};

export const QUICK: BenchSettings = {
  mode: "quick",
  runs: 1,
  warmupSeconds: 0.3,
  hits: { seconds: 0.7, spreadKeys: 500, rounds: 1 },
  herd: { readers: 100, originLatencyMs: 200 },
  stale: { seconds: 2, freshMs: 500, originLatencyMs: 100 },
  zipf: { keys: 100_000, s: 1.0, seconds: 1, proxySeconds: 0.5, originLatencyMs: 50 },
  invalidation: { keys: 1_000, shards: 16 },
  writeBehind: { writes: 500, keys: 50 },
};
