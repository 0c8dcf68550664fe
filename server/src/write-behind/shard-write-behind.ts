/**
 * A shard's write-behind duties, wired to its storage, alarm and clock: the outbox the write
 * path fills, the flushes the alarm (or the `flush` procedure) runs, their booking, the dead
 * letters and what an admin does with them, and the statistics `stats` reports.
 */
import type { DeadLetterSelection, DeadLettersResult, NamespaceConfig, ReplayDeadLettersResult } from "@cache-sync/contracts";
import type { AlarmScheduler } from "../shard/alarm-scheduler.ts";
import type { Clock } from "../clock/clock.ts";
import { DeadLetterStore } from "./dead-letters.ts";
import { Flusher, type FlushOutcome } from "./flusher.ts";
import { Outbox } from "./outbox.ts";
import { sinkFor } from "./sinks.ts";

export interface ShardWriteBehindDeps {
  sql: SqlStorage;
  transaction: <T>(work: () => T) => T;
  scheduler: AlarmScheduler;
  clock: Clock;
  mainDb: D1Database;
  settings: (namespace: string) => NamespaceConfig;
}

export interface WriteBehindStats {
  pending: number;
  flushed: number;
  failedAttempts: number;
  lastFlushAt: number | null;
  consecutiveFailures: number;
  deadLetters: number;
}

export class ShardWriteBehind {
  readonly outbox: Outbox;
  private readonly deadLetters: DeadLetterStore;
  private readonly flusher: Flusher;

  constructor(private readonly deps: ShardWriteBehindDeps) {
    this.outbox = new Outbox(deps.sql);
    this.deadLetters = new DeadLetterStore(deps.sql);
    this.flusher = new Flusher(this.outbox, this.deadLetters, deps.transaction);
  }

  /** The alarm's duty: every namespace with pending rows whose flush is due is flushed. */
  async alarm(): Promise<void> {
    for (const namespace of this.outbox.namespaces()) {
      const ns = this.deps.settings(namespace);
      // The booking survives restarts (flush-schedule.ts), so a sweep alarm is not taken for a due flush.
      const notDueUntil = ns.writeBehind ? this.flusher.schedule.notDueUntil(ns.writeBehind, this.deps.clock.now()) : null;
      if (notDueUntil !== null) {
        await this.deps.scheduler.requestAt(this.realTime(notDueUntil));
        continue;
      }
      const outcome = await this.flush(namespace, ns);
      if (outcome.error) {
        console.error(
          JSON.stringify({ level: "warn", event: "write_behind_flush_failed", namespace, pending: outcome.pending, error: outcome.error }),
        );
      }
    }
  }

  /** Flushes the namespace's outbox now (the `flush` procedure, and the alarm when a flush is due). */
  async flush(namespace: string, ns: NamespaceConfig): Promise<FlushOutcome> {
    const config = ns.writeBehind;
    // Rows of a namespace whose write-behind was configured away are kept, never dropped.
    if (!config) return { flushed: 0, pending: this.outbox.pending(), deadLetters: this.deadLetters.count(namespace) };
    const outcome = await this.flusher.flush(namespace, config, sinkFor(config, this.deps.mainDb));
    await this.schedule(ns); // the flush spent its booking: book afresh from the outcome
    return outcome;
  }

  /**
   * Books the next flush: after `flushIntervalMs`, at once past `maxBatch`, or — while the sink is
   * failing — at the retry the backoff booked, which new writes do not move (flush-schedule.ts).
   */
  async schedule(ns: NamespaceConfig): Promise<void> {
    if (!ns.writeBehind) return;
    const at = this.flusher.schedule.book(ns.writeBehind, this.deps.clock.now());
    if (at !== null) await this.deps.scheduler.requestAt(this.realTime(at));
  }

  listDeadLetters(namespace: string, limit: number): DeadLettersResult {
    return { total: this.deadLetters.count(namespace), deadLetters: this.deadLetters.list(namespace, limit) };
  }

  /**
   * Puts the selected dead letters back in the outbox, to be flushed (and counted) afresh. One
   * whose key has a newer write pending — or a newer dead letter replayed with it — is superseded:
   * the newer write replaces it in the main database anyway.
   */
  async replayDeadLetters(selection: DeadLetterSelection, ns: NamespaceConfig): Promise<ReplayDeadLettersResult> {
    const result = this.deps.transaction(() => {
      const counts = { replayed: 0, superseded: 0 };
      for (const record of this.deadLetters.take(selection).reverse()) {
        const pending = this.outbox.pendingFor(record.key);
        if (pending !== undefined && pending.version >= record.version) counts.superseded++;
        else {
          this.outbox.restore(record);
          counts.replayed++;
        }
      }
      return counts;
    });
    await this.schedule(ns);
    return result;
  }

  dropDeadLetters(selection: DeadLetterSelection): { dropped: number } {
    return { dropped: this.deps.transaction(() => this.deadLetters.take(selection).length) };
  }

  stats(): WriteBehindStats {
    return { pending: this.outbox.pending(), ...this.outbox.stats(), deadLetters: this.deadLetters.count() };
  }

  /** Alarms run on the real clock; the shard clock may be ahead of it (tests move it). */
  private realTime(shardTime: number): number {
    return shardTime - this.deps.clock.offsetMs;
  }
}
