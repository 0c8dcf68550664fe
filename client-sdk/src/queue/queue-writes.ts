/**
 * This client's writes to the shared storage, one after another (its entries reach the storage in
 * the order it queued them), each applied to the view once saved.
 */
import type { QueueStorage, QueueWriteBatch } from "../storage/queue-storage.ts";
import type { CacheEvent } from "./events.ts";
import type { QueueView } from "./queue-view.ts";

/** How long a result waits for the client that queued the entry (it may never come back). */
const RESULT_RETENTION_MS = 24 * 3_600_000;

export class QueueWrites {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: QueueStorage,
    private readonly view: QueueView,
    private readonly emit: (event: CacheEvent) => void,
  ) {}

  /** Saves a batch after the ones before it (whatever became of them); rejects when the storage does. */
  save(batch: QueueWriteBatch): Promise<void> {
    const saved = this.chain.catch(() => {}).then(() => this.storage.write(batch));
    this.chain = saved;
    return saved;
  }

  /**
   * Saves and applies a replaying client's batch. When the storage fails, the view keeps the change
   * (so this client does not replay the entry again), the event reports it, and `saveUnsaved`
   * tries again before the next replay.
   */
  async record(batch: QueueWriteBatch): Promise<void> {
    try {
      await this.save(batch);
      this.view.applyLocal(batch);
    } catch (error) {
      this.view.applyLocal(batch, true);
      this.emit({ type: "storage-error", error });
    }
  }

  /** Saves what the storage refused earlier; false when it still refuses. */
  async saveUnsaved(): Promise<boolean> {
    for (const write of this.view.unsaved) {
      try {
        await this.save(write.batch);
        this.view.saved(write);
      } catch (error) {
        this.emit({ type: "storage-error", error });
        return false;
      }
    }
    return true;
  }

  /** Results nobody came back for (their client closed for good) go after a day. */
  async forgetOldResults(): Promise<void> {
    const old = this.view.results.filter((record) => Date.now() - record.appliedAt > RESULT_RETENTION_MS).map((record) => record.key);
    if (old.length > 0) await this.record({ remove: old });
  }

  /** Resolves once every write started so far has finished. */
  async settled(): Promise<void> {
    await this.chain.catch(() => {});
  }
}
