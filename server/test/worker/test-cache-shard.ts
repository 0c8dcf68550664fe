/**
 * The CacheShard the workerd tests run: the production class, given a clock the tests move,
 * a refresh-ahead coin they can fix, and a load coalescer they can watch and await (partyserver's pattern:
 * fixtures live in a test Worker that subclasses the objects, not in the shipped classes).
 */
import { CacheShard } from "../../src/shard/cache-shard.ts";
import type { CacheEntry } from "../../src/shard/entry.ts";
import type { ShardCache } from "../../src/shard/shard-cache.ts";
import { TestClock } from "./test-clock.ts";
import { WatchedCoalescer } from "./watched-coalescer.ts";

export class TestCacheShard extends CacheShard {
  declare readonly clock: TestClock;
  /** The shard's logic, for tests that read its stats or drive it directly. */
  declare readonly cache: ShardCache;
  private readonly coin: { next: () => number };
  private readonly loads: WatchedCoalescer<CacheEntry>;

  constructor(ctx: DurableObjectState, env: Env) {
    const coin = { next: Math.random };
    const loads = new WatchedCoalescer<CacheEntry>();
    super(ctx, env, { clock: new TestClock(), random: () => coin.next(), loads });
    this.coin = coin;
    this.loads = loads;
  }

  /** The refresh-ahead coin (uniform in [0, 1)); tests fix it. */
  set random(next: () => number) {
    this.coin.next = next;
  }

  /** Origin loads running now: tests wait for it to drop instead of sleeping. */
  get loadsInFlight(): number {
    return this.loads.size;
  }

  /** Resolves once no origin load is running (a background refresh included). */
  loadsSettled(): Promise<void> {
    return this.loads.settled();
  }

  /** Failed loads the coalescer remembers now (bounded: load-coalescer.ts). */
  get failuresRemembered(): number {
    return this.loads.failuresRemembered;
  }
}
