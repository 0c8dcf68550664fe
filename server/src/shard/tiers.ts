/**
 * A shard's tiers kept in step: the memory LRU, the SQLite EntryStore and the loads in flight
 * (LoadCoalescer), with the mutation sequence that tells a read which awaited (decompression)
 * whether a key changed under it. Every change of a key passes through here, so no tier is left
 * holding what another has dropped, and no slow load stores its older result over a write.
 */
import type { MemoryLimits } from "./memory-lru.ts";
import { MemoryLru } from "./memory-lru.ts";
import { entryFromRow, type EncodedValue } from "./entry-codec.ts";
import { entryHeapBytes, freshness, type CacheEntry } from "./entry.ts";
import { EntryStore } from "./entry-store.ts";
import { LoadCoalescer } from "./load-coalescer.ts";

/** Which tier answered a lookup. */
export type Source = "memory" | "storage";

export interface Held {
  entry: CacheEntry;
  source: Source;
}

export interface TiersDeps {
  sql: SqlStorage;
  transaction: <T>(work: () => T) => T;
  /** Concurrent loads of a key share one (a caller may pass the coalescer, to watch it). */
  loads?: LoadCoalescer<CacheEntry> | undefined;
  /** Told when the memory tier evicts an entry to stay within its limits (the `evictions` counter). */
  onEvict: () => void;
}

/** The memory tier's limits until a namespace's `memory` settings arrive with the first call. */
const INITIAL_MEMORY: MemoryLimits = { maxEntries: 10_000, maxBytes: 32 << 20 };

export class Tiers {
  readonly store: EntryStore;
  readonly loads: LoadCoalescer<CacheEntry>;
  private readonly memory: MemoryLru<CacheEntry>;
  /** Bumped by every mutation, so a storage read that awaited (decompression) knows to re-read. */
  private mutationSeq = 0;

  constructor(private readonly deps: TiersDeps) {
    this.store = new EntryStore(deps.sql);
    this.loads = deps.loads ?? new LoadCoalescer<CacheEntry>();
    this.memory = new MemoryLru<CacheEntry>(INITIAL_MEMORY, deps.onEvict, entryHeapBytes);
  }

  /** Limits come from the namespace's config, which may change between calls. */
  resize(limits: MemoryLimits): void {
    this.memory.resize(limits);
  }

  /** Memory first; then SQLite, promoting what it finds. Expired entries count as absent. */
  async lookup(key: string, now: number): Promise<Held | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory) return this.unexpired(key, inMemory, now);
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

  /**
   * The memory tier only. A reader of a key whose load is in flight asks this instead of `lookup`:
   * the load started because the key was absent or stale, and a stale entry it refreshes was
   * promoted into memory by the lookup that found it. So a herd's waiters join the load without a
   * SQLite read each. (If memory evicted that stale entry meanwhile, the reader waits for the
   * refresh instead of being served stale: fresher, only later.)
   */
  lookupMemory(key: string, now: number): Held | undefined {
    const inMemory = this.memory.get(key);
    return inMemory && this.unexpired(key, inMemory, now);
  }

  private unexpired(key: string, entry: CacheEntry, now: number): Held | undefined {
    if (freshness(entry, now) !== "expired") return { entry, source: "memory" };
    this.memory.delete(key);
    return undefined;
  }

  /** A load's result: into SQLite (its own transaction), then memory. */
  stored(key: string, entry: CacheEntry, encoded: EncodedValue): void {
    this.deps.transaction(() => this.store.write(key, entry, encoded));
    this.memory.set(key, entry);
  }

  /** A write's row is in SQLite (the caller's transaction): loads of the key are superseded, memory holds the write. */
  wrote(key: string, entry: CacheEntry): void {
    this.mutated(key);
    this.memory.set(key, entry);
  }

  /** The key changed in SQLite (a delete, an invalidation): memory and any load in flight let go of it. */
  forget(key: string): void {
    this.mutated(key);
    this.memory.delete(key);
  }

  /** In-flight loads matching `matches` must not store what they fetched (an invalidation by tag or prefix). */
  supersedeLoads(matches: (key: string) => boolean): void {
    this.mutationSeq++;
    this.loads.supersedeAll(matches);
  }

  /** Rows the sweep deleted (expired: no load or write can be racing them) leave memory too. */
  swept(keys: string[]): void {
    for (const key of keys) this.memory.delete(key);
  }

  /** The version `ifVersion` compares with: 0 for a key absent, expired or remembered as not found. */
  currentVersion(key: string, now: number): number {
    const inMemory = this.memory.get(key);
    if (inMemory && freshness(inMemory, now) !== "expired") return inMemory.negative ? 0 : inMemory.version;
    const row = this.store.readRow(key);
    return row && row.stale_until > now && row.negative === 0 ? row.version : 0;
  }

  /** A refresh that brings back the same value keeps its version, so ETags (and 304s) stay valid. */
  unchangedVersion(key: string, json: string): number | undefined {
    const previous = this.memory.get(key);
    return previous && !previous.negative && previous.json === json ? previous.version : undefined;
  }

  memoryTotals(): { memoryEntries: number; memoryBytes: number } {
    return { memoryEntries: this.memory.count, memoryBytes: this.memory.bytes };
  }

  private mutated(key: string): void {
    this.mutationSeq++;
    this.loads.supersede(key);
  }
}
