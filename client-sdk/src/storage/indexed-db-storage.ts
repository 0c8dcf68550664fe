/** Queue storage in IndexedDB: asynchronous and roomy, for browsers (and service workers); the browser default. */
import { browserLock, storageChannel } from "./browser-coordination.ts";
import { parseQueueRecord, recordsFromVersion1, type QueueRecord, type QueueStorage } from "./queue-storage.ts";

/** Options of `indexedDbStorage`: the database, the queue's name inside it and the `IDBFactory` to use. */
export interface IndexedDbStorageOptions {
  /** @default "cache-sync" */
  database?: string;
  /** The queue's name inside the database (its records' keys start with `<key>:`). @default "queue" */
  key?: string;
  /** An `IDBFactory`. @default globalThis.indexedDB */
  indexedDB?: IndexedDbFactoryLike;
}

/** `IDBFactory`, named structurally so the declarations need no DOM lib (Workers, Node). */
export interface IndexedDbFactoryLike {
  open(name: string, version?: number): unknown;
}

const RECORDS = "records";
/** Version 1 kept the whole queue as one document per key in this store. */
const LEGACY_STORE = "queue";

/** Carries version-1 documents over to one record per entry, inside the upgrade's own transaction. */
function upgrade(request: IDBOpenDBRequest): void {
  const db = request.result;
  const tx = request.transaction!;
  if (!db.objectStoreNames.contains(RECORDS)) db.createObjectStore(RECORDS);
  if (!db.objectStoreNames.contains(LEGACY_STORE)) return;
  const records = tx.objectStore(RECORDS);
  const cursor = tx.objectStore(LEGACY_STORE).openCursor();
  cursor.onsuccess = () => {
    const current = cursor.result;
    if (!current) return db.deleteObjectStore(LEGACY_STORE);
    for (const record of recordsFromVersion1(current.value) ?? []) records.put(record, `${String(current.key)}:${record.key}`);
    current.continue();
  };
}

/**
 * Persists the queue in IndexedDB, one record per entry, so a reload resumes it and every tab of
 * the origin shares it: the tab holding the Web Lock replays, the others follow its progress.
 * Browsers use it by default when they have IndexedDB.
 *
 * @example
 * const cache = createCacheClient({ url, storage: indexedDbStorage({ database: "my-app" }) });
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): QueueStorage {
  const name = options.database ?? "cache-sync";
  const prefix = `${options.key ?? "queue"}:`;
  const channel = storageChannel(`cache-sync:idb:${name}:${prefix}`);
  let opened: Promise<IDBDatabase> | undefined;
  const database = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const factory = (options.indexedDB ?? (globalThis as { indexedDB?: IndexedDbFactoryLike }).indexedDB) as IDBFactory | undefined;
      if (!factory) return reject(new Error("indexedDbStorage: no indexedDB here; use memoryStorage() or fileStorage()"));
      const request = factory.open(name, 2);
      request.onupgradeneeded = () => upgrade(request);
      request.onsuccess = () => {
        // A later version opened in another tab must not wait for this one to close.
        request.result.onversionchange = () => request.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    }).catch((error) => {
      opened = undefined; // the next call tries again (e.g. after the user freed space)
      throw error;
    }));
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> => {
    const db = await database();
    return new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(RECORDS, mode);
      const request = work(tx.objectStore(RECORDS));
      // Resolve on commit, not on the request: a write is durable only once its transaction is.
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("indexedDbStorage: the transaction was aborted"));
    });
  };
  return {
    list: async () => {
      const values = await run("readonly", (store) => store.getAll(IDBKeyRange.bound(prefix, `${prefix}\uffff`)));
      return (values ?? []).map((value) => parseQueueRecord(value, `IndexedDB "${name}"`));
    },
    write: async ({ put = [], remove = [] }) => {
      // One transaction: a replayed entry's result appears as the entry goes, never one without the other.
      await run("readwrite", (store) => {
        for (const record of put) store.put(record satisfies QueueRecord, prefix + record.key);
        for (const key of remove) store.delete(prefix + key);
      });
      channel.notify();
    },
    lock: browserLock(`cache-sync:idb:${name}:${prefix}`),
    watch: channel.watch,
  };
}
