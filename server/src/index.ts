/**
 * cache-sync Worker entry. The default export serves HTTP (hono) and, being a WorkerEntrypoint,
 * also answers service-binding RPC (`env.CACHE.get({...})`); `CacheService` is the same surface
 * under a name, for bindings that pick an entrypoint.
 *
 * With `coloTier: "cache-api"` the colo tier looks `/r` answers up before the app runs
 * (colo/cache-api-tier.ts); with `"workers-cache"` the platform does that in front of this
 * entrypoint, and the coordinator purges it through `purgeColoTier`, here, since Workers Caching
 * purges are scoped to the entrypoint that calls them.
 */
import { app } from "./app.ts";
import { serveThroughCacheApi } from "./colo/cache-api-tier.ts";
import type { ColoPurge } from "./colo/colo-tier.ts";
import { purgeWorkersCache } from "./colo/workers-cache.ts";
import { loadConfig } from "./config/load-config.ts";
import { CacheService } from "./service/cache-service.ts";

export { CacheShard } from "./shard/cache-shard.ts";
export { Coordinator } from "./coordinator/coordinator.ts";
export { CacheService } from "./service/cache-service.ts";
export type { AppRouter } from "./trpc/router.ts";

export default class CacheWorker extends CacheService {
  override fetch(request: Request): Promise<Response> {
    const handle = (incoming: Request) => Promise.resolve(app.fetch(incoming, this.env, this.ctx));
    if (coloTierOf(this.env) !== "cache-api") return handle(request);
    return serveThroughCacheApi(request, this.env, (work) => this.ctx.waitUntil(work), handle);
  }

  /** Purges (or, softly, invalidates) this entrypoint's Workers Caching; the coordinator's colo target calls it. */
  purgeColoTier(purge: ColoPurge): Promise<number> {
    return purgeWorkersCache(this.ctx.cache, purge);
  }
}

/** The configured colo tier; "off" while the config is invalid (the app then answers why). */
function coloTierOf(env: Env): string {
  try {
    return loadConfig(env.CACHE_CONFIG).coloTier;
  } catch {
    return "off";
  }
}
