/**
 * The shard's read path: memory → SQLite → a coalesced load from the key's source (the origin,
 * the main database, or first the previous owner in a resharding handoff), with
 * stale-while-revalidate, stale-if-error, refresh-ahead and the shadow/canary rollout modes.
 * Values stay JSON text from the tier to the answer: nothing here parses or re-encodes them.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import type { Clock } from "../clock/clock.ts";
import type { ShardCounters } from "../metrics/shard-metrics.ts";
import { encodeValue } from "./entry-codec.ts";
import { freshness, type CacheEntry } from "./entry.ts";
import { NOT_FOUND_ANSWER, type GetAnswer } from "./get-answer.ts";
import { withHandoff, type FindPreviousOwner, type PeekResult } from "./handoff.ts";
import { foundJson, loadSourceFor, type LoadSource } from "./load-source.ts";
import { differs, inCanary, originAnswer } from "./rollout.ts";
import type { ShardGetRequest } from "./shard-rpc.ts";
import type { Source, Tiers } from "./tiers.ts";

export interface ReadPathDeps {
  tiers: Tiers;
  clock: Clock;
  /** Uniform in [0, 1): the refresh-ahead coin. */
  random: () => number;
  counters: ShardCounters;
  /** The main database: read-through source of `d1` namespaces. */
  mainDb: D1Database;
  previousOwner: FindPreviousOwner;
  /** The key's write-behind write not yet in the main database, if any (the outbox). */
  pendingWrite: (key: string) => { value: string | null; version: number; tags: string } | undefined;
  /** Books the sweep that will drop a stored entry once it expires (upkeep). */
  scheduleSweep: (expiresAt: number) => Promise<void>;
  /** Told when a read ends, with its start on the platform clock (upkeep: latency, counters). */
  readDone: (startedAt: number) => void;
}

export class ReadPath {
  constructor(private readonly deps: ReadPathDeps) {}

  async get(request: ShardGetRequest, ns: NamespaceConfig): Promise<GetAnswer> {
    this.deps.tiers.resize(ns.memory);
    const started = Date.now();
    try {
      return await this.read(request, ns);
    } finally {
      this.deps.readDone(started);
    }
  }

  /** What this shard holds for a key, without loading it: the previous owner's answer in a handoff. */
  async peek(key: string): Promise<PeekResult> {
    const held = await this.deps.tiers.lookup(key, this.deps.clock.now());
    if (held === undefined || held.entry.negative) return { found: false, version: held?.entry.version ?? 0 };
    const { json, version, tags } = held.entry;
    return { found: true, json, version, tags };
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
    const [cached, origin] = await Promise.all([this.cachedRead(request, ns, loader).catch(() => undefined), loader.load(request.key)]);
    this.deps.counters.shadowReads++;
    const mismatch = cached === undefined || differs(cached, origin);
    if (mismatch) this.deps.counters.shadowMismatches++;
    return originAnswer(origin, mismatch ? null : (cached?.version ?? null));
  }

  private async cachedRead(
    { key, maxStaleMs, serveStale }: ShardGetRequest,
    ns: NamespaceConfig,
    loader: LoadSource | undefined,
  ): Promise<GetAnswer> {
    const { counters, tiers } = this.deps;
    const now = this.deps.clock.now();
    // A load in flight is joined without reading SQLite (Tiers.lookupMemory says why).
    const cached = loader && tiers.loads.has(key) ? tiers.lookupMemory(key, now) : await tiers.lookup(key, now);
    if (cached) {
      const { entry, source } = cached;
      if (freshness(entry, now) === "fresh") {
        counters.hits++;
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
    counters.misses++;
    return NOT_FOUND_ANSWER;
  }

  /**
   * XFetch: refresh now when `now − δ·β·ln(rand) ≥ freshUntil`, δ being how long this key took to
   * load. Hot keys (read often near expiry) are refreshed before they go stale; cold keys never are.
   */
  private maybeRefreshAhead(key: string, entry: CacheEntry, ns: NamespaceConfig, loader: LoadSource, now: number): void {
    if (entry.loadMs === undefined || entry.negative || ns.refreshAheadBeta === 0 || this.deps.tiers.loads.has(key)) return;
    const early = -entry.loadMs * ns.refreshAheadBeta * Math.log(this.deps.random());
    if (now + early < entry.freshUntil) return;
    this.deps.counters.earlyRefreshes++;
    this.load(key, ns, loader).catch(() => {});
  }

  private servedStale(entry: CacheEntry, source: Source, now: number): GetAnswer {
    this.deps.counters.hits++;
    this.deps.counters.staleServed++;
    return resultOf(entry, "stale", source, now);
  }

  private loaded(entry: CacheEntry, now: number): GetAnswer {
    this.deps.counters.misses++;
    return resultOf(entry, "miss", "origin", now);
  }

  /** One coalesced load of `key` from its source; stores the result unless a write superseded it. */
  private load(key: string, ns: NamespaceConfig, source: LoadSource): Promise<CacheEntry> {
    const { clock, counters, tiers } = this.deps;
    const { store } = tiers;
    return tiers.loads.run(
      key,
      { now: () => clock.now(), errorBackoffMs: source.errorBackoffMs, onJoin: () => counters.coalesced++ },
      async (token) => {
        counters.originFetches++;
        // The answer is at least as old as the request: an invalidation accepted after this
        // moment must still match what the load brings back.
        const startedAt = clock.now();
        const startSeq = store.currentSeq();
        const loadStarted = Date.now();
        const result = await this.loadFrom(source, key, ns).catch((error: unknown) => {
          counters.originErrors++;
          throw error;
        });
        const now = clock.now();
        if (result.kind === "not-found") {
          const entry = negativeEntry(now, source.negativeTtlMs, startSeq);
          if (!token.superseded) tiers.stored(key, entry, { data: "null", encoding: "json" });
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
        if (result.size > ns.maxValueBytes) return { ...entry, version: store.nextVersion(now) };
        const encoded = await encodeValue(result.json, result.size, ns.compressAboveBytes);
        if (token.superseded) return this.afterSupersede(key, { ...entry, version: store.nextVersion(now) });
        entry.version = result.version ?? tiers.unchangedVersion(key, result.json) ?? store.nextVersion(now);
        tiers.stored(key, entry, encoded);
        await this.deps.scheduleSweep(entry.staleUntil);
        return entry;
      },
    );
  }

  /**
   * A pending write-behind write is newer than anything its source holds, so it answers first:
   * a key deleted or changed a moment ago is not read back from the main database's older row.
   */
  private loadFrom(source: LoadSource, key: string, ns: NamespaceConfig) {
    const pending = ns.writeBehind ? this.deps.pendingWrite(key) : undefined;
    if (pending === undefined) return source.load(key);
    return Promise.resolve(
      pending.value === null ? ({ kind: "not-found" } as const) : foundJson(pending.value, pending.version, pending.tags),
    );
  }

  /**
   * What a superseded load returns to its waiters, without storing it: the write that won if
   * there is one, else what the origin answered (after a delete or a purge that is the newest
   * data there is).
   */
  private async afterSupersede(key: string, loaded: CacheEntry): Promise<CacheEntry> {
    return (await this.deps.tiers.lookup(key, this.deps.clock.now()))?.entry ?? loaded;
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
  return {
    json: "null",
    version: 0,
    tags: [],
    writtenAt: now,
    freshUntil: now + ttlMs,
    staleUntil: now + ttlMs,
    size: 0,
    negative: true,
    seq,
  };
}
