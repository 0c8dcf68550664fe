/** Durable Object stubs for a namespace's shards. */
import type { CacheConfig } from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import type { ShardRpc } from "../shard/shard-rpc.ts";
import { shardName, shardNameForKey } from "./shard-routing.ts";

/**
 * Stubs made in this isolate, by binding and shard name: a hit does not hash the name into an id
 * and build a stub again. Bounded (names are namespaces × shards; a config with more starts over).
 */
const STUBS_MAX = 10_000;
const stubs = new WeakMap<DurableObjectNamespace, Map<string, ShardRpc>>();

/** The shard named "<namespace>:<index>" (the Coordinator addresses shards by the names it stored). */
export function shardByName(env: Env, name: string): ShardRpc {
  let byName = stubs.get(env.CACHE_SHARD);
  if (byName === undefined) stubs.set(env.CACHE_SHARD, (byName = new Map()));
  let stub = byName.get(name);
  if (stub === undefined) {
    if (byName.size >= STUBS_MAX) byName.clear();
    stub = env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(name)) as unknown as ShardRpc;
    byName.set(name, stub);
  }
  return stub;
}

export function shardForKey(env: Env, config: CacheConfig, namespace: string, key: string): ShardRpc {
  const { shards } = namespaceSettings(config, namespace);
  return shardByName(env, shardNameForKey(namespace, key, shards));
}

/** Every shard that may hold the namespace's entries: those of `shards`, and of `previousShards` while a change settles. */
export function allShards(env: Env, config: CacheConfig, namespace: string): ShardRpc[] {
  const { shards, previousShards } = namespaceSettings(config, namespace);
  return Array.from({ length: Math.max(shards, previousShards ?? 0) }, (_, index) => shardByName(env, shardName(namespace, index)));
}
