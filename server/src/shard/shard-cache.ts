/**
 * The logic of one CacheShard, kept out of the Durable Object class so it reads (and tests) on
 * its own: the memory → SQLite → origin read path with coalescing, stale-while-revalidate and
 * stale-if-error, and the versioned, idempotent write path.
 */
import {
  utf8Bytes,
  type DeleteRequest,
  type DeleteResult,
  type NamespaceConfig,
  type SetRequest,
  type SetResult,
} from "@cache-sync/contracts";
import { CacheError, conflict } from "../errors.ts";
import { emptyHistogram, record } from "../metrics/latency-histogram.ts";
import { CounterStore } from "../metrics/counter-store.ts";
import { emptyCounters, type ShardStats } from "../metrics/shard-metrics.ts";
import type { FlushOutcome } from "../write-behind/flusher.ts";
import { ShardWriteBehind } from "../write-behind/shard-write-behind.ts";
import type { AlarmScheduler } from "./alarm-scheduler.ts";
import type { Clock } from "../clock/clock.ts";
import { encodeValue, entryFromRow } from "./entry-codec.ts";
import { NOT_FOUND_ANSWER, type GetAnswer } from "./get-answer.ts";
import { entryHeapBytes, freshness, type CacheEntry } from "./entry.ts";
import { EntryStore } from "./entry-store.ts";
import { IdempotencyStore } from "./idempotency-store.ts";
import { JobMemoStore } from "./job-memo-store.ts";
import { invalidateEntries, type ShardInvalidation, type ShardInvalidationResult } from "./invalidation.ts";
import { versionFloor, withHandoff, type PeekResult, type PreviousOwner } from "./handoff.ts";
import { LoadCoalescer } from "./load-coalescer.ts";
import { foundJson, loadSourceFor, type LoadSource } from "./load-source.ts";
import { MemoryLru } from "./memory-lru.ts";
import { differs, inCanary, originAnswer } from "./rollout.ts";
import type { ShardGetRequest } from "./shard-rpc.ts";

/** Sweeps run at most this often, however many entries expire in between. */
export const SWEEP_SPACING_MS = 30_000;
const SWEEP_BATCH = 1_000;

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
  previousOwner: (namespace: string, key: string, ns: NamespaceConfig) => PreviousOwner | undefined;
}

type Source = "memory" | "storage";


export class ShardCache {
  readonly counters = emptyCounters();
  readonly latency = emptyHistogram();
  private readonly memory = new MemoryLru<CacheEntry>(
    { maxEntries: 10_000, maxBytes: 32 << 20 },
    () => {
      this.counters.evictions++;
    },
    entryHeapBytes,
  );
  private readonly store: EntryStore;
  private readonly idempotency: IdempotencyStore;
  private readonly jobMemos: JobMemoStore;
  /** The outbox, its flushes and dead letters (write-behind/shard-write-behind.ts). */
  readonly writeBehind: ShardWriteBehind;
  private readonly counterStore: CounterStore;
  private readonly loads: LoadCoalescer<CacheEntry>;
  /** Bumped by every mutation, so a storage read that awaited (decompression) knows to re-read. */
  private mutationSeq = 0;

  constructor(private readonly deps: ShardCacheDeps) {
    this.loads = deps.loads ?? new LoadCoalescer<CacheEntry>();
    this.store = new EntryStore(deps.sql);
    this.idempotency = new IdempotencyStore(deps.sql);
    this.jobMemos = new JobMemoStore(deps.sql);
    this.writeBehind = new ShardWriteBehind(deps);
    this.counterStore = new CounterStore(deps.sql);
    this.counterStore.restore(this.counters, this.latency);
  }

  async get(request: ShardGetRequest, ns: NamespaceConfig): Promise<GetAnswer> {
    this.memory.resize(ns.memory);
    const started = Date.now();
    try {
      return await this.read(request, ns);
    } finally {
      record(this.latency, Date.now() - started);
      this.counterStore.save(this.counters, this.latency);
    }
  }

