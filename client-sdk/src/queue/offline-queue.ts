/**
 * The offline queue: mutations that could not reach the server wait here, persisted one record
 * each in a storage that several clients (tabs, processes) may share. The client holding the
 * storage's writer lock replays every entry, one at a time, in order, each with its own
 * idempotency key; the others follow the storage and settle their own entries from the results
 * it records. It also owns the connection status, since "are we online" is learnt from the same calls.
 */
import { CacheError } from "../errors/cache-error.ts";
import type { NetworkSignals } from "../network/network-signals.ts";
import type { DeadLetter, QueuedMutation, QueueRecord, QueueStorage } from "../storage/queue-storage.ts";
import { backoffDelay, type BackoffOptions } from "../util/backoff.ts";
import { newClientId, sequencer } from "./entry-seq.ts";
import type { CacheEvent, ConnectionStatus } from "./events.ts";
import { expiredError, type ExpiryOptions } from "./expiry.ts";
import { deadLetterRecord, mutationRecord, queueFull, resultRecord, storageFailed, WRITER_LOCK_LOST } from "./queue-records.ts";
import { QueueView, type MutationRecord } from "./queue-view.ts";
import { QueueWrites } from "./queue-writes.ts";
import { StorageFollower } from "./storage-follower.ts";
import { WriterRole } from "./writer-role.ts";

export interface OfflineQueueOptions extends ExpiryOptions {
  storage: QueueStorage;
  /** Sends one mutation (with its timeout); throws a CacheError on failure. */
  send: (mutation: QueuedMutation) => Promise<unknown>;
  /** Cheap reachability check used before replaying after a failure. */
  probe: () => Promise<boolean>;
  network: NetworkSignals | undefined;
  retry: BackoffOptions;
  emit: (event: CacheEvent) => void;
  /** How many mutations the storage may hold; more reject with QUEUE_FULL. */
  maxQueued: number;
}

export class OfflineQueue {
  status: ConnectionStatus = "online";
  /** Resolves once the stored queue is listed; every operation waits for it. */
  readonly ready: Promise<void>;
  readonly view = new QueueView();
  private readonly clientId = newClientId();
  private readonly nextSeq = sequencer(this.clientId);
  private readonly follower: StorageFollower;
  private writer: WriterRole | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly writes: QueueWrites;
  private enqueuing = 0;
  private lastPending = 0;
  private readonly stopWatchingNetwork: () => void;

  constructor(private readonly options: OfflineQueueOptions) {
    this.stopWatchingNetwork = options.network?.onChange((online) => (online ? this.retryNow() : this.setStatus("offline"))) ?? (() => {});
    if (options.network && !options.network.isOnline()) this.status = "offline";
    this.writes = new QueueWrites(options.storage, this.view, options.emit);
    const { storage, emit } = options;
    this.follower = new StorageFollower({ storage, emit, view: this.view, clientId: this.clientId, onChange: () => this.afterChange() });
    this.ready = this.follower.refresh().then(() => {
      if (this.closed) return;
      this.follower.watch();
      this.writer = new WriterRole({
        storage: options.storage,
        onAcquired: () => void this.follower.refresh().then(() => this.drain()),
        onLost: () => this.options.emit({ type: "storage-error", error: new Error(WRITER_LOCK_LOST) }),
        onError: (error) => this.options.emit({ type: "storage-error", error }),
      });
    });
  }

  get mutations(): readonly QueuedMutation[] {
    return this.view.mutations;
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.view.deadLetters;
  }

  get pending(): number {
    return this.view.pending.length;
  }

  /** True when a new mutation must wait its turn (order) or cannot be sent (offline). */
  get mustQueue(): boolean {
    return this.view.pending.length > 0 || this.enqueuing > 0 || this.status === "offline";
  }

  private get isWriter(): boolean {
    return this.writer?.isWriter === true && !this.closed;
  }

