/**
 * The logic of one CacheShard, kept out of the Durable Object class so it reads (and tests) on its
 * own. A front that wires the rooms: the tiers kept in step (tiers.ts), the read path
 * (read-path.ts), the write path (write-path.ts), upkeep (upkeep.ts) and the shard's part in
 * invalidation jobs (invalidator.ts); `stats`, which reads across them all, is answered here.
 */
import type { DeleteRequest, DeleteResult, NamespaceConfig, SetRequest, SetResult } from "@cache-sync/contracts";
import type { Clock } from "../clock/clock.ts";
import { emptyHistogram } from "../metrics/latency-histogram.ts";
import { emptyCounters, type ShardStats } from "../metrics/shard-metrics.ts";
import type { FlushOutcome } from "../write-behind/flusher.ts";
import { ShardWriteBehind } from "../write-behind/shard-write-behind.ts";
import type { AlarmScheduler } from "./alarm-scheduler.ts";
import type { CacheEntry } from "./entry.ts";
import type { GetAnswer } from "./get-answer.ts";
import type { FindPreviousOwner, PeekResult } from "./handoff.ts";
import { IdempotencyStore } from "./idempotency-store.ts";
import type { ShardInvalidation, ShardInvalidationResult } from "./invalidation.ts";
import { Invalidator } from "./invalidator.ts";
import { JobMemoStore } from "./job-memo-store.ts";
import type { LoadCoalescer } from "./load-coalescer.ts";
import { ReadPath } from "./read-path.ts";
import type { ShardGetRequest } from "./shard-rpc.ts";
import { Tiers } from "./tiers.ts";
import { Upkeep } from "./upkeep.ts";
import { WritePath } from "./write-path.ts";

export interface ShardCacheDeps {
  sql: SqlStorage;
  transaction: <T>(work: () => T) => T;
  scheduler: AlarmScheduler;
  clock: Clock;
  /** Uniform in [0, 1): the refresh-ahead coin. */
  random: () => number;
  /** Concurrent loads of a key share one (a caller may pass the coalescer, to watch it). */
  loads?: LoadCoalescer<CacheEntry>;
  /** The main database: write-behind sink and read-through source of `d1` namespaces. */
  mainDb: D1Database;
  /** Settings of a namespace (the alarm flushes namespaces it learns from the outbox). */
  settings: (namespace: string) => NamespaceConfig;
  /** The shard that owned a key under `previousShards`, while a change of `shards` settles (handoff.ts). */
  previousOwner: FindPreviousOwner;
}

export class ShardCache {
  /** The outbox, its flushes and dead letters (write-behind/shard-write-behind.ts). */
  readonly writeBehind: ShardWriteBehind;
  private readonly counters = emptyCounters();
  private readonly latency = emptyHistogram();
  private readonly tiers: Tiers;
  private readonly reads: ReadPath;
  private readonly writes: WritePath;
  private readonly upkeep: Upkeep;
  private readonly invalidator: Invalidator;

  constructor(private readonly deps: ShardCacheDeps) {
    // Looked up at each call, not captured: a test may wrap the shard's transactions to count them.
    const transaction = <T>(work: () => T): T => this.deps.transaction(work);
    const { sql, clock, previousOwner } = deps;
    const { counters, latency } = this;
    const tiers = (this.tiers = new Tiers({ sql, transaction, loads: deps.loads, onEvict: () => counters.evictions++ }));
    const idempotency = new IdempotencyStore(sql);
    const jobMemos = new JobMemoStore(sql);
    const writeBehind = (this.writeBehind = new ShardWriteBehind({ ...deps, transaction }));
    const upkeep = (this.upkeep = new Upkeep({ ...deps, transaction, tiers, idempotency, jobMemos, writeBehind, counters, latency }));
    const scheduleSweep = (expiresAt: number) => upkeep.scheduleSweep(expiresAt);
    const pendingWrite = (key: string) => writeBehind.outbox.pendingFor(key);
    const readDone = (startedAt: number) => upkeep.readDone(startedAt);
    this.reads = new ReadPath({ ...deps, tiers, counters, scheduleSweep, pendingWrite, readDone });
    this.writes = new WritePath({ tiers, clock, transaction, idempotency, writeBehind, previousOwner, scheduleSweep });
    this.invalidator = new Invalidator({ tiers, jobMemos, clock, transaction, scheduleSweep });
  }

  get(request: ShardGetRequest, ns: NamespaceConfig): Promise<GetAnswer> {
    return this.reads.get(request, ns);
  }

  /** What this shard holds for a key, without loading it: the previous owner's answer in a handoff. */
  peek(key: string): Promise<PeekResult> {
    return this.reads.peek(key);
  }

  set(request: SetRequest, ns: NamespaceConfig): Promise<SetResult> {
    return this.writes.set(request, ns);
  }

  delete(request: DeleteRequest, ns: NamespaceConfig): Promise<DeleteResult> {
    return this.writes.delete(request, ns);
  }

  alarm(): Promise<void> {
    return this.upkeep.alarm();
  }

  /** Flushes the namespace's outbox now (the `flush` procedure). */
  flush(namespace: string, ns: NamespaceConfig): Promise<FlushOutcome> {
    return this.writeBehind.flush(namespace, ns);
  }

  /** Keys this shard has seen with any of the tags (a warm job with tags: tag-warm.ts). */
  taggedKeys(tags: string[]): string[] {
    return this.tiers.store.taggedKeys(tags);
  }

  /** Takes this shard's fence for a job whose invalidate call is in progress (coordinator/fence.ts). */
  fence(request: { jobId: string; namespace: string }): { fence: number } {
    return this.invalidator.fence(request);
  }

  invalidate(request: ShardInvalidation): Promise<ShardInvalidationResult> {
    return this.invalidator.invalidate(request);
  }

  stats(): ShardStats {
    const totals = this.tiers.store.totals(this.deps.clock.now());
    return { ...this.counters, ...totals, ...this.tiers.memoryTotals(), latency: [...this.latency], writeBehind: this.writeBehind.stats() };
  }
}
