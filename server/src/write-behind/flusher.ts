/**
 * Flushes a shard's outbox to its sink: coalesced rows, in batches of `maxBatch`, each with a
 * `batchId`, removed only after the sink acknowledged them. A failed flush keeps every row and is
 * retried with exponential backoff and jitter; nothing is dropped. One flush runs at a time.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import { FlushSchedule } from "./flush-schedule.ts";
import type { Outbox, OutboxRecord } from "./outbox.ts";
import type { Sink } from "./sinks.ts";

export interface FlushOutcome {
  flushed: number;
  pending: number;
  /** The sink's error when this flush failed (rows kept for the retry). */
  error?: string;
}

export class Flusher {
  private running: Promise<FlushOutcome> | undefined;
  /** When the next flush is due; the caller books it after writes and flushes (flush-schedule.ts). */
  readonly schedule: FlushSchedule;

  constructor(
    private readonly outbox: Outbox,
    private readonly transaction: <T>(work: () => T) => T,
  ) {
    this.schedule = new FlushSchedule(outbox);
  }

  /**
   * Flushes everything pending now (waiting for a flush already running, then going again).
   * The booking is cleared when the drain starts — writes landing meanwhile book the next
   * interval, not the spent booking's time — and again when it ends, so the caller books afresh
   * from the outcome (a failure books the backoff, not what those writes booked).
   */
  async flush(namespace: string, config: WriteBehindConfig, sink: Sink): Promise<FlushOutcome> {
    while (this.running) await this.running.catch(() => {});
    this.schedule.clear();
    this.running = this.drain(namespace, config, sink);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
      this.schedule.clear();
    }
  }

  private async drain(namespace: string, config: WriteBehindConfig, sink: Sink): Promise<FlushOutcome> {
    let flushed = 0;
    for (;;) {
      const records = this.outbox.batch(namespace, config.maxBatch);
      if (records.length === 0) break;
      try {
        await sink({ batchId: crypto.randomUUID(), records });
      } catch (error) {
        this.record({ failed: true });
        return { flushed, pending: this.outbox.pending(), error: (error as Error).message };
      }
      this.transaction(() => {
        this.outbox.acknowledge(records);
        this.record({ failed: false, sent: records });
      });
      flushed += records.length;
      if (records.length < config.maxBatch) break;
    }
    return { flushed, pending: this.outbox.pending() };
  }

  private record(result: { failed: true } | { failed: false; sent: OutboxRecord[] }): void {
    const stats = this.outbox.stats();
    if (result.failed) {
      stats.failedAttempts++;
      stats.consecutiveFailures++;
    } else {
      stats.flushed += result.sent.length;
      stats.lastFlushAt = Date.now();
      stats.consecutiveFailures = 0;
    }
    this.outbox.saveStats(stats);
  }
}
