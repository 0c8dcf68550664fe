/** `createCacheClient`: the typed cache API over a transport, with the offline queue in front of mutations. */
import { CacheError } from "../errors/cache-error.ts";
import type { DeleteResult, FlushResult, InvalidationStatus, JsonValue, NamespaceStats, SetResult } from "../generated/wire-types.ts";
import type { InvalidationHandle } from "../invalidation/invalidation-handle.ts";
import { platformNetwork } from "../network/network-signals.ts";
import type { CacheListener, ConnectionStatus } from "../queue/events.ts";
import { OfflineQueue } from "../queue/offline-queue.ts";
import { defaultStorage } from "../storage/default-storage.ts";
import { memoryStorage } from "../storage/memory-storage.ts";
import type { DeadLetter } from "../storage/queue-storage.ts";
import { bindingTransport } from "../transport/binding-transport.ts";
import { httpTransport } from "../transport/http-transport.ts";
import type { Transport } from "../transport/transport.ts";
import type { CallOptions } from "../util/abort.ts";
import { clientCore } from "./client-core.ts";
import type { JsonInput } from "./json-input.ts";
import { checkOptions, type CacheClientOptions } from "./options.ts";
import type {
  CacheEntry,
  DeleteOptions,
  GetOptions,
  InvalidateOptions,
  MutationOutcome,
  NamespaceOptions,
  SetOptions,
  WarmSelection,
} from "./types.ts";

/**
 * A typed client of the cache. Reads go straight to the server; mutations that cannot reach it
 * are queued, persisted and replayed in order, each applied once.
 *
 * @example
 * const cache: CacheClient = createCacheClient({ url: "https://cache.example.com", namespace: "products" });
 * const written = await cache.set("SKU123", { price: 10 }, { tags: ["catalog"] });
 * if (written.queued) await written.applied; // offline: replayed once the server is back
 * const { value } = await cache.get<{ price: number }>("SKU123");
 */
export interface CacheClient {
  /**
   * Reads a key (through the origin when the namespace has one).
   * @example
   * const r = await cache.get<Product>("SKU123");
   * if (r.found) render(r.value);
   */
  get<T = JsonValue>(key: string, options?: GetOptions): Promise<CacheEntry<T>>;
  /**
   * Writes a key. Resolves `{ queued: false, version, … }` when applied, or `{ queued: true, … }`
   * when the server is unreachable and the write waits in the offline queue.
   * @example
   * await cache.set("SKU123", product, { ttlMs: 60_000, tags: ["catalog"] });
   */
  set<T>(key: string, value: T & JsonInput<T>, options?: SetOptions): Promise<MutationOutcome<SetResult>>;
  /**
   * Deletes a key (queued like `set` when offline).
   * @example
   * await cache.delete("SKU123");
   */
  delete(key: string, options?: DeleteOptions): Promise<MutationOutcome<DeleteResult>>;
  /**
   * Starts an invalidation job by tags, keys or prefixes; returns a handle to follow it.
   * @example
   * const job = await cache.invalidate({ tags: ["catalog"] });
   * await job.done({ onProgress: (s) => render(s.progress) });
   */
  invalidate(options: InvalidateOptions): Promise<InvalidationHandle>;
  /**
   * The current status of an invalidation (or warm) job by id.
   * @example
   * const s = await cache.jobStatus(jobId);
   */
  jobStatus(id: string, options?: NamespaceOptions): Promise<InvalidationStatus>;
  /**
   * Counters of a namespace.
   * @example
   * const { hitRate } = await cache.stats();
   */
  stats(options?: NamespaceOptions): Promise<NamespaceStats>;
  /**
   * Pushes pending write-behind records to the main database now (admin).
   * @example
   * const { flushed, pending } = await cache.flush({ namespace: "ledger" });
   */
  flush(options?: NamespaceOptions): Promise<FlushResult>;
  /**
   * Loads keys from the origin into the cache as a job (admin): a list of keys, or `{ keys, tags }`
   * to also reload every key the shards have seen with those tags (stale ones come back fresh).
   * @example
   * await (await cache.warm(["SKU1", "SKU2"])).done();
   * await (await cache.warm({ tags: ["catalog"] })).done();
   */
  warm(selection: WarmSelection, options?: NamespaceOptions): Promise<InvalidationHandle>;
  /** `online`, `offline` (mutations queue), or `syncing` (the queue is being replayed, by this client or the one holding the storage's lock). */
  readonly status: ConnectionStatus;
  /** How many mutations wait in the offline queue (of every client sharing its storage). */
  readonly pending: number;
  /** Queued mutations that will not be applied (rejected for good by the server, or `EXPIRED`), with their errors. */
  readonly deadLetters: readonly DeadLetter[];
  /** Resolves once the persisted queue is loaded (calls wait for it on their own). */
  readonly ready: Promise<void>;
  /**
   * Listens to status, pending-count, applied and dead-letter events; returns the unsubscribe function.
   * @example
   * const off = cache.subscribe((e) => { if (e.type === "status") badge.textContent = e.status; });
   */
  subscribe(listener: CacheListener): () => void;
  /**
   * Replays the queue now and resolves when it is empty (retrying with backoff meanwhile).
   * @example
   * await cache.sync({ timeoutMs: 30_000 });
   */
  sync(options?: CallOptions): Promise<void>;
  /**
   * Forgets the dead-letter list (of every client sharing the storage); rejects with `QUEUE_STORAGE_FAILED` if the storage refuses.
   * @example
   * for (const { mutation, error } of cache.deadLetters) report(mutation, error);
   * await cache.clearDeadLetters();
   */
  clearDeadLetters(): Promise<void>;
  /**
   * Stops timers and listeners, lets a replay in flight record its result, and releases the
   * storage's lock (another client takes over replaying); the persisted queue stays.
   * @example
   * process.on("SIGTERM", () => void cache.close());
   */
  close(): Promise<void>;
}

