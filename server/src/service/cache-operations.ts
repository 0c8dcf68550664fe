/**
 * The cache's operations on validated input, shared by every front door: the tRPC router, the
 * read-through proxy and the service-binding entrypoint. Domain failures throw CacheError.
 */
import type {
  CacheConfig,
  DeleteRequest,
  DeleteResult,
  FlushResult,
  GetRequest,
  GetResult,
  InvalidateRequest,
  InvalidationStatus,
  JobsRequest,
  JobsResult,
  NamespacesResult,
  NamespaceStats,
  SetRequest,
  SetResult,
  StatusInput,
  WarmRequest,
} from "@cache-sync/contracts";
import { DEFAULT_NAMESPACE } from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import { coordinatorFor } from "../coordinator/coordinator-rpc.ts";
import { unwrap } from "../errors.ts";
import { aggregateStats } from "../metrics/aggregate-stats.ts";
import { assertKeyFitsNamespace } from "../origin/origin-key.ts";
import { allShards, shardForKey } from "../routing/shard-stub.ts";
import { answerToResult, type GetAnswer } from "../shard/get-answer.ts";
import { hotCache } from "./hot-cache.ts";

export interface OperationContext {
  env: Env;
  config: CacheConfig;
}

/**
 * A read, answered with the value as the JSON text the shard holds: the short path and the
 * proxy splice it into their answers without parsing or encoding it again.
 */
export async function readAnswer({ env, config }: OperationContext, request: GetRequest): Promise<GetAnswer> {
  const settings = namespaceSettings(config, request.namespace);
  assertKeyFitsNamespace(settings, request.key);
  const hot = settings.hotCache;
  // A caller's own staleness bound (maxStaleMs) always goes to the shard.
  const useHot = hot !== undefined && request.maxStaleMs === undefined;
  if (useHot) {
    const cached = hotCache.get(request.namespace, request.key, hot.maxAgeMs);
    if (cached) return cached;
  }
  const answer = unwrap(await shardForKey(env, config, request.namespace, request.key).get(request));
  if (useHot) hotCache.put(request.namespace, request.key, answer, hot);
  return answer;
}

/** A read with the value parsed: for the front doors that hand out values (tRPC batches, service bindings). */
export async function getEntry(context: OperationContext, request: GetRequest): Promise<GetResult> {
  return answerToResult(await readAnswer(context, request));
}

export async function setEntry({ env, config }: OperationContext, request: SetRequest): Promise<SetResult> {
  // A key the origin could not be asked for would be refreshed from the wrong path later.
  assertKeyFitsNamespace(namespaceSettings(config, request.namespace), request.key);
  hotCache.forget(request.namespace, request.key);
  const result = unwrap(await shardForKey(env, config, request.namespace, request.key).set(request));
  hotCache.forget(request.namespace, request.key); // a read that raced the write may have kept the old value
  return result;
}

export async function deleteEntry({ env, config }: OperationContext, request: DeleteRequest): Promise<DeleteResult> {
  hotCache.forget(request.namespace, request.key);
  const result = unwrap(await shardForKey(env, config, request.namespace, request.key).delete(request));
  hotCache.forget(request.namespace, request.key);
  return result;
}

/** Queues an invalidation job with the namespace's coordinator; answers its status (`queued`). */
export async function invalidate({ env }: OperationContext, request: InvalidateRequest): Promise<InvalidationStatus> {
  hotCache.forgetNamespace(request.namespace);
  return unwrap(await coordinatorFor(env, request.namespace).invalidate(request));
}

/** Starts a warm job in the namespace's coordinator (keys, and the keys of tags, loaded in the background). */
export async function warmKeys({ env, config }: OperationContext, request: WarmRequest): Promise<InvalidationStatus> {
  const settings = namespaceSettings(config, request.namespace);
  for (const key of request.keys) assertKeyFitsNamespace(settings, key);
  return unwrap(await coordinatorFor(env, request.namespace).warm(request));
}

export async function jobStatus({ env }: OperationContext, request: Required<StatusInput>): Promise<InvalidationStatus> {
  return unwrap(await coordinatorFor(env, request.namespace).status(request));
}

export async function namespaceStats({ env, config }: OperationContext, namespace: string): Promise<NamespaceStats> {
  const shards = allShards(env, config, namespace);
  const [invalidations, ...perShard] = await Promise.all([
    coordinatorFor(env, namespace).counts(),
    ...shards.map((shard) => shard.stats()),
  ]);
  return aggregateStats(namespace, namespaceSettings(config, namespace).shards, perShard, invalidations);
}

/** Flushes every shard of the namespace's write-behind outbox now; sums what went out and what is left. */
export async function flushNamespace({ env, config }: OperationContext, namespace: string): Promise<FlushResult> {
  const outcomes = await Promise.all(allShards(env, config, namespace).map((shard) => shard.flush({ namespace })));
  return outcomes.map(unwrap).reduce(
    (sum, o) => ({
      flushed: sum.flushed + o.flushed,
      pending: sum.pending + o.pending,
      deadLetters: sum.deadLetters + (o.deadLetters ?? 0),
    }),
    { flushed: 0, pending: 0, deadLetters: 0 },
  );
}

/**
 * The namespaces in CACHE_CONFIG that a token with these `namespaces` may use (`["*"]`: all), with
 * the settings an operator looks for first. Only booleans and numbers leave the config: origin and
 * sink URLs may carry credentials, and origin headers usually do. `default` is always listed, since
 * every call without a namespace goes there.
 */
export function listNamespaces({ config }: OperationContext, visibleTo: readonly string[] = ["*"]): NamespacesResult {
  const names = [...new Set([DEFAULT_NAMESPACE, ...Object.keys(config.namespaces)])]
    .filter((name) => visibleTo.includes("*") || visibleTo.includes(name))
    .sort();
  return {
    namespaces: names.map((name) => {
      const settings = namespaceSettings(config, name);
      return {
        name,
        shards: settings.shards,
        freshMs: settings.freshMs,
        staleMs: settings.staleMs,
        origin: settings.origin !== undefined,
        writeBehind: settings.writeBehind !== undefined,
        publicRead: settings.publicRead,
      };
    }),
  };
}

/** The namespace's most recent jobs from its coordinator, newest first. */
export async function recentJobs({ env }: OperationContext, request: JobsRequest): Promise<JobsResult> {
  return { namespace: request.namespace, jobs: await coordinatorFor(env, request.namespace).recentJobs(request.limit) };
}
