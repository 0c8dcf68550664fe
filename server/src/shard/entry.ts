/** A cached entry as the shard holds it in memory and reads it back from SQLite. */
import { estimateHeapBytes } from "../memory/heap-size.ts";

export interface CacheEntry {
  /**
   * The value as JSON text ("null" for a negative entry), serialized once when it entered the cache:
   * readers are answered with this string (get-answer.ts), and a string's heap is its length.
   */
  json: string;
  version: number;
  tags: string[];
  writtenAt: number;
  freshUntil: number;
  staleUntil: number;
  /** Serialized JSON size in bytes: what `maxValueBytes` and `stats.bytes` count (the memory bound counts heap: entryHeapBytes). */
  size: number;
  /** An origin 404 remembered until `staleUntil`: found, but as "not found". */
  negative: boolean;
  /**
   * The shard's sequence when this data was known: a write's version, or the sequence when the
   * load that brought it began. An invalidation fenced at F reaches entries with `seq` ≤ F (coordinator/fence.ts).
   */
  seq: number;
  /** How long the load that produced it took (ms): refresh-ahead's δ. Memory only — hot keys live there. */
  loadMs?: number;
}

export type Freshness = "fresh" | "stale" | "expired";

export function freshness(entry: CacheEntry, now: number): Freshness {
  if (now < entry.freshUntil) return "fresh";
  if (now < entry.staleUntil) return "stale";
  return "expired";
}

/**
 * A CacheEntry's own object (header + 10 fields), its five epoch-ms-sized numbers (beyond small-integer
 * range: boxed), and the LRU's Map entry with its `{ item, cost }` holder (layouts as in
 * memory/heap-size.ts).
 */
const ENTRY_OVERHEAD = 24 + 10 * 8 + 5 * 16 + 3 * 8 + (24 + 2 * 8);

/** What an entry costs the memory tier: an estimate of its heap, value, tags and key included. */
export function entryHeapBytes(key: string, entry: CacheEntry): number {
  return ENTRY_OVERHEAD + estimateHeapBytes(key) + estimateHeapBytes(entry.json) + estimateHeapBytes(entry.tags);
}
