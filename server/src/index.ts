/**
 * cache-sync Worker entry. The default export serves HTTP (hono) and, being a WorkerEntrypoint,
 * also answers service-binding RPC (`env.CACHE.get({...})`); `CacheService` is the same surface
 * under a name, for bindings that pick an entrypoint.
 */
import { app } from "./app.ts";
import { CacheService } from "./service/cache-service.ts";

export { CacheShard } from "./shard/cache-shard.ts";
export { Coordinator } from "./coordinator/coordinator.ts";
export { CacheService } from "./service/cache-service.ts";
export type { AppRouter } from "./trpc/router.ts";

export default class CacheWorker extends CacheService {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(app.fetch(request, this.env, this.ctx));
  }
}
