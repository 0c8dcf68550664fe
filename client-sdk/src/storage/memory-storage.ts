/** Queue storage in memory: survives a new client in the same process, not a restart. */
import type { QueueState, QueueStorage } from "./queue-storage.ts";

/**
 * Keeps the queue in memory (the default). Pass the same instance to a new client to hand the
 * queue over; nothing survives the process.
 *
 * @example
 * const storage = memoryStorage();
 * const cache = createCacheClient({ url, storage });
 */
export function memoryStorage(): QueueStorage {
  let saved: string | undefined;
  return {
    // Stored as JSON so callers never share objects with the queue.
    load: async () => (saved === undefined ? undefined : (JSON.parse(saved) as QueueState)),
    save: async (state) => {
      saved = JSON.stringify(state);
    },
  };
}
