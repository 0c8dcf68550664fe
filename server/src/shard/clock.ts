/** The shard's clock. Tests move it forward (through `runInDurableObject`) instead of sleeping. */
export class ShardClock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
