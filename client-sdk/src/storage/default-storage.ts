/** The storage a client gets when it names none: IndexedDB where it exists (browsers), else memory. */
import { indexedDbStorage } from "./indexed-db-storage.ts";
import { memoryStorage } from "./memory-storage.ts";
import type { QueueStorage } from "./queue-storage.ts";

/**
 * Browsers keep the queue across reloads and share it between tabs without being asked. Each
 * server URL gets its own database, so clients of different servers never replay each other's
 * entries. Node and Workers stay explicit: memory, unless a `fileStorage(path)` is given.
 */
export function defaultStorage(url: string | undefined): QueueStorage {
  const hasIndexedDb =
    typeof (globalThis as { indexedDB?: unknown }).indexedDB === "object" && (globalThis as { indexedDB?: unknown }).indexedDB !== null;
  return hasIndexedDb && url !== undefined ? indexedDbStorage({ database: `cache-sync ${url}` }) : memoryStorage();
}
