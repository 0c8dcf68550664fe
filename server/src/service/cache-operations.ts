/**
 * The cache's operations on validated input, shared by every front door: the tRPC router, the
 * read-through proxy and the service-binding entrypoint. Domain failures throw CacheError.
 */
import type {
  CacheConfig,
  DeleteRequest,
  DeleteResult,
  GetRequest,
  GetResult,
  NamespaceStats,
  SetRequest,
  SetResult,
} from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import { unwrap } from "../errors.ts";
import { aggregateStats } from "../metrics/aggregate-stats.ts";
import { allShards, shardForKey } from "../routing/shard-stub.ts";

export interface OperationContext {
  env: Env;
  config: CacheConfig;
}

export async function getEntry({ env, config }: OperationContext, request: GetRequest): Promise<GetResult> {
  return unwrap(await shardForKey(env, config, request.namespace, request.key).get(request));
}

export async function setEntry({ env, config }: OperationContext, request: SetRequest): Promise<SetResult> {
  return unwrap(await shardForKey(env, config, request.namespace, request.key).set(request));
}

export async function deleteEntry({ env, config }: OperationContext, request: DeleteRequest): Promise<DeleteResult> {
  return unwrap(await shardForKey(env, config, request.namespace, request.key).delete(request));
}

export async function namespaceStats({ env, config }: OperationContext, namespace: string): Promise<NamespaceStats> {
  const shards = allShards(env, config, namespace);
  const perShard = await Promise.all(shards.map((shard) => shard.stats()));
  return aggregateStats(namespace, namespaceSettings(config, namespace).shards, perShard);
}
