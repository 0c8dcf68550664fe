/** Durable Object stubs for a namespace's shards. */
import type { CacheConfig } from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import type { ShardRpc } from "../shard/shard-rpc.ts";
import { shardName, shardNameForKey } from "./shard-routing.ts";

/** The shard named "<namespace>:<index>" (the Coordinator addresses shards by the names it stored). */
export function shardByName(env: Env, name: string): ShardRpc {
  return env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(name)) as unknown as ShardRpc;
}

export function shardForKey(env: Env, config: CacheConfig, namespace: string, key: string): ShardRpc {
  const { shards } = namespaceSettings(config, namespace);
  return shardByName(env, shardNameForKey(namespace, key, shards));
}

export function allShards(env: Env, config: CacheConfig, namespace: string): ShardRpc[] {
  const { shards } = namespaceSettings(config, namespace);
  return Array.from({ length: shards }, (_, index) => shardByName(env, shardName(namespace, index)));
}
