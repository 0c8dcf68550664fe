/** Queue storage in memory: shared by the clients of one process that get the same instance, gone on restart. */
import { localLock } from "./local-lock.ts";
import type { QueueRecord, QueueStorage } from "./queue-storage.ts";

/**
 * Keeps the queue in memory (the default outside browsers). Pass the same instance to several
 * clients, or to a new client, to share or hand over the queue; nothing survives the process.
 *
 * @example
 * const storage = memoryStorage();
 * const cache = createCacheClient({ url, storage });
 */
export function memoryStorage(): QueueStorage {
  // Copies (through JSON) so writers never share objects with the storage; records are immutable,
  // so every listing may hand out the same copies.
  const records = new Map<string, QueueRecord>();
  const listeners = new Set<() => void>();
  return {
    list: async () => [...records.values()],
    write: async ({ put = [], remove = [] }) => {
      for (const record of put) records.set(record.key, JSON.parse(JSON.stringify(record)) as QueueRecord);
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
