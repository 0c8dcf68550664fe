/** A cached entry as the shard holds it in memory and reads it back from SQLite. */
import type { JsonValue } from "@cache-sync/contracts";

export interface CacheEntry {
  value: JsonValue;
  version: number;
  tags: string[];
  writtenAt: number;
  freshUntil: number;
  staleUntil: number;
  /** Serialized JSON size in bytes: what the memory bound and `stats.bytes` count. */
  size: number;
  /** An origin 404 remembered until `staleUntil`: found, but as "not found". */
  negative: boolean;
  /** How long the load that produced it took (ms): refresh-ahead's δ. Memory only — hot keys live there. */
  loadMs?: number;
}

export type Freshness = "fresh" | "stale" | "expired";

export function freshness(entry: CacheEntry, now: number): Freshness {
  if (now < entry.freshUntil) return "fresh";
  if (now < entry.staleUntil) return "stale";
  return "expired";
}
