/** Queue storage in `localStorage` (or any Web Storage): simple, synchronous, about 5 MB per origin. */
import { parseQueueState, type QueueStorage } from "./queue-storage.ts";

/** The part of the Web Storage API the adapter uses (so the types need no DOM lib). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Options of `webStorage`: the item's key and the Web Storage to use. */
export interface WebStorageOptions {
  /** The item's key. @default "cache-sync:queue" */
  key?: string;
  /** @default globalThis.localStorage */
  storage?: WebStorageLike;
}

/**
 * Persists the queue in `localStorage`, so a page reload resumes it. For large queues prefer
 * {@link indexedDbStorage}: Web Storage is small and blocks the main thread.
 *
 * @example
 * const cache = createCacheClient({ url, storage: webStorage({ key: "notes-queue" }) });
 */
export function webStorage(options: WebStorageOptions = {}): QueueStorage {
  const key = options.key ?? "cache-sync:queue";
  const storage = () => {
    const s = options.storage ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    if (!s) throw new Error("webStorage: no localStorage here; use memoryStorage(), indexedDbStorage() or fileStorage()");
    return s;
  };
  return {
    load: async () => {
      const text = storage().getItem(key);
      return text === null ? undefined : parseQueueState(JSON.parse(text), `localStorage "${key}"`);
    },
    save: async (state) => storage().setItem(key, JSON.stringify(state)),
  };
}
