/**
 * When a shard's next write-behind flush is due. The booking is kept in the shard's SQLite (meta),
 * so a restart knows it: without it, the first alarm after a restart — often just an expiry
 * sweep — would flush at once, cutting coalescing short and, during an outage, retrying a down
 * sink far sooner than its backoff allows (Durable Objects are evicted often, so this is common).
 * Times are on the shard's clock.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import type { Outbox } from "./outbox.ts";

const MAX_BACKOFF_MS = 5 * 60_000;
const JITTER = 0.2;

export class FlushSchedule {
  /** The persisted booking, read once; null when none. */
  private cached: number | null | undefined;

  constructor(private readonly outbox: Outbox) {}

  /**
   * Books the next flush after a write or a flush and returns it (null: nothing pending).
   * Healthy: `flushIntervalMs` after the first pending write, or now once `maxBatch` rows are
   * pending; never later than a flush already booked.
   * Failing (the last attempt failed): the retry booked from the backoff stands, and new writes —
   * even `maxBatch` of them — neither move it earlier nor later. Booking "now + backoff" afresh on
   * every write (with fresh jitter) would drift the retry toward the low end of the jitter and, in
   * a burst of writes, retry a sink that is down sooner than the backoff promised; an early
   * flush at `maxBatch` would do the same. The outbox is durable SQLite, so rows piling up cost
   * nothing but delay; an operator who knows the sink is back can call the `flush` procedure.
   */
  book(config: WriteBehindConfig, now: number): number | null {
    // Rows the sink refused do not fill a batch (they go alone, once per flush), but they are owed a flush.
    const pending = this.outbox.pendingUpTo(config.maxBatch);
    if (pending === 0 && this.outbox.pending() === 0) {
      this.save(null);
      return null;
    }
    const booked = this.trusted(config, now);
    const { consecutiveFailures } = this.outbox.stats();
    let at: number;
    if (consecutiveFailures > 0) at = booked ?? now + backoffMs(config, consecutiveFailures);
    else {
      const next = pending >= config.maxBatch ? now : now + config.flushIntervalMs;
      at = booked === null ? next : Math.min(booked, next);
    }
    this.save(at);
    return at;
  }

  /** The booked time while the flush is not due yet at `now`; null when it is due (or nothing usable is booked). */
  notDueUntil(config: WriteBehindConfig, now: number): number | null {
    const booked = this.trusted(config, now);
    return booked !== null && now < booked ? booked : null;
  }

  /** A flush is starting or has ended: the booking it served is spent, and the next is booked afresh. */
  clear(): void {
    this.save(null);
  }

  /**
   * The booking, unless it lies further off than any wait this policy books: then it was booked on
   * a clock that is not this one (the clock moved back, or a test's clock lead was lost in a
   * restart), and rows must not wait on it. Flushing at once is the safe answer.
   */
  private trusted(config: WriteBehindConfig, now: number): number | null {
    if (this.cached === undefined) this.cached = this.outbox.flushDueAt();
    const booked = this.cached;
    return booked !== null && booked - now <= longestWaitMs(config) ? booked : null;
  }

  private save(at: number | null): void {
    if (this.cached === undefined) this.cached = this.outbox.flushDueAt();
    if (this.cached === at) return; // most writes leave the booking as it is: no extra SQL write
    this.cached = at;
    this.outbox.saveFlushDueAt(at);
  }
}

/** Exponential backoff with ±20 % jitter, starting at the flush interval (at most 1 s). */
export function backoffMs(config: WriteBehindConfig, failures: number): number {
  const base = Math.min(1_000, config.flushIntervalMs);
  const delay = Math.min(MAX_BACKOFF_MS, base * 2 ** (failures - 1));
  return Math.round(delay * (1 - JITTER + Math.random() * 2 * JITTER));
}

function longestWaitMs(config: WriteBehindConfig): number {
  return Math.max(config.flushIntervalMs, Math.ceil(MAX_BACKOFF_MS * (1 + JITTER)));
}
