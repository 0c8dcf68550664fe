/**
 * Purging Cloudflare's Workers Caching (`coloTier: "workers-cache"`). Purges are scoped to the
 * entrypoint that calls them, so the coordinator calls the default entrypoint (the one serving
 * `/r`, see index.ts), which calls this with its own `ctx.cache`. Tags are the namespaced ones the
 * answers carry (cache-tags.ts); key prefixes become `/r` path prefixes. `mode: "stale"` uses
 * `invalidate()` (mark stale, revalidate with the ETag) where the runtime has it.
 */
import { entryTag, keyTag, proxyPathPrefix } from "./cache-tags.ts";
import type { ColoPurge } from "./colo-tier.ts";

/** What `ctx.cache` offers (workers-types lists `purge`; `invalidate` is newer than this runtime's types). */
interface WorkersCacheContext {
  purge(options: CachePurgeOptions): Promise<CachePurgeResult>;
  invalidate?(options: CachePurgeOptions): Promise<CachePurgeResult>;
}

/** Purge calls one job makes at most per option list (the platform's documented limit per call is not higher). */
const PER_CALL = 30;

export async function purgeWorkersCache(cache: WorkersCacheContext | undefined, purge: ColoPurge): Promise<number> {
  if (cache === undefined) {
    throw new Error(
      'Workers Caching is not available in this runtime (ctx.cache is missing; wrangler dev has none): use coloTier "cache-api" locally',
    );
  }
  const tags = [...purge.tags.map((tag) => entryTag(purge.namespace, tag)), ...purge.keys.map((key) => keyTag(purge.namespace, key))];
  const pathPrefixes = purge.keyPrefixes.map((prefix) => proxyPathPrefix(purge.namespace, prefix));
  const call = purge.soft && typeof cache.invalidate === "function" ? cache.invalidate.bind(cache) : cache.purge.bind(cache);
  const batches = [...chunks(tags).map((part) => ({ tags: part })), ...chunks(pathPrefixes).map((part) => ({ pathPrefixes: part }))];
  for (const options of batches) {
    const result = await call(options);
    if (!result.success)
      throw new Error(`Workers Caching refused the purge: ${result.errors.map((e) => `${e.code} ${e.message}`).join("; ")}`);
  }
  return 0;
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += PER_CALL) parts.push(items.slice(i, i + PER_CALL));
  return parts;
}
