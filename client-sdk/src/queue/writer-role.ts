/**
 * Who replays: the client holding the storage's writer lock. This loop waits for the lock, holds it
 * until the client closes (or the lock is lost), and waits again; storages without a lock make
 * their client the writer at once.
 */
import type { QueueLock, QueueStorage } from "../storage/queue-storage.ts";

export interface WriterRoleOptions {
  storage: QueueStorage;
  /** This client now holds the lock: it replays. */
  onAcquired: () => void;
  /** This client lost the lock (taken over as presumed dead): it must stop replaying. */
  onLost: () => void;
  /** Taking the lock failed for another reason (e.g. a file system error); retried after a pause. */
  onError: (error: unknown) => void;
}

const RETRY_AFTER_ERROR_MS = 1_000;

export class WriterRole {
  private lock: QueueLock | undefined;
  private held = false;
  private readonly stop = new AbortController();
  private readonly running: Promise<void>;

  constructor(private readonly options: WriterRoleOptions) {
    this.running = this.run();
  }

  get isWriter(): boolean {
    return this.held && !this.lock?.lost.aborted;
  }

  /** Stops waiting and releases the lock. */
  async close(): Promise<void> {
    this.stop.abort(new Error("the client was closed"));
    await this.running;
    this.held = false;
    await this.lock?.release().catch(() => {});
    this.lock = undefined;
  }

  private async run(): Promise<void> {
    const { storage } = this.options;
    if (!storage.lock) {
      this.held = true;
      return this.options.onAcquired();
    }
    while (!this.stop.signal.aborted) {
      let lock: QueueLock;
      try {
        lock = await storage.lock(this.stop.signal);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.options.onError(error);
        await this.pause(RETRY_AFTER_ERROR_MS);
        continue;
      }
      this.lock = lock;
      this.held = true;
      if (this.stop.signal.aborted) return; // close() releases it
      this.options.onAcquired();
      await this.until(lock.lost);
      if (this.stop.signal.aborted) return;
      this.held = false;
      this.lock = undefined;
      this.options.onLost();
    }
  }

  /** Resolves when `signal` aborts or the client closes. */
  private until(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || this.stop.signal.aborted) return resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      this.stop.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      (timer as { unref?: () => void }).unref?.();
      this.stop.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
