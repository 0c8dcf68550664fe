/**
 * Following the shared storage: re-list it when it changes (the adapter's `watch`, else polling),
 * and settle this client's own entries once the writer recorded their result or dead letter.
 */
import { CacheError } from "../errors/cache-error.ts";
import { recordKey, type QueuedMutation, type QueueStorage } from "../storage/queue-storage.ts";
import type { CacheEvent } from "./events.ts";
import type { QueueView } from "./queue-view.ts";

export interface Waiter {
  mutation: QueuedMutation;
  resolve: (result: unknown) => void;
  reject: (error: CacheError) => void;
}

export interface StorageFollowerOptions {
  storage: QueueStorage;
  view: QueueView;
  clientId: string;
  emit: (event: CacheEvent) => void;
  /** The view changed. */
  onChange: () => void;
}

/** Polling interval for adapters that cannot tell us about changes. */
const POLL_MS = 500;
const NOTICE_DELAY_MS = 25;

export class StorageFollower {
  /** This client's entries whose promise has not settled, by seq. */
  private readonly waiters = new Map<string, Waiter>();
  private readonly idleWaiters = new Set<() => void>();
  private refreshing: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private stopWatching: () => void = () => {};

  constructor(private readonly options: StorageFollowerOptions) {}

  /** Starts following other clients' writes. */
  watch(): void {
    const { storage } = this.options;
    if (storage.watch) {
      // Notices come per write: a burst of them (a writer replaying, a client queueing a batch)
      // makes one listing every NOTICE_DELAY_MS, not one per write.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = storage.watch(() => {
        if (timer !== undefined || this.closed) return;
        timer = setTimeout(() => {
          timer = undefined;
          void this.refresh();
        }, NOTICE_DELAY_MS);
        (timer as { unref?: () => void }).unref?.();
      });
      this.stopWatching = () => {
        stop();
        if (timer !== undefined) clearTimeout(timer);
      };
      return;
    }
    const timer = setInterval(() => void this.refresh(), POLL_MS);
    (timer as { unref?: () => void }).unref?.();
    this.stopWatching = () => clearInterval(timer);
  }

  close(): void {
    this.closed = true;
    this.stopWatching();
  }

  /** Lists the storage into the view (one listing at a time; a call during one runs another after it). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    return (this.refreshing = (async () => {
      do {
        this.again = false;
        const startedAt = this.options.view.listingStarts();
        try {
          this.options.view.applyListing(startedAt, await this.options.storage.list());
        } catch (error) {
          this.options.emit({ type: "storage-error", error });
          return;
        }
        this.settleFromStorage();
        this.options.onChange();
      } while (this.again && !this.closed);
    })().finally(() => (this.refreshing = undefined)));
  }

  /** A promise for this client's entry `seq` (already stored), settled when it is applied or dead-lettered. */
  expect(seq: string, mutation: QueuedMutation): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => this.waiters.set(seq, { mutation, resolve, reject }));
  }

  /** Hands the waiter of `seq` to the writer settling it itself (undefined when nobody waits). */
  take(seq: string): Waiter | undefined {
    const waiter = this.waiters.get(seq);
    this.waiters.delete(seq);
    return waiter;
  }

  /** Resolves when no entry is pending; rejects when `signal` aborts first. */
  idle(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.idleWaiters.delete(done);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.idleWaiters.add(done);
    });
  }

  resolveIdle(): void {
    for (const idle of this.idleWaiters) idle();
    this.idleWaiters.clear();
  }

  /**
   * Our entries the writer (another client) finished: a result resolves the promise and the record
   * is removed (it was kept for us); a dead letter rejects it. An entry gone without either was
   * removed by someone else (storage cleared): its promise must not hang.
   */
  settleFromStorage(only?: string): void {
    const { view, storage, emit } = this.options;
    const read: string[] = [];
    const waiting = only === undefined ? [...this.waiters] : this.waiters.has(only) ? [[only, this.waiters.get(only)!] as const] : [];
    for (const [seq, waiter] of waiting) {
      const result = view.get(recordKey("result", seq));
      const deadLetter = view.get(recordKey("dead-letter", seq));
      const entry = view.get(recordKey("mutation", seq));
      if (result?.kind === "result") {
        this.waiters.delete(seq);
        read.push(result.key);
        emit({ type: "applied", mutation: waiter.mutation, result: result.result });
        waiter.resolve(result.result);
      } else if (deadLetter?.kind === "dead-letter") {
        this.waiters.delete(seq);
        emit({ type: "dead-letter", deadLetter: deadLetter.deadLetter });
        waiter.reject(new CacheError(deadLetter.deadLetter.error));
      } else if (!entry) {
        this.waiters.delete(seq);
        waiter.reject(
          new CacheError({
            code: "QUEUE_STORAGE_FAILED",
            message: "the queued mutation left the storage without a result (the storage was cleared)",
          }),
        );
      }
    }
    if (read.length === 0) return;
    const batch = { remove: read };
    storage.write(batch).then(
      () => view.applyLocal(batch),
      (error: unknown) => emit({ type: "storage-error", error }),
    );
  }
}
