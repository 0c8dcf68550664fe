/**
 * The offline queue: mutations that could not reach the server wait here, persisted, and are
 * replayed one at a time, in order, each with its own idempotency key so the server applies it
 * once however often it is sent. It also owns the connection status, since "are we online" is
 * learnt from the same calls.
 */
import { CacheError } from "../errors/cache-error.ts";
import type { NetworkSignals } from "../network/network-signals.ts";
import { emptyQueueState, type DeadLetter, type QueuedMutation, type QueueState, type QueueStorage } from "../storage/queue-storage.ts";
import { backoffDelay, type BackoffOptions } from "../util/backoff.ts";
import type { CacheEvent, ConnectionStatus } from "./events.ts";

export interface OfflineQueueOptions {
  storage: QueueStorage;
  /** Sends one mutation (with its timeout); throws a CacheError on failure. */
  send: (mutation: QueuedMutation) => Promise<unknown>;
  /** Cheap reachability check used before replaying after a failure. */
  probe: () => Promise<boolean>;
  network: NetworkSignals | undefined;
  retry: BackoffOptions;
  emit: (event: CacheEvent) => void;
}

interface Waiter {
  resolve: (result: unknown) => void;
  reject: (error: CacheError) => void;
}

export class OfflineQueue {
  status: ConnectionStatus = "online";
  /** Resolves once the persisted queue is loaded; every operation waits for it. */
  readonly ready: Promise<void>;
  private state: QueueState = emptyQueueState();
  private readonly waiters = new Map<string, Waiter>();
  private readonly idleWaiters = new Set<() => void>();
  private draining = false;
  private closed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly stopWatching: () => void;

  constructor(private readonly options: OfflineQueueOptions) {
    this.stopWatching = options.network?.onChange((online) => (online ? this.retryNow() : this.setStatus("offline"))) ?? (() => {});
    if (options.network && !options.network.isOnline()) this.status = "offline";
    this.ready = this.load();
  }

  get mutations(): readonly QueuedMutation[] {
    return this.state.mutations;
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.state.deadLetters;
  }

  /** True when a new mutation must wait its turn (order) or cannot be sent (offline). */
  get mustQueue(): boolean {
    return this.state.mutations.length > 0 || this.status === "offline";
  }

  /** Adds a mutation; resolves once it is persisted. `applied` settles when it reaches the server. */
  async enqueue(mutation: QueuedMutation): Promise<{ applied: Promise<unknown> }> {
    await this.ready;
    const applied = new Promise<unknown>((resolve, reject) => this.waiters.set(mutation.id, { resolve, reject }));
    applied.catch(() => {}); // the caller may ignore it; the dead-letter list and event still report the failure
    this.state.mutations.push(mutation);
    this.options.emit({ type: "pending", pending: this.state.mutations.length });
    await this.persist();
    if (this.status !== "offline") void this.drain();
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
      this.setStatus(this.state.mutations.length > 0 ? "syncing" : "online");
      void this.drain();
    }
  }

  /** Replays now (skipping the backoff wait) and resolves when the queue is empty. */
  async sync(signal?: AbortSignal): Promise<void> {
    await this.ready;
    if (this.state.mutations.length === 0) return;
    const idle = new Promise<void>((resolve, reject) => {
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
    this.retryNow();
    return idle;
  }

  clearDeadLetters(): Promise<void> {
    this.state.deadLetters = [];
    return this.persist();
  }

  /** Stops timers and listeners; the persisted queue stays for the next client. Waits for the last save. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.stopWatching();
    await this.saving;
  }

  private async load(): Promise<void> {
    try {
      const loaded = await this.options.storage.load();
      // Mutations enqueued before the load finished (none: enqueue awaits ready) would go last.
      if (loaded) this.state = loaded;
    } catch (error) {
      this.options.emit({ type: "storage-error", error });
    }
    if (this.state.mutations.length > 0) {
      this.options.emit({ type: "pending", pending: this.state.mutations.length });
      if (this.status !== "offline") queueMicrotask(() => void this.drain());
    }
  }

  private retryNow(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.attempt = 0;
    void this.drain();
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
      if (this.state.mutations.length === 0) this.setStatus("online");
      void this.drain();
    } else this.scheduleRetry();
  }

  private async drain(): Promise<void> {
    if (this.draining || this.closed) return;
    if (this.options.network && !this.options.network.isOnline()) return this.setStatus("offline");
    this.draining = true;
    try {
      await this.ready;
      while (this.state.mutations.length > 0 && !this.closed) {
        this.setStatus("syncing");
        const mutation = this.state.mutations[0]!;
        let result: unknown;
        try {
          result = await this.options.send(mutation);
        } catch (error) {
          const failure = error instanceof CacheError ? error : new CacheError({ code: "NETWORK_ERROR", message: String(error), cause: error });
          if (failure.retryable) return this.noteUnreachable(failure.retryAfterMs);
          await this.deadLetter(mutation, failure);
          continue;
        }
        this.attempt = 0; // it got through: a later outage starts again from the first delay
        this.state.mutations.shift();
        await this.persist();
        this.options.emit({ type: "pending", pending: this.state.mutations.length });
        this.options.emit({ type: "applied", mutation, result });
        this.settle(mutation.id, (w) => w.resolve(result));
      }
      if (!this.closed) this.setStatus("online");
      for (const idle of this.idleWaiters) idle();
      this.idleWaiters.clear();
    } finally {
      this.draining = false;
    }
  }

  private async deadLetter(mutation: QueuedMutation, error: CacheError): Promise<void> {
    const deadLetter: DeadLetter = { mutation, error: error.toJSON(), failedAt: Date.now() };
    this.state.mutations.shift();
    this.state.deadLetters.push(deadLetter);
    await this.persist();
    this.options.emit({ type: "pending", pending: this.state.mutations.length });
    this.options.emit({ type: "dead-letter", deadLetter });
    this.settle(mutation.id, (w) => w.reject(error));
  }

  private settle(id: string, action: (waiter: Waiter) => void): void {
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    if (waiter) action(waiter);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.emit({ type: "status", status });
  }

  /** Saves are chained so they never overlap; each writes the state as it is when it runs. */
  private persist(): Promise<void> {
    this.saving = this.saving.then(async () => {
      try {
        await this.options.storage.save(this.state);
      } catch (error) {
        this.options.emit({ type: "storage-error", error });
      }
    });
    return this.saving;
  }
}
