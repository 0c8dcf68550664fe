/**
 * The isolate-level micro-cache for hot keys (`hotCache` in a namespace's config). One Durable
 * Object serves about 1,000 requests a second; a key read more often than that is served from
 * here for at most `maxAgeMs` without a DO call. Writes and invalidations made through this
 * isolate drop its copies at once; those made elsewhere show within `maxAgeMs` — the staleness
 * bound this adds, and the reason it is off by default.
 */
import type { GetResult } from "@cache-sync/contracts";

interface HotEntry {
  result: GetResult;
  storedAt: number;
}

export class HotCache {
  private readonly entries = new Map<string, HotEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(namespace: string, key: string, maxAgeMs: number): GetResult | undefined {
    const id = `${namespace}\u0000${key}`;
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    const age = this.now() - hit.storedAt;
    if (age >= maxAgeMs) {
      this.entries.delete(id);
      return undefined;
    }
    return { ...hit.result, ageMs: (hit.result.ageMs ?? 0) + age };
  }

  /** Keeps fresh, found results only: anything else must go back to the shard next time. */
  put(namespace: string, key: string, result: GetResult, maxEntries: number): void {
    if (!result.found || result.state === "stale") return;
    const id = `${namespace}\u0000${key}`;
    this.entries.delete(id);
    this.entries.set(id, { result: { ...result, state: "fresh", source: "memory" }, storedAt: this.now() });
    while (this.entries.size > maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  forget(namespace: string, key: string): void {
    this.entries.delete(`${namespace}\u0000${key}`);
  }

  forgetNamespace(namespace: string): void {
    for (const id of this.entries.keys()) if (id.startsWith(`${namespace}\u0000`)) this.entries.delete(id);
  }
}

/** One per isolate: that is the point. */
export const hotCache = new HotCache();
