/**
 * Flushes a shard's outbox to its sink: coalesced rows, in batches bounded by `maxBatch` rows and
 * `maxBatchBytes`, each with a `batchId`, removed only after the sink acknowledged them. One flush
 * runs at a time.
 *
 * - The sink unavailable: the flush stops, every row is kept, and the retry comes with backoff.
 * - The sink refusing a batch for good (a `SinkRefusal`): the batch is split in halves until the
 *   refused records stand alone; everything else is delivered. A refused record waits for the next
 *   flush, where it goes alone again; after `deadLetterAfter` refusals it moves to the dead letters
 *   with the sink's error. So one poisoned record never blocks the records behind it, and none is
 *   dropped silently.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import type { DeadLetterStore } from "./dead-letters.ts";
import { FlushSchedule } from "./flush-schedule.ts";
import type { Outbox, OutboxRecord } from "./outbox.ts";
import { SinkRefusal, type Sink } from "./sinks.ts";

export interface FlushOutcome {
  flushed: number;
  pending: number;
  /** Dead letters of the namespace after the flush. */
  deadLetters: number;
  /** The sink's error when this flush failed (rows kept for the retry). */
  error?: string;
}

/** The sink was unavailable: stop this flush, keep what is left. */
class SinkDown extends Error {}

interface Drain {
  namespace: string;
  config: WriteBehindConfig;
  sink: Sink;
  flushed: number;
  /** Records refused in this flush: not sent again before the next. */
  refused: Set<string>;
}

export class Flusher {
  private running: Promise<FlushOutcome> | undefined;
  /** When the next flush is due; the caller books it after writes and flushes (flush-schedule.ts). */
  readonly schedule: FlushSchedule;

  constructor(
    private readonly outbox: Outbox,
    private readonly deadLetters: DeadLetterStore,
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
    this.running = this.drain({ namespace, config, sink, flushed: 0, refused: new Set() });
    try {
      return await this.running;
    } finally {
      this.running = undefined;
      this.schedule.clear();
    }
  }

  private async drain(drain: Drain): Promise<FlushOutcome> {
    const { namespace, config } = drain;
    // Writes that land during the flush wait for the next one: a steady stream cannot keep a flush going.
    const upTo = this.outbox.newestVersion(namespace);
    try {
      for (;;) {
        const records = this.outbox.batch(namespace, upTo, config.maxBatch, config.maxBatchBytes);
        if (records.length === 0) break;
        await this.deliver(drain, records);
      }
      // Records refused by an earlier flush: each alone, once (a bounded number per flush).
      for (const id of this.outbox.refusedIds(namespace, upTo, config.maxBatch)) {
        if (drain.refused.has(idOf(id))) continue;
        const record = this.outbox.record(id);
        if (record) await this.deliver(drain, [record]);
      }
    } catch (error) {
      if (!(error instanceof SinkDown)) throw error;
      return {
        flushed: drain.flushed,
        pending: this.outbox.pending(),
        deadLetters: this.deadLetters.count(namespace),
        error: error.message,
      };
    }
    return { flushed: drain.flushed, pending: this.outbox.pending(), deadLetters: this.deadLetters.count(namespace) };
  }

  /** Sends `records`; on a refusal, each half on its own, down to the single records refused. */
  private async deliver(drain: Drain, records: OutboxRecord[]): Promise<void> {
    try {
      await drain.sink({ batchId: crypto.randomUUID(), records });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record({ failed: true, down: !(error instanceof SinkRefusal) });
      if (!(error instanceof SinkRefusal)) throw new SinkDown(message);
      if (records.length === 1) return this.refused(drain, records[0]!, message);
      const half = Math.ceil(records.length / 2);
      await this.deliver(drain, records.slice(0, half));
      await this.deliver(drain, records.slice(half));
      return;
    }
    this.transaction(() => {
      this.outbox.acknowledge(records);
      this.record({ failed: false, sent: records });
    });
    drain.flushed += records.length;
  }

  /** One more refusal of a record alone; the `deadLetterAfter`-th moves it to the dead letters. */
  private refused(drain: Drain, record: OutboxRecord, error: string): void {
    drain.refused.add(idOf(record));
    const dead = this.transaction(() => {
      const counted = this.outbox.refuse(record, error);
      if (counted === undefined || counted.refusals < drain.config.deadLetterAfter) return false;
      this.deadLetters.add(record, { bytes: counted.bytes, attempts: counted.refusals, error, now: Date.now() });
      this.outbox.remove(record);
      return true;
    });
    // A signal an operator can alert on; the key stays out of logs (like values, it may be personal data).
    const event = dead ? "write_behind_dead_letter" : "write_behind_record_refused";
    console.error(JSON.stringify({ level: "warn", event, namespace: drain.namespace, version: record.version, error }));
  }

  private record(result: { failed: true; down: boolean } | { failed: false; sent: OutboxRecord[] }): void {
    const stats = this.outbox.stats();
    if (result.failed) {
      stats.failedAttempts++;
      // Only an unavailable sink backs off; a refusal is an answer, and the sink is there.
      if (result.down) stats.consecutiveFailures++;
    } else {
      stats.flushed += result.sent.length;
      stats.lastFlushAt = Date.now();
      stats.consecutiveFailures = 0;
    }
    this.outbox.saveStats(stats);
  }
}

function idOf(record: { key: string; version: number }): string {
  return `${record.version}\u0000${record.key}`;
}
