/** Reaches the CacheShard that owns a key, to move its clock or run its alarm in a test. */
import { env } from "cloudflare:workers";
import { loadConfig, namespaceSettings } from "../../src/config/load-config.ts";
import { shardNameForKey } from "../../src/routing/shard-routing.ts";
import type { CacheShard } from "../../src/shard/cache-shard.ts";
import { inShard } from "./in-object.ts";

export function shardStub(namespace: string, key: string): DurableObjectStub<CacheShard> {
  const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace);
  return env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardNameForKey(namespace, key, shards)));
}

/** Origin loads the owning shard runs now. */
export function loadsInFlight(namespace: string, key: string): Promise<number> {
  return inShard(shardStub(namespace, key), (shard) => shard.loadsInFlight);
}

/** Resolves once the owning shard runs no origin load (a background refresh included). */
export function loadsSettled(namespace: string, key: string): Promise<void> {
  return inShard(shardStub(namespace, key), (shard) => shard.loadsSettled());
}

/** Moves the owning shard's clock forward by `ms`, as if that much time had passed. */
export function advanceShardClock(namespace: string, key: string, ms: number): Promise<void> {
  return inShard(shardStub(namespace, key), (shard) => shard.clock.advance(ms));
}
