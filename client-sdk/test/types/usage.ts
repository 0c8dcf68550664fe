// Type-level checks of the public API, compiled by `tsc` (npm run typecheck -w client-sdk) and,
// unchanged, inside an empty project that installed only the packed tarball (package test).
// Every @ts-expect-error line must fail to compile, or tsc reports the directive as unused.
import {
  createCacheClient,
  indexedDbStorage,
  isCacheError,
  webStorage,
  type CacheEntry,
  type InvalidationStatus,
  type MutationOutcome,
  type NamespaceStats,
  type SetResult,
} from "@cache-sync/client";
import { fileStorage } from "@cache-sync/client/node";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => {};

interface Product {
  sku: string;
  price: number;
  note?: string;
  sizes: number[];
}

export async function usage(token: string): Promise<void> {
  const cache = createCacheClient({ url: "https://cache.example.com", token, namespace: "products", storage: fileStorage("./q.json") });
  createCacheClient({ url: "https://cache.example.com", token: async () => token, storage: webStorage() });
  createCacheClient({ url: "https://cache.example.com", storage: indexedDbStorage({ database: "app" }) });

  const entry = await cache.get<Product>("SKU123");
  assertType<Equal<typeof entry, CacheEntry<Product>>>();
  assertType<Equal<typeof entry.value, Product | null>>();
  assertType<Equal<typeof entry.state, "fresh" | "stale" | "miss">>();
  assertType<Equal<typeof entry.version, number | null>>();

  const product: Product = { sku: "SKU123", price: 10, sizes: [1, 2] };
  const written = await cache.set("SKU123", product, { ttlMs: 60_000, tags: ["catalog"], ifVersion: 3 });
  assertType<Equal<typeof written, MutationOutcome<SetResult>>>();
  if (!written.queued) assertType<Equal<typeof written.version, number>>();
  else assertType<Equal<typeof written.applied, Promise<SetResult>>>();

  const removed = await cache.delete("SKU123");
  if (!removed.queued) assertType<Equal<typeof removed.deleted, boolean>>();

  const job = await cache.invalidate({ tags: ["catalog"], mode: "stale", priority: "high" });
  assertType<Equal<typeof job.id, string | undefined>>();
  const final = await job.done({
    onProgress: (s) => assertType<Equal<typeof s.progress, number>>(),
    signal: AbortSignal.timeout(1000),
    timeoutMs: 5000,
  });
  assertType<Equal<typeof final, InvalidationStatus>>();
  assertType<Equal<typeof final.state, "queued" | "processing" | "completed" | "failed">>();
  assertType<Equal<Awaited<ReturnType<typeof cache.jobStatus>>, InvalidationStatus>>();

  const stats = await cache.stats({ namespace: "other" });
  assertType<Equal<typeof stats, NamespaceStats>>();
  assertType<Equal<typeof stats.latencyMs.p99, number>>();
  const flushed = await cache.flush();
  assertType<Equal<typeof flushed.pending, number>>();
  assertType<Equal<typeof cache.status, "online" | "offline" | "syncing">>();
  assertType<Equal<typeof cache.pending, number>>();
  cache.subscribe((event) => {
    if (event.type === "dead-letter") assertType<Equal<typeof event.deadLetter.error.code, import("@cache-sync/client").CacheErrorCode>>();
  });

  try {
    await cache.get("x");
  } catch (error) {
    if (isCacheError(error)) assertType<Equal<typeof error.status, number>>();
  }

  // @ts-expect-error a key is a string
  await cache.get(42);
  // @ts-expect-error ttlMs is a number of milliseconds
  await cache.set("k", 1, { ttlMs: "60s" });
  // @ts-expect-error functions are not JSON
  await cache.set("k", { compute: () => 1 });
  // @ts-expect-error mode is "purge" or "stale"
  await cache.invalidate({ tags: ["t"], mode: "soft" });
  // @ts-expect-error the status procedure takes a job id string
  await cache.jobStatus(7);
  // @ts-expect-error url or binding is required
  createCacheClient({ namespace: "products" });
}
