/**
 * The Worker the workerd tests run (its own wrangler.jsonc beside this file, named by
 * server/vitest.config.ts): the production Worker, with both Durable Objects subclassed to expose
 * their clocks, the refresh-ahead coin and the load coalescer. Nothing here ships.
 */
export { default, CacheService } from "../../src/index.ts";
export { TestCacheShard } from "./test-cache-shard.ts";
export { TestCoordinator } from "./test-coordinator.ts";
