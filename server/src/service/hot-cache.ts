/**
 * The isolate-level micro-cache for hot keys (`hotCache` in a namespace's config). One Durable
 * Object serves about 1,000 requests a second; a key read more often than that is served from
 * here for at most `maxAgeMs` without a DO call. Writes and invalidations made through this
 * isolate drop its copies at once; those made elsewhere show within `maxAgeMs` — the staleness
 * bound this adds, and the reason it is off by default.
 *
 * It lives in the isolate's heap (128 MB, shared with every request the isolate serves), so it is
 * bounded in bytes as well as entries: each copy is charged an estimate of its heap size
 * (memory/heap-size.ts), and the least recently stored go first. A value bigger than the bound is
 * not kept at all.
 */
import type { GetAnswer } from "../shard/get-answer.ts";
import { estimateHeapBytes } from "../memory/heap-size.ts";

interface HotEntry {
  result: GetAnswer;
  storedAt: number;
  cost: number;
}

export interface HotCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * A GetAnswer's own object and numbers, its freshness object (three numbers), the HotEntry holding
 * it, and the Map entry (heap-size.ts layouts).
 */
const ENTRY_OVERHEAD = 24 + 8 * 8 + 2 * 16 + (24 + 3 * 8 + 3 * 16) + (24 + 3 * 8) + 3 * 8;

export class HotCache {
  private readonly entries = new Map<string, HotEntry>();
  private totalBytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Estimated heap bytes held now. */
  get bytes(): number {
    return this.totalBytes;
  }

  get count(): number {
    return this.entries.size;
  }

  get(namespace: string, key: string, maxAgeMs: number): GetAnswer | undefined {
    const id = `${namespace}\u0000${key}`;
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    const age = this.now() - hit.storedAt;
    if (age >= maxAgeMs) {
      this.remove(id);
      return undefined;
    }
    const { freshness } = hit.result;
    return {
      ...hit.result,
      ageMs: (hit.result.ageMs ?? 0) + age,
      // The copy is as fresh as the shard's was, less the time it spent here.
      freshness: freshness && { ...freshness, freshForMs: Math.max(0, freshness.freshForMs - age) },
    };
  }

  /** Keeps fresh, found results only: anything else must go back to the shard next time. */
  put(namespace: string, key: string, result: GetAnswer, limits: HotCacheLimits): void {
    if (!result.found || result.state === "stale") return;
    const id = `${namespace}\u0000${key}`;
    this.remove(id);
    const cost = ENTRY_OVERHEAD + estimateHeapBytes(id) + estimateHeapBytes(result.valueJson) + estimateHeapBytes(result.tags);
    if (cost > limits.maxBytes) return;
    this.entries.set(id, { result: { ...result, state: "fresh", source: "memory" }, storedAt: this.now(), cost });
    this.totalBytes += cost;
    while (this.entries.size > limits.maxEntries || this.totalBytes > limits.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.remove(oldest.value);
    }
  }

  forget(namespace: string, key: string): void {
    this.remove(`${namespace}\u0000${key}`);
  }

  forgetNamespace(namespace: string): void {
    for (const id of this.entries.keys()) if (id.startsWith(`${namespace}\u0000`)) this.remove(id);
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.totalBytes -= entry.cost;
  }
}

/** One per isolate: that is the point. */
export const hotCache = new HotCache();