  private async read(request: ShardGetRequest, ns: NamespaceConfig): Promise<GetAnswer> {
    const source = loadSourceFor(ns, request.namespace, this.deps.mainDb);
    const previousOwner = this.deps.previousOwner(request.namespace, request.key, ns);
    const loader = previousOwner ? withHandoff(source, previousOwner, request.namespace) : source;
    if (loader && ns.rollout.mode === "shadow") return this.shadowRead(request, ns, loader);
    if (loader && ns.rollout.mode === "canary" && !inCanary(request.key, ns.rollout.canaryPercent)) {
      return originAnswer(await loader.load(request.key), null);
    }
    return this.cachedRead(request, ns, loader);
  }

  /** Shadow mode: the origin answers; the cache runs as usual beside it and disagreements are counted. */
  private async shadowRead(request: ShardGetRequest, ns: NamespaceConfig, loader: LoadSource): Promise<GetAnswer> {
    const [cached, origin] = await Promise.all([
      this.cachedRead(request, ns, loader).catch(() => undefined),
      loader.load(request.key),
    ]);
    this.counters.shadowReads++;
    const mismatch = cached === undefined || differs(cached, origin);
    if (mismatch) this.counters.shadowMismatches++;
    return originAnswer(origin, mismatch ? null : (cached?.version ?? null));
  }

  private async cachedRead({ key, maxStaleMs, serveStale }: ShardGetRequest, ns: NamespaceConfig, loader: LoadSource | undefined): Promise<GetAnswer> {
    const now = this.deps.clock.now();
    const cached = await this.lookup(key, now);
    if (cached) {
      const { entry, source } = cached;
      if (freshness(entry, now) === "fresh") {
        this.counters.hits++;
        if (loader) this.maybeRefreshAhead(key, entry, ns, loader, now);
        return resultOf(entry, "fresh", source, now);
      }
      const servable = serveStale !== false && (maxStaleMs === undefined || now - entry.freshUntil <= maxStaleMs);
      if (loader) {
        // Stale-while-revalidate: one coalesced refresh, everyone else served the stale copy now.
        // If the refresh fails, the copy keeps being served until staleUntil (stale-if-error).
        const refresh = this.load(key, ns, loader);
        if (servable) {
          refresh.catch(() => {});
          return this.servedStale(entry, source, now);
        }
        return this.loaded(await refresh, now);
      }
      if (servable) return this.servedStale(entry, source, now);
    }
    if (loader) return this.loaded(await this.load(key, ns, loader), now);
    this.counters.misses++;
    return NOT_FOUND_ANSWER;
  }

  /**
   * XFetch: refresh now when `now − δ·β·ln(rand) ≥ freshUntil`, δ being how long this key took to
   * load. Hot keys (read often near expiry) are refreshed before they go stale; cold keys never are.
   */
  private maybeRefreshAhead(key: string, entry: CacheEntry, ns: NamespaceConfig, loader: LoadSource, now: number): void {
    if (entry.loadMs === undefined || entry.negative || ns.refreshAheadBeta === 0 || this.loads.has(key)) return;
    const early = -entry.loadMs * ns.refreshAheadBeta * Math.log(this.deps.random());
    if (now + early < entry.freshUntil) return;
    this.counters.earlyRefreshes++;
    this.load(key, ns, loader).catch(() => {});
  }

  private servedStale(entry: CacheEntry, source: Source, now: number): GetAnswer {
    this.counters.hits++;
    this.counters.staleServed++;
    return resultOf(entry, "stale", source, now);
  }

  private loaded(entry: CacheEntry, now: number): GetAnswer {
    this.counters.misses++;
    return resultOf(entry, "miss", "origin", now);
  }

