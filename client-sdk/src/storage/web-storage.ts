/** Queue storage in `localStorage` (or any Web Storage): simple, synchronous, about 5 MB per origin. */
import { browserLock, storageChannel } from "./browser-coordination.ts";
import { parseQueueRecord, recordsFromVersion1, type QueueStorage } from "./queue-storage.ts";

/** The part of the Web Storage API the adapter uses (so the types need no DOM lib). */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of `webStorage`: the queue's key prefix and the Web Storage to use. */
export interface WebStorageOptions {
  /** The queue's name: each entry is an item of its own, keyed `<key>:<entry>`. @default "cache-sync:queue" */
  key?: string;
  /** @default globalThis.localStorage */
  storage?: WebStorageLike;
}

/**
 * Persists the queue in `localStorage`, one item per entry, so a page reload resumes it and the
 * tabs of the origin share it (the one holding the Web Lock replays). For large queues prefer
 * {@link indexedDbStorage}: Web Storage is small and blocks the main thread.
 *
 * @example
 * const cache = createCacheClient({ url, storage: webStorage({ key: "notes-queue" }) });
 */
export function webStorage(options: WebStorageOptions = {}): QueueStorage {
  const name = options.key ?? "cache-sync:queue";
  const prefix = `${name}:`;
  const channel = storageChannel(`cache-sync:web:${name}`);
  const storage = () => {
    const s = options.storage ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    if (!s) throw new Error("webStorage: no localStorage here; use memoryStorage(), indexedDbStorage() or fileStorage()");
    return s;
  };
  /** Version 1 kept the whole queue in one item named `key`: split it into one item per entry. */
  const carryOverVersion1 = (s: WebStorageLike) => {
    const legacy = s.getItem(name);
    if (legacy === null) return;
    const records = recordsFromVersion1(JSON.parse(legacy));
    if (!records) throw new Error(`localStorage "${name}": not a cache-sync queue; move it away to start with an empty queue`);
    for (const record of records) s.setItem(prefix + record.key, JSON.stringify(record));
    s.removeItem(name);
  };
  return {
    list: async () => {
      const s = storage();
      carryOverVersion1(s);
      const keys: string[] = [];
      for (let i = 0; i < s.length; i++) {
        const key = s.key(i);
        if (key?.startsWith(prefix)) keys.push(key);
      }
      return keys.flatMap((key) => {
        const text = s.getItem(key);
        return text === null ? [] : [parseQueueRecord(JSON.parse(text), `localStorage "${key}"`)];
      });
    },
    write: async ({ put = [], remove = [] }) => {
      const s = storage();
      for (const record of put) s.setItem(prefix + record.key, JSON.stringify(record));
      for (const key of remove) s.removeItem(prefix + key);
      channel.notify();
    },
    lock: browserLock(`cache-sync:web:${name}`),
    watch: (onChange) => {
      // Another tab's items reach this tab's localStorage a little after its writes do (Chromium
      // copies them between processes), and the `storage` event fires once they have: listen to
      // it for other tabs, and to the channel for other clients of this page (no event here).
      const target = globalThis as {
        addEventListener?: EventTarget["addEventListener"];
        removeEventListener?: EventTarget["removeEventListener"];
      };
      const onStorage = (event: Event) => {
        const key = (event as Event & { key?: string | null }).key;
        if (key === null || key === undefined || key === name || key.startsWith(prefix)) onChange();
      };
      target.addEventListener?.("storage", onStorage);
      const stopChannel = channel.watch(onChange);
      return () => {
        target.removeEventListener?.("storage", onStorage);
        stopChannel();
      };
    },
  };
}
