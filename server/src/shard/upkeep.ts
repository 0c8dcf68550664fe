/**
 * A shard's upkeep, driven by its one alarm: the expiry sweep (entries, idempotency records, job
 * memos) and its booking, the write-behind flush that is due, and the statistics kept across
 * restarts (counters and the latency histogram, written back at most every few seconds).
 */
import type { Clock } from "../clock/clock.ts";
import { CounterStore } from "../metrics/counter-store.ts";
import { record, type HistogramCounts } from "../metrics/latency-histogram.ts";
import type { ShardCounters } from "../metrics/shard-metrics.ts";
import type { ShardWriteBehind } from "../write-behind/shard-write-behind.ts";
import type { AlarmScheduler } from "./alarm-scheduler.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import type { JobMemoStore } from "./job-memo-store.ts";
import type { Tiers } from "./tiers.ts";

/** Sweeps run at most this often, however many entries expire in between. */
export const SWEEP_SPACING_MS = 30_000;
const SWEEP_BATCH = 1_000;

export interface UpkeepDeps {
  sql: SqlStorage;
  transaction: <T>(work: () => T) => T;
  scheduler: AlarmScheduler;
  clock: Clock;
  tiers: Tiers;
  idempotency: IdempotencyStore;
  jobMemos: JobMemoStore;
  writeBehind: Pick<ShardWriteBehind, "alarm">;
  /** The shard's counters and latency histogram: restored from SQLite here, and saved back. */
  counters: ShardCounters;
  latency: HistogramCounts;
}

export class Upkeep {
  private readonly counterStore: CounterStore;

  constructor(private readonly deps: UpkeepDeps) {
    this.counterStore = new CounterStore(deps.sql);
    this.counterStore.restore(deps.counters, deps.latency);
  }

  /** A read ended: its latency goes into the histogram, and the counters are saved if the last save is old. */
  readDone(startedAt: number): void {
    record(this.deps.latency, Date.now() - startedAt);
    this.counterStore.save(this.deps.counters, this.deps.latency);
  }

  /** The alarm's duties: the expiry sweep, then any write-behind flush that is due. */
  async alarm(): Promise<void> {
    this.counterStore.save(this.deps.counters, this.deps.latency, { force: true });
    await this.sweep();
    await this.deps.writeBehind.alarm();
  }

  /** The alarm's duty: drop expired entries and idempotency records, then book the next sweep. */
  async sweep(): Promise<{ swept: number }> {
    const { scheduler, tiers, idempotency, jobMemos } = this.deps;
    scheduler.fired();
    const now = this.deps.clock.now();
    const keys = this.deps.transaction(() => {
      const keys = tiers.store.sweepExpired(now, SWEEP_BATCH);
      idempotency.sweep(now);
      jobMemos.sweep(now);
      return keys;
    });
    tiers.swept(keys);
    if (keys.length === SWEEP_BATCH) await scheduler.requestAt(Date.now() + 1);
    else {
      const next = [tiers.store.nextExpiry(), idempotency.nextExpiry(), jobMemos.nextExpiry()].reduce(minDefined, null);
      if (next !== null) await this.scheduleSweep(next);
    }
    return { swept: keys.length };
  }

  /**
   * The alarm runs on the real clock, at most every SWEEP_SPACING_MS; the shard clock's offset
   * (moved by tests) is taken off so a sweep is due when the shard thinks the entry expired.
   */
  scheduleSweep(expiresAt: number): Promise<void> {
    const realTime = expiresAt - this.deps.clock.offsetMs;
    return this.deps.scheduler.requestAt(Math.max(realTime, Date.now() + SWEEP_SPACING_MS));
  }
}

function minDefined(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
