/**
 * Flushes a shard's outbox to its sink: coalesced rows, in batches of `maxBatch`, each with a
 * `batchId`, removed only after the sink acknowledged them. A failed flush keeps every row and is
 * retried with exponential backoff and jitter; nothing is dropped. One flush runs at a time.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import type { Outbox, OutboxRecord } from "./outbox.ts";
import type { Sink } from "./sinks.ts";

const MAX_BACKOFF_MS = 5 * 60_000;

export interface FlushOutcome {
  flushed: number;
  pending: number;
  /** The sink's error when this flush failed (rows kept for the retry). */
  error?: string;
}

export class Flusher {
  private running: Promise<FlushOutcome> | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly transaction: <T>(work: () => T) => T,
  ) {}

  /** Flushes everything pending now (waiting for a flush already running, then going again). */
  async flush(namespace: string, config: WriteBehindConfig, sink: Sink): Promise<FlushOutcome> {
    while (this.running) await this.running.catch(() => {});
    this.running = this.drain(namespace, config, sink);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** When the next flush is due (on the caller's clock), or null when nothing is pending. */
  nextFlushAt(config: WriteBehindConfig, now: number): number | null {
    const pending = this.outbox.pendingUpTo(config.maxBatch);
    if (pending === 0) return null;
    const { consecutiveFailures } = this.outbox.stats();
    if (consecutiveFailures > 0) return now + backoffMs(config, consecutiveFailures);
    return pending >= config.maxBatch ? now : now + config.flushIntervalMs;
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

/** Exponential backoff with ±20 % jitter, starting at the flush interval (at most 1 s). */
function backoffMs(config: WriteBehindConfig, failures: number): number {
  const base = Math.min(1_000, config.flushIntervalMs);
  const delay = Math.min(MAX_BACKOFF_MS, base * 2 ** (failures - 1));
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
