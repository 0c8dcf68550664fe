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
  return {
    corsOrigins: ["https://app.example.com"],
    namespaces: {
      default: {},
      open: { publicRead: true },
      // Successful reads logged for ~1 in 2 requests (request-log.test.ts).
      sampled: { requestLog: { sampleRate: 0.5 } },
      products: { origin: origin(), freshMs: 10_000, staleMs: 60_000 },
      // Origin timeout well above the 2 s loads stats.test.ts holds in flight while readers join them.
      metered: { shards: 2, origin: origin({ timeoutMs: 10_000 }), freshMs: 60_000 },
      ahead: { shards: 1, origin: origin(), freshMs: 1_000, staleMs: 60_000, refreshAheadBeta: 1 },
      "no-ahead": { shards: 1, origin: origin(), freshMs: 1_000, staleMs: 60_000, refreshAheadBeta: 0 },
      shadowed: { shards: 2, origin: origin(), freshMs: 60_000, rollout: { mode: "shadow" } },
      canary: { shards: 2, origin: origin(), rollout: { mode: "canary", canaryPercent: 30 } },
      // Long enough that a slow, shared machine still reads the micro-cached copy within maxAgeMs (hot-cache.test.ts).
      hot: { hotCache: { maxAgeMs: 3_000 } },
      warmable: { shards: 4, origin: origin(), freshMs: 600_000, invalidation: { concurrency: 4 } },
      slow: { origin: origin({ timeoutMs: 300 }), freshMs: 10_000, staleMs: 60_000 },
      tiny: { shards: 1, memory: { maxEntries: 1_000, maxBytes: 10_000 } },
      packed: { compressAboveBytes: 64 },
      small: { maxValueBytes: 1_000 },
      ledger: { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 60_000 } },
      // The local test server's recording endpoint (node/purge-target.ts) doubles as an HTTP sink.
      "ledger-http": {
        shards: 2,
        writeBehind: { sink: "http", url: `http://127.0.0.1:${originPort}/purge/wb-sink`, flushIntervalMs: 1_000, maxBatch: 4 },
      },
      profiles: { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 60_000 } },
      ...invalidationNamespaces(originPort),
    },
  };
}