  /** Memory first; then SQLite, promoting what it finds. Expired entries count as absent. */
  private async lookup(key: string, now: number): Promise<{ entry: CacheEntry; source: Source } | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory) {
      if (freshness(inMemory, now) !== "expired") return { entry: inMemory, source: "memory" };
      this.memory.delete(key);
      return undefined;
    }
    for (;;) {
      const seq = this.mutationSeq;
      const row = this.store.readRow(key);
      if (row === undefined || row.stale_until <= now) return undefined;
      const entry = await entryFromRow(row);
      if (seq !== this.mutationSeq) continue; // written while decompressing: read the new row
      this.memory.set(key, entry);
      return { entry, source: "storage" };
    }
  }

  /** One coalesced load of `key` from its source; stores the result unless a write superseded it. */
  private load(key: string, ns: NamespaceConfig, source: LoadSource): Promise<CacheEntry> {
    const clock = this.deps.clock;
    return this.loads.run(
      key,
      { now: () => clock.now(), errorBackoffMs: source.errorBackoffMs, onJoin: () => this.counters.coalesced++ },
      async (token) => {
        this.counters.originFetches++;
        // The answer is at least as old as the request: an invalidation accepted after this
        // moment must still match what the load brings back.
        const startedAt = clock.now();
        const startSeq = this.store.currentSeq();
        const loadStarted = Date.now();
        const result = await this.loadFrom(source, key, ns).catch((error: unknown) => {
          this.counters.originErrors++;
          throw error;
        });
        const now = clock.now();
        if (result.kind === "not-found") {
          const entry = negativeEntry(now, source.negativeTtlMs, startSeq);
          if (!token.superseded) this.persist(key, entry, { data: "null", encoding: "json" });
          return token.superseded ? this.afterSupersede(key, entry) : entry;
        }
        const entry: CacheEntry = {
          json: result.json,
          version: 0,
          tags: result.tags,
          writtenAt: startedAt,
          freshUntil: now + ns.freshMs,
          staleUntil: now + ns.freshMs + ns.staleMs,
          size: result.size,
          negative: false,
          seq: startSeq,
          loadMs: clock.loadDuration(loadStarted),
        };
        // Too big to cache: serve it, but do not store it.
        if (result.size > ns.maxValueBytes) return { ...entry, version: this.store.nextVersion(now) };
        const encoded = await encodeValue(result.json, result.size, ns.compressAboveBytes);
        if (token.superseded) return this.afterSupersede(key, { ...entry, version: this.store.nextVersion(now) });
        entry.version = result.version ?? this.unchangedVersion(key, result.json) ?? this.store.nextVersion(now);
        this.persist(key, entry, encoded);
        await this.scheduleSweep(entry.staleUntil);
        return entry;
      },
    );
  }

  /**
   * A pending write-behind write is newer than anything its source holds, so it answers first:
   * a key deleted or changed a moment ago is not read back from the main database's older row.
   */
  private loadFrom(source: LoadSource, key: string, ns: NamespaceConfig) {
    const pending = ns.writeBehind ? this.writeBehind.outbox.pendingFor(key) : undefined;
    if (pending === undefined) return source.load(key);
    return Promise.resolve(pending.value === null ? ({ kind: "not-found" } as const) : foundJson(pending.value, pending.version, pending.tags));
  }

  /** A refresh that brings back the same value keeps its version, so ETags (and 304s) stay valid. */
  private unchangedVersion(key: string, json: string): number | undefined {
    const previous = this.memory.get(key);
    return previous && !previous.negative && previous.json === json ? previous.version : undefined;
  }

  /**
   * What a superseded load returns to its waiters, without storing it: the write that won if
   * there is one, else what the origin answered (after a delete or a purge that is the newest
   * data there is).
   */
  private async afterSupersede(key: string, loaded: CacheEntry): Promise<CacheEntry> {
    return (await this.lookup(key, this.deps.clock.now()))?.entry ?? loaded;
  }

  private persist(key: string, entry: CacheEntry, encoded: Parameters<EntryStore["write"]>[2]): void {
    this.deps.transaction(() => this.store.write(key, entry, encoded));
    this.memory.set(key, entry);
  }

  async set(request: SetRequest, ns: NamespaceConfig): Promise<SetResult> {
    this.memory.resize(ns.memory);
    const { key } = request;
    if (request.writeBehind === true && !ns.writeBehind) {
      throw new CacheError(
        "BAD_REQUEST",
        `writeBehind: true needs a namespace with writeBehind configured; namespace "${request.namespace}" has none`,
      );
    }
    const replay = this.idempotency.recall<SetResult>(request.idempotencyKey, "set", key, this.deps.clock.now());
    if (replay) return replay;

    const json = JSON.stringify(request.value);
    const size = utf8Bytes(json);
    if (size > ns.maxValueBytes) {
      throw new CacheError(
        "PAYLOAD_TOO_LARGE",
        `value for key "${key}" is ${size} bytes; namespace "${request.namespace}" allows at most ${ns.maxValueBytes}`,
        { size, maxValueBytes: ns.maxValueBytes },
      );
    }
    const encoded = await encodeValue(json, size, ns.compressAboveBytes);
    const floor = await this.versionFloor(request.namespace, key, ns);

    // From here on nothing awaits until the write is done, so the checks and the write are atomic.
    const now = this.deps.clock.now();
    const replayed = this.idempotency.recall<SetResult>(request.idempotencyKey, "set", key, now);
    if (replayed) return replayed;
    if (request.ifVersion !== undefined) {
      const current = this.currentVersion(key, now);
      if (current !== request.ifVersion) throw conflict(key, current, request.ifVersion);
    }
    const freshUntil = now + (request.ttlMs ?? ns.freshMs);
    const entry: CacheEntry = {
      json,
      version: 0,
      tags: [...new Set(request.tags ?? [])],
      writtenAt: now,
      freshUntil,
      staleUntil: freshUntil + (request.staleMs ?? ns.staleMs),
      size,
      negative: false,
      seq: 0,
    };
    const result = this.deps.transaction(() => {
      entry.version = this.store.nextVersion(now, floor);
      entry.seq = entry.version;
      this.store.write(key, entry, encoded);
      if (writesBehind(ns, request.writeBehind)) this.writeBehind.outbox.put(request.namespace, key, entry.version, json, now, entry.tags);
      const result: SetResult = { version: entry.version, freshUntil: entry.freshUntil, staleUntil: entry.staleUntil };
      this.idempotency.remember(request.idempotencyKey, "set", key, result, now);
      return result;
    });
    this.mutated(key);
    this.memory.set(key, entry);
    await this.scheduleSweep(entry.staleUntil);
    await this.writeBehind.schedule(ns);
    return result;
  }

  async delete(request: DeleteRequest, ns: NamespaceConfig): Promise<DeleteResult> {
    this.memory.resize(ns.memory);
    const { key } = request;
    const now = this.deps.clock.now();
    const replay = this.idempotency.recall<DeleteResult>(request.idempotencyKey, "delete", key, now);
    if (replay) return replay;
    const floor = await this.versionFloor(request.namespace, key, ns);
    const result = this.deps.transaction(() => {
      const result: DeleteResult = { deleted: this.store.remove(key, now) };
      // A tombstone with its own version, so the main database row is replaced, not left behind.
      if (writesBehind(ns, undefined)) this.writeBehind.outbox.put(request.namespace, key, this.store.nextVersion(now, floor), null, now);
      this.idempotency.remember(request.idempotencyKey, "delete", key, result, now);
      return result;
    });
    this.mutated(key);
    this.memory.delete(key);
    if (request.idempotencyKey !== undefined) await this.scheduleSweep(now);
    await this.writeBehind.schedule(ns);
    return result;
  }

  /** The alarm's duty: drop expired entries and idempotency records, then book the next sweep. */
  async sweep(): Promise<{ swept: number }> {
    this.deps.scheduler.fired();
    const now = this.deps.clock.now();
    const keys = this.deps.transaction(() => {
      const keys = this.store.sweepExpired(now, SWEEP_BATCH);
      this.idempotency.sweep(now);
      this.jobMemos.sweep(now);
      return keys;
    });
    for (const key of keys) this.memory.delete(key);
    if (keys.length === SWEEP_BATCH) await this.deps.scheduler.requestAt(Date.now() + 1);
    else {
      const next = [this.store.nextExpiry(), this.idempotency.nextExpiry(), this.jobMemos.nextExpiry()].reduce(minDefined, null);
      if (next !== null) await this.scheduleSweep(next);
    }
    return { swept: keys.length };
  }

  /** The alarm's duties: the expiry sweep, then any write-behind flush that is due. */
  async alarm(): Promise<void> {
    this.counterStore.save(this.counters, this.latency, { force: true });
    await this.sweep();
    await this.writeBehind.alarm();
  }

  /** Flushes the namespace's outbox now (the `flush` procedure). */
  flush(namespace: string, ns: NamespaceConfig): Promise<FlushOutcome> {
    return this.writeBehind.flush(namespace, ns);
  }

  /**
   * Takes this shard's fence for a job whose invalidate call is in progress (coordinator/fence.ts): what it
   * knows now, the job reaches; what it learns from now on, the job leaves alone.
   */
  fence({ jobId, namespace }: { jobId: string; namespace: string }): { fence: number } {
    const now = this.deps.clock.now();
    const fence = this.deps.transaction(() => {
      const existing = this.jobMemos.read(jobId, now);
      if (existing !== undefined) return existing.fence ?? null;
      const taken = this.store.fence();
      this.jobMemos.saveFence(jobId, namespace, taken, now);
      return taken;
    });
    return { fence: fence ?? -1 };
  }

  /** One coordinator job's share of an invalidation (shard/invalidation.ts). */
  async invalidate(request: ShardInvalidation): Promise<ShardInvalidationResult> {
    const now = this.deps.clock.now();
    const result = invalidateEntries(
      {
        sql: this.deps.sql,
        transaction: this.deps.transaction,
        memos: this.jobMemos,
        effects: {
          forget: (key) => {
            this.mutated(key);
            this.memory.delete(key);
          },
          supersedeLoads: (matches) => {
            this.mutationSeq++;
            this.loads.supersedeAll(matches);
          },
        },
      },
      request,
      now,
    );
    await this.scheduleSweep(now); // the job's memo expires like any idempotency record
    return result;
  }

  stats(): ShardStats {
    return {
      ...this.counters,
      ...this.store.totals(this.deps.clock.now()),
      memoryEntries: this.memory.count,
      memoryBytes: this.memory.bytes,
      latency: [...this.latency],
      writeBehind: this.writeBehind.stats(),
    };
  }

  /** What this shard holds for a key, without loading it: the previous owner's answer in a handoff. */
  async peek(key: string): Promise<PeekResult> {
    const held = await this.lookup(key, this.deps.clock.now());
    if (held === undefined || held.entry.negative) return { found: false, version: held?.entry.version ?? 0 };
    const { json, version, tags } = held.entry;
    return { found: true, json, version, tags };
  }

  /**
   * The version a write of `key` must exceed: while a change of `shards` settles, the previous
   * owner's version of a key this shard does not hold yet (handoff.ts); otherwise 0.
   */
  private async versionFloor(namespace: string, key: string, ns: NamespaceConfig): Promise<number> {
    const owner = this.deps.previousOwner(namespace, key, ns);
    if (owner === undefined || this.store.readRow(key) !== undefined) return 0;
    return versionFloor(owner, namespace, key);
  }

  private currentVersion(key: string, now: number): number {
    const inMemory = this.memory.get(key);
    if (inMemory && freshness(inMemory, now) !== "expired") return inMemory.negative ? 0 : inMemory.version;
    const row = this.store.readRow(key);
    return row && row.stale_until > now && row.negative === 0 ? row.version : 0;
  }

  private mutated(key: string): void {
    this.mutationSeq++;
    this.loads.supersede(key);
  }

  /**
   * The alarm runs on the real clock, at most every SWEEP_SPACING_MS; the shard clock's offset
   * (moved by tests) is taken off so a sweep is due when the shard thinks the entry expired.
   */
  private scheduleSweep(expiresAt: number): Promise<void> {
    return this.deps.scheduler.requestAt(Math.max(this.realTime(expiresAt), Date.now() + SWEEP_SPACING_MS));
  }

  /** Alarms run on the real clock; the shard clock may be ahead of it (tests move it). */
  private realTime(shardTime: number): number {
    return shardTime - this.deps.clock.offsetMs;
  }
}

function resultOf(entry: CacheEntry, state: GetAnswer["state"], source: GetAnswer["source"], now: number): GetAnswer {
  if (entry.negative) return NOT_FOUND_ANSWER;
  return {
    found: true,
    valueJson: entry.json,
    state,
    source,
    version: entry.version,
    ageMs: Math.max(0, now - entry.writtenAt),
    tags: entry.tags,
    freshness: {
      modifiedAt: entry.writtenAt,
      freshForMs: Math.max(0, entry.freshUntil - now),
      staleForMs: Math.max(0, entry.staleUntil - Math.max(now, entry.freshUntil)),
    },
  };
}

function negativeEntry(now: number, ttlMs: number, seq: number): CacheEntry {
  return { json: "null", version: 0, tags: [], writtenAt: now, freshUntil: now + ttlMs, staleUntil: now + ttlMs, size: 0, negative: true, seq };
}

function minDefined(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** Whether a write goes to the outbox: the namespace writes behind, unless the call said `writeBehind: false`. */
function writesBehind(ns: NamespaceConfig, requested: boolean | undefined): boolean {
  return ns.writeBehind !== undefined && requested !== false;
}