  /**
   * Saves a mutation as one record; resolves once it is stored. `applied` settles when it reaches
   * the server (replayed by whichever client holds the lock). Rejects with QUEUE_FULL at the bound
   * and QUEUE_STORAGE_FAILED when the storage refused it: then nothing was queued.
   */
  async enqueue(mutation: QueuedMutation): Promise<{ applied: Promise<unknown> }> {
    await this.ready;
    if (this.view.pending.length + this.enqueuing >= this.options.maxQueued) {
      throw queueFull(this.options.maxQueued);
    }
    const seq = this.nextSeq(mutation.queuedAt);
    const record = mutationRecord(seq, this.clientId, mutation);
    this.enqueuing++;
    try {
      await this.writes.save({ put: [record] });
    } catch (error) {
      throw storageFailed("the offline queue could not save the mutation, so it is not queued", error);
    } finally {
      this.enqueuing--;
    }
    const applied = this.follower.expect(seq, mutation);
    applied.catch(() => {}); // the caller may ignore it; the dead-letter list and event still report the failure
    this.view.applyLocal({ put: [record] });
    this.follower.settleFromStorage(seq); // a writer may have replayed it already, before we listened
    this.afterChange();
    return { applied };
  }

  /** A call failed for want of a connection: go offline and start probing for the way back. */
  noteUnreachable(retryAfterMs?: number): void {
    this.setStatus("offline");
    this.scheduleRetry(retryAfterMs);
  }

  /** A call got an answer: we are online (and a waiting queue can go). */
  noteReachable(): void {
    // The backoff is not reset here: an answered read says nothing about whether replays get through
    // (429 and 503 may refuse writes only); a replay that succeeds resets it.
    if (this.status === "offline") {
      this.setStatus(this.view.pending.length > 0 ? "syncing" : "online");
      void this.drain();
    }
  }

  /** Replays now (skipping the backoff wait) and resolves when the storage holds no pending entry. */
  async sync(signal?: AbortSignal): Promise<void> {
    await this.ready;
    if (this.view.pending.length === 0 && this.enqueuing === 0) return;
    const idle = this.follower.idle(signal);
    this.retryNow();
    return idle;
  }

  async clearDeadLetters(): Promise<void> {
    await this.ready;
    const batch = { remove: this.view.deadLetterRecords.map((record) => record.key) };
    try {
      await this.writes.save(batch);
    } catch (error) {
      throw storageFailed("the dead letters could not be removed", error);
    }
    this.view.applyLocal(batch);
    this.afterChange();
  }

  /**
   * Stops timers and watching, lets a replay in flight finish recording its result (so the next
   * writer does not send it again), then releases the lock. The stored queue stays for the next client.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.stopWatchingNetwork();
    this.follower.close();
    await this.ready.catch(() => {});
    await this.draining;
    await this.writes.settled();
    await this.writer?.close();
  }

  /** Someone changed the storage (or we did): statuses, idle waiters and replay follow. */
  private afterChange(): void {
    const pending = this.view.pending.length;
    const progressed = pending < this.lastPending;
    if (pending !== this.lastPending) this.options.emit({ type: "pending", pending: (this.lastPending = pending) });
    if (progressed && this.status === "offline" && !this.isWriter && this.options.network?.isOnline() !== false) {
      // The writer got entries through, so the server is reachable from here too.
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.setStatus(pending > 0 ? "syncing" : "online");
    }
    if (pending === 0 && this.status === "syncing") this.setStatus("online");
    if (pending > 0 && this.status === "online" && !this.isWriter) this.setStatus("syncing"); // the writer replays them
    if (pending === 0 && this.enqueuing === 0) this.follower.resolveIdle();
    if (pending > 0 && this.status !== "offline") void this.drain();
  }

  private retryNow(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.attempt = 0;
    if (this.status === "offline" && !this.isWriter) void this.probeAndDrain();
    else void this.follower.refresh().then(() => this.drain());
  }

