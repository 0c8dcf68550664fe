/** Durable Object stubs for a namespace's shards. */
import type { CacheConfig } from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import type { ShardRpc } from "../shard/shard-rpc.ts";
import { shardName, shardNameForKey } from "./shard-routing.ts";

/**
 * Shard ids made in this isolate, by binding and shard name: a hit does not hash the name into an
 * id again. Ids, not stubs: a stub belongs to the request (or Durable Object) that made it, and
 * the Worker and both object kinds may share this isolate. Bounded (names are namespaces × shards).
 */
const IDS_MAX = 10_000;
const ids = new WeakMap<DurableObjectNamespace, Map<string, DurableObjectId>>();

/** The shard named "<namespace>:<index>" (the Coordinator addresses shards by the names it stored). */
export function shardByName(env: Env, name: string): ShardRpc {
  let byName = ids.get(env.CACHE_SHARD);
  if (byName === undefined) ids.set(env.CACHE_SHARD, (byName = new Map()));
  let id = byName.get(name);
  if (id === undefined) {
    if (byName.size >= IDS_MAX) byName.clear();
    id = env.CACHE_SHARD.idFromName(name);
    byName.set(name, id);
  }
  return env.CACHE_SHARD.get(id) as unknown as ShardRpc;
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
