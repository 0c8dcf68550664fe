/**
 * The memory tier: an LRU bounded by entry count and bytes. A Map keeps insertion order, so
 * re-inserting on access makes the first key the least recently used.
 */
export interface MemoryLimits {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryLru<V extends { size: number }> {
  private readonly items = new Map<string, V>();
  private totalBytes = 0;

  constructor(
    private limits: MemoryLimits,
    private readonly onEvict: () => void = () => {},
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
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    this.items.delete(key);
    this.items.set(key, item);
    return item;
  }

  set(key: string, item: V): void {
    this.delete(key);
    // An item bigger than the whole tier would evict everything and still not fit: keep it in SQLite only.
    if (item.size > this.limits.maxBytes || this.limits.maxEntries === 0) return;
    this.items.set(key, item);
    this.totalBytes += item.size;
    this.evictOverflow();
  }

  delete(key: string): boolean {
    const item = this.items.get(key);
    if (item === undefined) return false;
    this.items.delete(key);
    this.totalBytes -= item.size;
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
