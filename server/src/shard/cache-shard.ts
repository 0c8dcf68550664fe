/**
 * CacheShard: the Durable Object that owns a slice of a namespace's keys ("<ns>:<index>").
 * A thin shell: it wires SQLite, the alarm and the clock, exposes RPC methods, and returns
 * domain errors as values (RPC would strip their codes). The logic lives in ShardCache.
 */
import { DurableObject } from "cloudflare:workers";
import type { DeadLetterSelection, DeadLettersRequest, DeleteRequest, NamespaceConfig, SetRequest } from "@cache-sync/contracts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { settle } from "../errors.ts";
import { AlarmScheduler } from "./alarm-scheduler.ts";
import { systemClock, type Clock } from "../clock/clock.ts";
import type { ShardInvalidation } from "./invalidation.ts";
import type { CacheEntry } from "./entry.ts";
import type { LoadCoalescer } from "./load-coalescer.ts";
import { ensureSchema } from "./schema.ts";
import { shardByName } from "../routing/shard-stub.ts";
import { shardName } from "../routing/shard-routing.ts";
import { previousOwnerIndex, type PreviousOwner } from "./handoff.ts";
import { ShardCache } from "./shard-cache.ts";
import type { ShardGetRequest, ShardRpc } from "./shard-rpc.ts";
import { TagWarmer, type ShardTagWarm } from "./tag-warm.ts";

/**
 * What a shard takes from its platform besides storage: time, chance, and (optionally) the load
 * coalescer. The test Worker (test/worker/) passes its own, so the shipped class has no test switches.
 */
export interface ShardRuntime {
  clock: Clock;
  /** Uniform in [0, 1): the refresh-ahead coin. */
  random: () => number;
  loads?: LoadCoalescer<CacheEntry>;
}

export class CacheShard extends DurableObject<Env> implements ShardRpc {
  protected readonly clock: Clock;
  protected readonly cache: ShardCache;
  private readonly tagWarmer: TagWarmer;

  constructor(ctx: DurableObjectState, env: Env, runtime: ShardRuntime = { clock: systemClock, random: Math.random }) {
    super(ctx, env);
    ensureSchema(ctx.storage.sql);
    this.clock = runtime.clock;
    this.cache = new ShardCache({
      sql: ctx.storage.sql,
      transaction: (work) => ctx.storage.transactionSync(work),
      scheduler: new AlarmScheduler(ctx.storage),
      clock: runtime.clock,
      random: runtime.random,
      ...(runtime.loads && { loads: runtime.loads }),
      mainDb: env.MAIN_DB,
      settings: (namespace) => this.settings(namespace),
      previousOwner: (namespace, key, ns) => {
        const index = previousOwnerIndex(key, ns);
        return index === undefined ? undefined : (shardByName(env, shardName(namespace, index)) as PreviousOwner);
      },
    });
    this.tagWarmer = new TagWarmer({
      taggedKeys: (tags) => this.cache.taggedKeys(tags),
      get: (request) => this.cache.get(request, this.settings(request.namespace)),
    });
  }

  get(request: ShardGetRequest) {
    return settle(() => this.cache.get(request, this.settings(request.namespace)));
  }

  set(request: SetRequest) {
    return settle(() => this.cache.set(request, this.settings(request.namespace)));
  }

  delete(request: DeleteRequest) {
    return settle(() => this.cache.delete(request, this.settings(request.namespace)));
  }

  /** What this shard holds for a key, without loading it (the new owner asks, in a handoff: handoff.ts). */
  peek({ key }: { namespace: string; key: string }) {
    return settle(() => this.cache.peek(key));
  }

  /** Called by the namespace's Coordinator while an invalidate call is in progress (coordinator/fence.ts). */
  fence(request: { jobId: string; namespace: string }) {
    return settle(() => this.cache.fence(request));
  }

  invalidate(request: ShardInvalidation) {
    return settle(() => this.cache.invalidate(request));
  }

  /** Called by the namespace's Coordinator for a warm job with tags (shard/tag-warm.ts). */
  warmTags(request: ShardTagWarm) {
    return settle(() => this.tagWarmer.warm(request));
  }

  stats() {
    return this.cache.stats();
  }

  flush({ namespace }: { namespace: string }) {
    return settle(async () => {
      const { flushed, pending, deadLetters } = await this.cache.flush(namespace, this.settings(namespace));
      return { flushed, pending, deadLetters };
    });
  }

  /** Write-behind records the sink refused for good (admin). */
  deadLetters({ namespace, limit }: DeadLettersRequest) {
    return settle(() => this.cache.writeBehind.listDeadLetters(namespace, limit));
  }

  replayDeadLetters(selection: DeadLetterSelection) {
    return settle(() => this.cache.writeBehind.replayDeadLetters(selection, this.settings(selection.namespace)));
  }

  dropDeadLetters(selection: DeadLetterSelection) {
    return settle(() => this.cache.writeBehind.dropDeadLetters(selection));
  }

  override async alarm(): Promise<void> {
    await this.cache.alarm();
  }

  private settings(namespace: string): NamespaceConfig {
    return namespaceSettings(loadConfig(this.env.CACHE_CONFIG), namespace);
  }
}
