/**
 * Test namespaces of the invalidation coordinator, one per behaviour under test. Purge targets
 * point at the local origin's /purge paths (purge-target.ts); retries are slow enough (60 s, at
 * least 45 s with jitter: longer than any test runs, however slow the machine) that only the
 * tests, moving the coordinator's clock, make them happen — never the real alarm by itself.
 */
import type { NamespaceConfigInput } from "@cache-sync/contracts";

export function invalidationNamespaces(originPort: number): Record<string, NamespaceConfigInput> {
  const purge = (...paths: string[]) => paths.map((path) => ({ url: `http://127.0.0.1:${originPort}/purge/${path}` }));
  const slowRetries = { retryBaseMs: 60_000, retryMaxMs: 600_000, purgeSpacingMs: 0 };
  const origin = { url: `http://127.0.0.1:${originPort}/items/{key}`, timeoutMs: 5_000, errorBackoffMs: 0 };
  return {
    "inv-wide": { shards: 4 },
    "inv-origin": { shards: 4, origin, freshMs: 60_000, staleMs: 600_000 },
    // One target at a time, and a purge target the test can hold: jobs queue behind a held one.
    "inv-gated": { shards: 4, purgeTargets: purge("inv-gated"), invalidation: { concurrency: 1, ...slowRetries } },
    "inv-priority": { shards: 2, purgeTargets: purge("inv-priority"), invalidation: { concurrency: 1, ...slowRetries } },
    "inv-progress": {
      shards: 4,
      purgeTargets: purge("inv-progress/a", "inv-progress/b", "inv-progress/c"),
      invalidation: { concurrency: 1, ...slowRetries },
    },
    "inv-flaky": { shards: 2, purgeTargets: purge("inv-flaky"), invalidation: { maxAttempts: 4, ...slowRetries } },
    "inv-down": {
      shards: 2,
      purgeTargets: purge("inv-down/ok", "inv-down/broken?token=secret"),
      invalidation: { maxAttempts: 3, ...slowRetries },
    },
    // Spacing well above the delivery jitter of a loaded machine (job-scheduling.test.ts measures it at Node).
    "inv-spaced": { shards: 1, purgeTargets: purge("inv-spaced"), invalidation: { purgeSpacingMs: 1_000 } },
    "inv-fanout": {
      shards: 2,
      purgeTargets: purge(...["1", "2", "3", "4", "5", "6"].map((n) => `inv-fanout/${n}`)),
      invalidation: { concurrency: 2, purgeSpacingMs: 0 },
    },
    "inv-bounded": { shards: 1, purgeTargets: purge("inv-bounded"), invalidation: { maxQueuedJobs: 2, concurrency: 1, ...slowRetries } },
    "inv-retention": { shards: 1 },
    // Issue 8: one shard holding tens of thousands of keys under one tag (chunked-invalidation.test.ts).
    "inv-bulk": { shards: 1 },
    // Issue 10: a job queued behind a held one, so a client can try to take its memo first (job-memos.test.ts).
    "inv-memo": { shards: 1, purgeTargets: purge("inv-memo"), invalidation: { concurrency: 1, ...slowRetries } },
  };
}