/**
 * Creates a cache client over HTTP (`url`) or a service binding (`binding`).
 *
 * @example
 * // Browser: queue survives reloads
 * const cache = createCacheClient({ url: "https://cache.example.com", token, namespace: "products", storage: indexedDbStorage() });
 * // Worker: no network hop
 * const cache = createCacheClient({ binding: env.CACHE, namespace: "products" });
 */
export function createCacheClient(options: CacheClientOptions): CacheClient {
  checkOptions(options);
  const transport: Transport =
    options.binding !== undefined
      ? bindingTransport({ binding: options.binding, protocol: options.bindingProtocol, token: options.token })
      : httpTransport({
          url: options.url,
          token: options.token,
          fetch: options.fetch,
          headers: options.headers,
          maxBatchSize: options.maxBatchSize,
          maxBatchBytes: options.maxBatchBytes,
        });
  return clientWithTransport(transport, { ...options, storage: options.storage ?? defaultStorage(options.url) });
}

/** The client over any transport; `createCacheClient` picks the transport from the options. */
export function clientWithTransport(transport: Transport, options: Omit<CacheClientOptions, "url" | "binding">): CacheClient {
  const listeners = new Set<CacheListener>();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const queue = new OfflineQueue({
    storage: options.storage ?? memoryStorage(),
    network: options.network === null ? undefined : (options.network ?? platformNetwork()),
    retry: options.retry ?? {},
    maxQueued: options.maxQueued ?? 10_000,
    replayWindowMs: options.replayWindowMs ?? 24 * 3_600_000,
    expiredPolicy: options.expiredPolicy ?? "dead-letter",
    probe: () => transport.probe(AbortSignal.timeout(timeoutMs)),
    send: (mutation) => core.send(mutation),
    emit: (event) => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // A throwing listener must not break the queue or the other listeners.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  });
  const core = clientCore({
    transport,
    queue,
    timeoutMs,
    namespace: options.namespace ?? "default",
    offlineQueue: options.offlineQueue ?? true,
    readYourWrites: options.readYourWrites ?? true,
  });
  return {
    get: core.get,
    set: core.set,
    delete: core.delete,
    invalidate: core.invalidate,
    jobStatus: core.jobStatus,
    stats: core.stats,
    flush: core.flush,
    warm: core.warm,
    get status() {
      return queue.status;
    },
    get pending() {
      return queue.pending;
    },
    get deadLetters() {
      return queue.deadLetters;
    },
    ready: queue.ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async sync(callOptions = {}) {
      const controller = new AbortController();
      const timer =
        callOptions.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                controller.abort(
                  new CacheError({ code: "TIMEOUT", message: `the queue did not drain within ${callOptions.timeoutMs} ms` }),
                ),
              callOptions.timeoutMs,
            );
      const onAbort = () => controller.abort(new CacheError({ code: "ABORTED", message: "sync was aborted by its signal" }));
      callOptions.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        await queue.sync(controller.signal);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        callOptions.signal?.removeEventListener("abort", onAbort);
      }
    },
    clearDeadLetters: () => queue.clearDeadLetters(),
    async close() {
      listeners.clear();
      await queue.close();
    },
  };
}
