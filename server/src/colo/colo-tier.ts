/**
 * The colo tier: a cache in front of the Worker, next to the reader, that answers `/r` hits
 * without running the Worker or calling a Durable Object. Two implementations behind one purge
 * shape, chosen by `CACHE_CONFIG.coloTier`:
 *
 * - `workers-cache` (deployed): Cloudflare's Workers Caching. The platform looks answers up and
 *   stores them by their headers; purges go through `ctx.cache` of the entrypoint that serves
 *   `/r` (purges are scoped per entrypoint), see workers-cache.ts.
 * - `cache-api` (local, and tests): wrangler 4.86 / workerd have no Workers Caching (`ctx.cache` is
 *   undefined), so the Worker itself looks `/r` up in the Workers Cache API before routing, and the
 *   namespace's coordinator stores answers and keeps the tag → URL index the Cache API lacks
 *   (cache-api-tier.ts, colo-index.ts).
 */

/** What a purge of the colo tier names: a job's selectors; each tier turns them into what it can match (cache-tags.ts). */
export interface ColoPurge {
  namespace: string;
  tags: string[];
  keys: string[];
  keyPrefixes: string[];
  /** `mode: "stale"`: mark stale rather than remove, where the tier can. */
  soft: boolean;
}

/** An answer the Worker made for the colo tier to keep (cache-api only). */
export interface ColoEntry {
  /** The cache key (the request URL, with the reader's Origin folded in: answers vary by it). */
  cacheKey: string;
  namespace: string;
  key: string;
  /** The answer's Cache-Tag values. */
  tags: string[];
  /** When the Worker started making it, epoch ms: an invalidation accepted since may not be undone by storing it. */
  startedAt: number;
  ttlSeconds: number;
  status: number;
  headers: [string, string][];
  body: string;
}
