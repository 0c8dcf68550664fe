/** The CACHE_CONFIG the workerd tests run with: one namespace per behaviour under test. */
import type { CacheConfigInput } from "@cache-sync/contracts";

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
    namespaces: {
      default: {},
      products: { origin: origin(), freshMs: 10_000, staleMs: 60_000 },
      slow: { origin: origin({ timeoutMs: 300 }), freshMs: 10_000, staleMs: 60_000 },
      tiny: { shards: 1, memory: { maxEntries: 1_000, maxBytes: 10_000 } },
      packed: { compressAboveBytes: 64 },
      small: { maxValueBytes: 1_000 },
      ledger: { writeBehind: { sink: "d1", flushIntervalMs: 1_000 } },
    },
  };
}