  private scheduleRetry(retryAfterMs = 0): void {
    if (this.closed || this.timer !== undefined) return;
    const delay = Math.max(backoffDelay(this.attempt++, this.options.retry), retryAfterMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probeAndDrain();
    }, delay);
    // Node: a pending retry must not keep a finished process alive; the queue is persisted anyway.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async probeAndDrain(): Promise<void> {
    if (this.options.network && !this.options.network.isOnline()) return; // the `online` event wakes us
    // A healthy probe resumes replaying but keeps the backoff: an overloaded server answers /health
    // and still refuses the replay, and resetting here would retry it at the first delay forever.
    if (await this.options.probe()) {
      if (this.view.pending.length === 0) this.setStatus("online");
      else if (!this.isWriter) this.setStatus("syncing");
      void this.drain();
    } else this.scheduleRetry();
  }

  /** Replays while this client is the writer; one run at a time. */
  private drain(): Promise<void> {
    if (this.draining || this.closed || !this.isWriter) return this.draining ?? Promise.resolve();
    if (this.options.network && !this.options.network.isOnline()) {
      this.setStatus("offline");
      return Promise.resolve();
    }
    return (this.draining = this.replay().finally(() => (this.draining = undefined)));
  }

  private async replay(): Promise<void> {
    await this.ready;
    let listedAtEnd = false;
    while (!this.closed && this.isWriter) {
      if (!(await this.writes.saveUnsaved())) return this.scheduleRetry(); // the storage, not the server, is failing
      const leftovers = this.view.done; // replayed before a crash, removal not saved yet
      if (leftovers.length > 0) await this.writes.record({ remove: [...leftovers] });
      const next = this.view.pending[0];
      if (!next) {
        if (listedAtEnd) break;
        listedAtEnd = true; // one more look, for entries other clients added that we were not told about
        await this.follower.refresh();
        continue;
      }
      listedAtEnd = false;
      this.setStatus("syncing");
      const expired = expiredError(next.mutation, this.options);
      if (expired) {
        await this.deadLetter(next, expired);
        continue;
      }
      let result: unknown;
      try {
        result = await this.options.send(next.mutation);
      } catch (error) {
        const failure =
          error instanceof CacheError ? error : new CacheError({ code: "NETWORK_ERROR", message: String(error), cause: error });
        if (failure.retryable) return this.noteUnreachable(failure.retryAfterMs);
        await this.deadLetter(next, failure);
        continue;
      }
      this.attempt = 0; // it got through: a later outage starts again from the first delay
      await this.acknowledge(next, result);
    }
    if (!this.closed && this.isWriter && this.view.pending.length === 0) {
      await this.writes.forgetOldResults();
      // The platform may have gone offline while this replay ran; its `offline` event already set the status.
      if (this.options.network?.isOnline() !== false) this.setStatus("online");
      this.follower.resolveIdle();
    }
  }

  /** Removes a replayed entry; another client's entry leaves its result for that client to read. */
  private async acknowledge(entry: MutationRecord, result: unknown): Promise<void> {
    const own = entry.clientId === this.clientId;
    const put: QueueRecord[] = own ? [] : [resultRecord(entry, result)];
    // Taken before the removal is recorded, so no listing in between takes the entry for lost.
    const waiter = own ? this.follower.take(entry.seq) : undefined;
    await this.writes.record({ put, remove: [entry.key] });
    this.options.emit({ type: "applied", mutation: entry.mutation, result });
    waiter?.resolve(result);
    this.afterChange(); // after the event: a `sync()` it ends resolves once listeners heard of every entry
  }

  private async deadLetter(entry: MutationRecord, error: CacheError): Promise<void> {
    const deadLetter: DeadLetter = { mutation: entry.mutation, error: error.toJSON(), failedAt: Date.now() };
    const waiter = entry.clientId === this.clientId ? this.follower.take(entry.seq) : undefined;
    await this.writes.record({ put: [deadLetterRecord(entry, deadLetter)], remove: [entry.key] });
    this.options.emit({ type: "dead-letter", deadLetter });
    waiter?.reject(error);
    this.afterChange();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.emit({ type: "status", status });
  }
}
