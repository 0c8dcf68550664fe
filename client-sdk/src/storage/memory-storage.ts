/** Queue storage in memory: shared by the clients of one process that get the same instance, gone on restart. */
import { localLock } from "./local-lock.ts";
import type { QueueStorage } from "./queue-storage.ts";

/**
 * Keeps the queue in memory (the default outside browsers). Pass the same instance to several
 * clients, or to a new client, to share or hand over the queue; nothing survives the process.
 *
 * @example
 * const storage = memoryStorage();
 * const cache = createCacheClient({ url, storage });
 */
export function memoryStorage(): QueueStorage {
  // Stored as JSON so callers never share objects with the queue.
  const records = new Map<string, string>();
  const listeners = new Set<() => void>();
  return {
    list: async () => [...records.values()].map((text) => JSON.parse(text)),
    write: async ({ put = [], remove = [] }) => {
      for (const record of put) records.set(record.key, JSON.stringify(record));
      for (const key of remove) records.delete(key);
      for (const listener of listeners) queueMicrotask(listener);
    },
    lock: localLock(),
    watch: (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
}
