/** The CACHE_CONFIG the workerd tests run with: one namespace per behaviour under test. */
import { createHash } from "node:crypto";
import type { CacheConfigInput, TokenConfig } from "@cache-sync/contracts";
import { invalidationNamespaces } from "./invalidation-namespaces.ts";
import { TEST_TOKENS } from "../support/test-tokens.ts";

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

export function testCacheTokens(): TokenConfig[] {
  return [
    { id: "admin", sha256: sha256(TEST_TOKENS.admin), scopes: ["admin"], namespaces: ["*"] },
    { id: "reader", sha256: sha256(TEST_TOKENS.reader), scopes: ["read"], namespaces: ["*"] },
    { id: "products-writer", sha256: sha256(TEST_TOKENS.productsWriter), scopes: ["read", "write"], namespaces: ["products"] },
    { id: "products-admin", sha256: sha256(TEST_TOKENS.productsAdmin), scopes: ["admin"], namespaces: ["products", "ledger"] },
  ];
}

export function testCacheConfig(originPort: number): CacheConfigInput {
  const origin = (overrides = {}) => ({
    url: `http://127.0.0.1:${originPort}/items/{key}`,
    timeoutMs: 2_000,
    negativeTtlMs: 5_000,
    // Long enough that a slow, shared test machine still sees one origin call per outage.
    errorBackoffMs: 10_000,
    ...overrides,
  });
  const slowSink = (path: string) => ({
    sink: "http" as const,
    url: `http://127.0.0.1:${originPort}/purge/${path}`,
    flushIntervalMs: 600_000,
  });
  return {
    corsOrigins: ["https://app.example.com"],
    // Short, so a test's successful reads are summed up and logged soon (request-log.test.ts); a
    // request that opens an interval holds its waitUntil, which the in-process test client awaits.
    readSummaryIntervalMs: 100,
    // Issue 17: the colo tier on the Cache API (what workerd runs); only requests through the
    // Worker's entrypoint (colo-tier.test.ts) meet it, and only public namespaces' jobs purge it.
    coloTier: "cache-api",
    namespaces: {
      default: {},
      open: { publicRead: true },
      // Issue 4: anonymous reads of an origin that fails, all on one shard (failure-memory.test.ts).
      "open-failing": { shards: 1, publicRead: true, origin: origin() },
      // Successful reads logged one line each (request-log.test.ts), and one line for ~1 in 2 of them.
      lined: { requestLog: { successfulReads: "lines" } },
      sampled: { requestLog: { successfulReads: "lines", sampleRate: 0.5 } },
      products: { origin: origin(), freshMs: 10_000, staleMs: 60_000 },
      // Origin timeout well above the 2 s loads stats.test.ts holds in flight while readers join them.
      metered: { shards: 2, origin: origin({ timeoutMs: 10_000 }), freshMs: 60_000 },
      // stats.test.ts: a scripted workload counted exactly — 3 entries of memory per shard (evictions),
      // stale reads held in flight, a negative entry, jobs held / failed at one purge target (one
      // attempt, one target at a time); refresh-ahead off so no early refresh adds an origin fetch.
      observed: {
        shards: 2,
        origin: origin({ timeoutMs: 10_000 }),
        freshMs: 10_000,
        staleMs: 60_000,
        refreshAheadBeta: 0,
        memory: { maxEntries: 3, maxBytes: 1_000_000 },
        purgeTargets: [{ url: `http://127.0.0.1:${originPort}/purge/observed` }],
        invalidation: { concurrency: 1, maxAttempts: 1, purgeSpacingMs: 0 },
      },
      // resharding.test.ts: a change of `shards` settling, growing (2 → 4) and shrinking (4 → 2); no origin.
      grown: { shards: 4, previousShards: 2 },
      shrunk: { shards: 2, previousShards: 4 },
      // clock-skew.test.ts: one shard, no origin (a purge is a loss you can see), and jobs that wait in
      // line behind a purge call the test holds (one slot), so a job reaches the shard when the test says.
      fenced: {
        shards: 1,
        purgeTargets: [{ url: `http://127.0.0.1:${originPort}/purge/fenced` }],
        invalidation: { concurrency: 1, maxAttempts: 1, purgeSpacingMs: 0 },
      },
      // stats.test.ts: a known latency mix across 2 shards, merged percentiles.
      "latency-mix": { shards: 2, origin: origin({ timeoutMs: 10_000 }), freshMs: 600_000, refreshAheadBeta: 0 },
      ahead: { shards: 1, origin: origin(), freshMs: 1_000, staleMs: 60_000, refreshAheadBeta: 1 },
      // Refresh-ahead with a slow origin (refresh-ahead.test.ts holds a refresh in flight for seconds).
      "ahead-held": { shards: 1, origin: origin({ timeoutMs: 10_000 }), freshMs: 1_000, staleMs: 60_000, refreshAheadBeta: 1 },
      "no-ahead": { shards: 1, origin: origin(), freshMs: 1_000, staleMs: 60_000, refreshAheadBeta: 0 },
      shadowed: { shards: 2, origin: origin(), freshMs: 60_000, rollout: { mode: "shadow" } },
      canary: { shards: 2, origin: origin(), rollout: { mode: "canary", canaryPercent: 30 } },
      // Long enough that a slow, shared machine still reads the micro-cached copy within maxAgeMs (hot-cache.test.ts).
      hot: { hotCache: { maxAgeMs: 3_000 } },
      warmable: { shards: 4, origin: origin(), freshMs: 600_000, invalidation: { concurrency: 4 } },
      // Fewer shards than the bound: each shard's tag warm loads 2 keys at once (warm.test.ts).
      "warmable-tags": { shards: 2, origin: origin(), freshMs: 600_000, invalidation: { concurrency: 4 } },
      slow: { origin: origin({ timeoutMs: 300 }), freshMs: 10_000, staleMs: 60_000 },
      // Hostile-traffic tests (origin/origin-safety.test.ts): an origin holding a credential header,
      // a 2,000-byte value bound (so also its body bound), and no remembered failures.
      guarded: { origin: origin({ headers: { "x-origin-secret": "origin-secret-7f3a" }, errorBackoffMs: 0 }), maxValueBytes: 2_000 },
      // An origin nothing listens on (port 9, discard): its network error must stay in the log.
      unreachable: { origin: { url: "http://127.0.0.1:9/items/{key}", timeoutMs: 2_000, errorBackoffMs: 0 } },
      tiny: { shards: 1, memory: { maxEntries: 1_000, maxBytes: 10_000 } },
      // Issue 4: a memory tier of 8 MiB, charged by estimated heap size (memory/heap-accounting.test.ts).
      heapy: { shards: 1, memory: { maxEntries: 1_000, maxBytes: 4 * 1024 * 1024 } },
      packed: { compressAboveBytes: 64 },
      small: { maxValueBytes: 1_000 },
      ledger: { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 60_000 } },
      // The local test server's recording endpoint (node/purge-target.ts) doubles as an HTTP sink.
      "ledger-http": {
        shards: 2,
        writeBehind: { sink: "http", url: `http://127.0.0.1:${originPort}/purge/wb-sink`, flushIntervalMs: 1_000, maxBatch: 4 },
      },
      profiles: { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 60_000 } },
      // Flush scheduling and retries (write-behind/flush-scheduling.test.ts, retry-backoff.test.ts): each
      // its own HTTP sink path, none a prefix of another; a 10 min interval, so only maxBatch, a
      // backoff or the test's clock makes a flush happen.
      "wb-batch": { shards: 1, writeBehind: { ...slowSink("wb-batch"), maxBatch: 5 } },
      "wb-inflight": { shards: 1, writeBehind: slowSink("wb-inflight") },
      "wb-report": { shards: 2, writeBehind: slowSink("wb-report") },
      "wb-drain": { shards: 1, writeBehind: { ...slowSink("wb-drain"), maxBatch: 3 } },
      "wb-backoff": { shards: 1, writeBehind: slowSink("wb-backoff") },
      "wb-streak": { shards: 1, writeBehind: { ...slowSink("wb-streak"), maxBatch: 5 } },
      "wb-restart": { shards: 1, writeBehind: slowSink("wb-restart") },
      // Issue 5 (write-behind/poisoned-records.test.ts): a record the sink refuses, batches bounded by bytes.
      "wb-poison": { shards: 1, writeBehind: slowSink("wb-poison") },
      "wb-bytes": { shards: 1, writeBehind: { ...slowSink("wb-bytes"), maxBatchBytes: 100_000 } },
      "wb-dead": { shards: 2, writeBehind: { ...slowSink("wb-dead"), maxBatch: 4, deadLetterAfter: 2 } },
      "wb-d1-poison": { shards: 1, writeBehind: { sink: "d1", flushIntervalMs: 600_000, deadLetterAfter: 1 } },
      // Issue 17 (proxy/http-caching.test.ts, colo/colo-tier.test.ts): public answers with an origin,
      // the same with tighter httpCache caps, and a public namespace whose answers go to a Cloudflare
      // zone's purge API (a local stub, dev-kit/src/origin/cloudflare-api-stub.ts) and an http purge target.
      "http-public": { publicRead: true, origin: origin(), freshMs: 10_000, staleMs: 60_000 },
      "http-capped": {
        publicRead: true,
        freshMs: 600_000,
        staleMs: 600_000,
        httpCache: { sharedMaxAgeMs: 30_000, browserMaxAgeMs: 5_000 },
      },
      "colo-public": { shards: 2, publicRead: true, origin: origin(), freshMs: 600_000, staleMs: 600_000 },
      "zone-purged": {
        shards: 1,
        publicRead: true,
        purgeTargets: [
          {
            kind: "cloudflare-zone",
            zoneId: "0123456789abcdef0123456789abcdef",
            tokenSecret: "TEST_ZONE_TOKEN",
            apiBase: `http://127.0.0.1:${originPort}/cf-api/ok`,
          },
          { kind: "http", url: `http://127.0.0.1:${originPort}/purge/zone-purged-http`, headersSecret: "TEST_PURGE_HEADERS" },
        ],
        invalidation: { purgeSpacingMs: 0 },
      },
      "zone-flaky": {
        shards: 1,
        publicRead: true,
        purgeTargets: [
          {
            kind: "cloudflare-zone",
            zoneId: "fedcba9876543210fedcba9876543210",
            tokenSecret: "TEST_ZONE_TOKEN",
            apiBase: `http://127.0.0.1:${originPort}/cf-api/flaky`,
            host: "cache.example.com",
          },
        ],
        invalidation: { maxAttempts: 3, retryBaseMs: 60_000, retryMaxMs: 600_000, purgeSpacingMs: 0 },
      },
      ...invalidationNamespaces(originPort),
    },
  };
}
