/**
 * The shard's clock. Tests move it forward (through `runInDurableObject`) instead of sleeping,
 * and may freeze it so that only their own steps move time.
 */
export class ShardClock {
  offsetMs = 0;
  private frozenAt: number | null = null;

  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  freeze(): void {
    this.frozenAt = Date.now();
  }

  thaw(): void {
    if (this.frozenAt !== null) this.offsetMs -= Date.now() - this.frozenAt;
    this.frozenAt = null;
  }
}
