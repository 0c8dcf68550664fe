/** Queue storage in IndexedDB: asynchronous and roomy, for browsers (and service workers). */
import { parseQueueState, type QueueState, type QueueStorage } from "./queue-storage.ts";

/** Options of `indexedDbStorage`: the database name, the record's key and the `IDBFactory` to use. */
export interface IndexedDbStorageOptions {
  /** @default "cache-sync" */
  database?: string;
  /** The record's key inside the database's one object store. @default "queue" */
  key?: string;
  /** An `IDBFactory`. @default globalThis.indexedDB */
  indexedDB?: IndexedDbFactoryLike;
}

/** `IDBFactory`, named structurally so the declarations need no DOM lib (Workers, Node). */
export interface IndexedDbFactoryLike {
  open(name: string, version?: number): unknown;
}

const STORE = "queue";

/**
 * Persists the queue in IndexedDB, so a reload resumes it.
 *
 * @example
 * const cache = createCacheClient({ url, storage: indexedDbStorage({ database: "my-app" }) });
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): QueueStorage {
  const name = options.database ?? "cache-sync";
  const key = options.key ?? "queue";
  let opened: Promise<IDBDatabase> | undefined;
  const database = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const factory = (options.indexedDB ?? (globalThis as { indexedDB?: IndexedDbFactoryLike }).indexedDB) as IDBFactory | undefined;
      if (!factory) return reject(new Error("indexedDbStorage: no indexedDB here; use memoryStorage() or fileStorage()"));
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }));
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      // Resolve on commit, not on the request: a save is durable only once its transaction is.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return {
    load: async () => {
      const value = await run("readonly", (store) => store.get(key) as IDBRequest<unknown>);
      return value === undefined ? undefined : parseQueueState(value, `IndexedDB "${name}"`);
    },
    save: async (state: QueueState) => {
      await run("readwrite", (store) => store.put(state, key));
    },
  };
}
