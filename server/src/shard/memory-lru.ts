/**
 * The memory tier: an LRU bounded by entry count and bytes. A Map keeps insertion order, so
 * re-inserting on access makes the first key the least recently used. What an item costs is
 * `weigh`'s answer, taken once when it is stored: the shard charges an estimate of its heap size
 * (memory/heap-size.ts), not its JSON length, which can be 20 times smaller.
 */
export interface MemoryLimits {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryLru<V extends { size: number }> {
  private readonly items = new Map<string, { item: V; cost: number }>();
  private totalBytes = 0;

  constructor(
    private limits: MemoryLimits,
    private readonly onEvict: () => void = () => {},
    private readonly weigh: (key: string, item: V) => number = (_key, item) => item.size,
  ) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get count(): number {
    return this.items.size;
  }

  /** Limits come from config, which may change between requests; shrinking evicts at once. */
  resize(limits: MemoryLimits): void {
    if (limits.maxBytes === this.limits.maxBytes && limits.maxEntries === this.limits.maxEntries) return;
    this.limits = limits;
    this.evictOverflow();
  }

  get(key: string): V | undefined {
    const held = this.items.get(key);
    if (held === undefined) return undefined;
    this.items.delete(key);
    this.items.set(key, held);
    return held.item;
  }

  set(key: string, item: V): void {
    this.delete(key);
    if (this.limits.maxEntries === 0) return;
    const cost = this.weigh(key, item);
    // An item bigger than the whole tier would evict everything and still not fit: keep it in SQLite only.
    if (cost > this.limits.maxBytes) return;
    this.items.set(key, { item, cost });
    this.totalBytes += cost;
    this.evictOverflow();
  }

  delete(key: string): boolean {
    const held = this.items.get(key);
    if (held === undefined) return false;
    this.items.delete(key);
    this.totalBytes -= held.cost;
    return true;
  }

  clear(): void {
    this.items.clear();
    this.totalBytes = 0;
  }

  private evictOverflow(): void {
    while (this.items.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes) {
      const oldest = this.items.keys().next();
      if (oldest.done) return;
      this.delete(oldest.value);
      this.onEvict();
    }
  }
}
