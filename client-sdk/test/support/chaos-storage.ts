/** A queue storage that fails on demand (quota exceeded, permission denied), over a real adapter. */
import { memoryStorage, type QueueStorage } from "../../src/index.ts";

export interface ChaosStorage extends QueueStorage {
  /** While true, every `write` throws (as a full disk or a denied permission would). */
  failWrites: boolean;
  /** Writes that reached the inner storage. */
  writes: number;
}

export function chaosStorage(inner: QueueStorage = memoryStorage()): ChaosStorage {
  const storage: ChaosStorage = {
    failWrites: false,
    writes: 0,
    list: () => inner.list(),
    write: async (batch) => {
      if (storage.failWrites) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      storage.writes++;
      return inner.write(batch);
    },
    lock: inner.lock && ((signal) => inner.lock!(signal)),
    watch: inner.watch && ((onChange) => inner.watch!(onChange)),
  };
  return storage;
}

/** A `fetch` that answers nothing while `down` (the server is unreachable), else the real one. */
export function switchableFetch(): { fetch: typeof fetch; down: boolean } {
  const state: { fetch: typeof fetch; down: boolean } = {
    down: true,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      state.down ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init)) as typeof fetch,
  };
  return state;
}
