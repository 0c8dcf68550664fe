/**
 * The platform's published limits the capacity model plans against (docs/capacity.md cites each
 * page). They change: check the pages before relying on a number.
 */
export const PLATFORM = {
  /** Durable Objects, "How much work can a single Durable Object do?": a soft limit per object. */
  objectRequestsPerSecond: 1_000,
  /** Durable Objects limits, SQLite-backed: storage per object (1 GB = 10^9 bytes, as billed). */
  objectStorageBytes: 10e9,
  /** Durable Objects limits: CPU per request, default (configurable to 5 min). */
  objectCpuPerRequestMs: 30_000,
  /** D1 limits, "Concurrency and throughput": one query at a time; at 1 ms a query ~1,000 queries/s. */
  d1QueriesPerSecondAt1ms: 1_000,
  /** D1 limits: maximum database size (Workers Paid), not raisable. */
  d1DatabaseBytes: 10e9,
  /** Workers limits: memory per isolate. */
  workerMemoryBytes: 128 * 1024 * 1024,
} as const;

/** This project's own bounds that the model meets (contracts/src/config.ts). */
export const PROJECT = {
  /** `shards` is 1..1024 per namespace. */
  maxShards: 1_024,
  /** `memory.maxEntries` and `memory.maxBytes` defaults: each shard's in-memory tier. */
  memoryMaxEntries: 10_000,
  memoryMaxBytes: 32 * 1024 * 1024,
  /** `invalidation.concurrency` default: targets in flight at once. */
  invalidationConcurrency: 8,
  /** `writeBehind.flushIntervalMs` default. */
  flushIntervalMs: 60_000,
  /** `freshMs` + `staleMs` defaults: how long a shard keeps an entry after loading it. */
  entryLifetimeMs: 60_000 + 300_000,
} as const;
