/** Options of `createCacheClient`, checked up front so a typo fails at start-up, not on first use. */
import type { NetworkSignals } from "../network/network-signals.ts";
import type { QueueStorage } from "../storage/queue-storage.ts";
import type { CacheBinding } from "../transport/binding-transport.ts";
import type { FetchLike } from "../transport/http-transport.ts";
import type { TokenSource } from "../transport/transport.ts";
import type { BackoffOptions } from "../util/backoff.ts";

interface CommonOptions {
  /** Namespace for calls that do not name one. @default "default" */
  namespace?: string;
  /** Per-call time limit; a call may pass its own `timeoutMs`. @default 10000 */
  timeoutMs?: number;
  /**
   * Queue mutations that cannot reach the server and replay them later. With `false`, such calls
   * reject with the CacheError instead.
   * @default true
   */
  offlineQueue?: boolean;
  /**
   * Where the queue is kept: `memoryStorage()`, `webStorage()`, `indexedDbStorage()`, `fileStorage()`
   * (Node), or your own. Clients (tabs, processes) given the same storage share one queue: the one
   * holding its lock replays every entry.
   * @default indexedDbStorage({ database: "cache-sync " + url }) where IndexedDB exists (browsers), else memoryStorage()
   */
  storage?: QueueStorage;
  /**
   * How many mutations the queue may hold (all clients of the storage together); one more rejects
   * with `QUEUE_FULL` instead of being queued.
   * @default 10000
   */
  maxQueued?: number;
  /**
   * How old a queued mutation may be and still be replayed. The server remembers an idempotency key
   * for 25 h; a mutation replayed after that could be applied twice, so an older one goes by
   * `expiredPolicy`. The default leaves an hour of margin for clocks that disagree.
   * @default 86400000 (24 h)
   */
  replayWindowMs?: number;
  /**
   * What happens to a mutation older than `replayWindowMs`: `"dead-letter"` moves it to the dead
   * letters with code `EXPIRED` (a `dead-letter` event, its promise rejects); `"replay"` sends it
   * anyway, for mutations that are safe to apply twice.
   * @default "dead-letter"
   */
  expiredPolicy?: "dead-letter" | "replay";
  /** Backoff between replay attempts while offline. @default { initialDelayMs: 500, maxDelayMs: 30000, factor: 2 } */
  retry?: BackoffOptions;
  /** `get` answers from a queued `set`/`delete` of the key while it is pending (`pending: true`). @default true */
  readYourWrites?: boolean;
  /** Online/offline signals; the browser's by default, none elsewhere. Pass `null` to ignore the platform's. */
  network?: NetworkSignals | null;
}

/** Talk to the cache over HTTP. */
export interface HttpClientOptions extends CommonOptions {
  /** The cache Worker's base URL, e.g. `https://cache.example.com`. */
  url: string;
  /** Bearer token, or a function returning the current one (called before each request). */
  token?: TokenSource;
  /** A `fetch` to use instead of the global one (tests, instrumentation, proxies). */
  fetch?: FetchLike;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * Most calls sent in one HTTP request. Calls made together are batched; a batch the server would
   * refuse (its `maxBatchSize`) is split. Lower it if your server's `maxBatchSize` is lower.
   * @default 50
   */
  maxBatchSize?: number;
  /**
   * Largest body of one batched POST, in bytes; bigger batches are split, and a single call bigger
   * than this goes alone (the server's body limit then decides it: `PAYLOAD_TOO_LARGE`).
   * @default 1048576 (1 MiB, under the server's smallest default body limit)
   */
  maxBatchBytes?: number;
  binding?: undefined;
}

/** Talk to the cache through a service binding from another Worker. */
export interface BindingClientOptions extends CommonOptions {
  /** The service binding (`env.CACHE`): the cache's RPC entrypoint, or any `Fetcher`. */
  binding: CacheBinding;
  /** @default "rpc" when the binding has RPC methods, else "http" (tRPC through `binding.fetch`) */
  bindingProtocol?: "rpc" | "http";
  /** Sent as `Authorization: Bearer` when the protocol is `http`. */
  token?: TokenSource;
  url?: undefined;
}

/**
 * What `createCacheClient` takes: `url` (HTTP) or `binding` (a service binding), plus the options
 * every client shares (namespace, timeout, offline queue and its storage, retry backoff, network).
 *
 * @example
 * const options: CacheClientOptions = {
 *   url: "https://cache.example.com",
 *   token: () => session.token,
 *   namespace: "products",
 *   timeoutMs: 5_000,
 *   storage: indexedDbStorage(),
 *   retry: { initialDelayMs: 250, maxDelayMs: 10_000 },
 * };
 * const cache = createCacheClient(options);
 */
export type CacheClientOptions = HttpClientOptions | BindingClientOptions;

const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Throws a TypeError naming the bad option. */
export function checkOptions(options: CacheClientOptions): void {
  const fail = (message: string): never => {
    throw new TypeError(`createCacheClient: ${message}`);
  };
  if (typeof options !== "object" || options === null) fail("pass an options object: { url } or { binding }");
  if (options.url !== undefined && options.binding !== undefined) fail("pass either url or binding, not both");
  if (options.binding === undefined) {
    if (typeof options.url !== "string") fail("url is required (the cache Worker's base URL), or pass a service binding as binding");
    try {
      const url = new URL(options.url!);
      if (url.protocol !== "http:" && url.protocol !== "https:") fail(`url must be http: or https:, got ${url.protocol}`);
    } catch (error) {
      if (error instanceof TypeError && error.message.startsWith("createCacheClient")) throw error;
      fail(`url is not a valid URL: ${JSON.stringify(options.url)}`);
    }
  } else if (typeof (options.binding as unknown) !== "object" && typeof (options.binding as unknown) !== "function") {
    fail("binding must be a service binding (env.CACHE)");
  }
  if (options.namespace !== undefined && !NAMESPACE.test(options.namespace)) {
    fail(`namespace ${JSON.stringify(options.namespace)} must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit`);
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) fail("timeoutMs must be a positive number of milliseconds");
  const { maxBatchSize, maxBatchBytes } = options.binding === undefined ? options : {};
  if (maxBatchSize !== undefined && !(Number.isInteger(maxBatchSize) && maxBatchSize >= 1))
    fail("maxBatchSize must be a whole number of calls, at least 1");
  if (maxBatchBytes !== undefined && !(Number.isInteger(maxBatchBytes) && maxBatchBytes >= 1024)) {
    fail("maxBatchBytes must be a whole number of bytes, at least 1024");
  }
  if (options.maxQueued !== undefined && !(Number.isInteger(options.maxQueued) && options.maxQueued > 0))
    fail(`maxQueued must be a positive whole number, got ${JSON.stringify(options.maxQueued)}`);
  if (options.replayWindowMs !== undefined && !(options.replayWindowMs > 0))
    fail(`replayWindowMs must be a positive number of milliseconds, got ${JSON.stringify(options.replayWindowMs)}`);
  if (options.expiredPolicy !== undefined && options.expiredPolicy !== "dead-letter" && options.expiredPolicy !== "replay") {
    fail(`expiredPolicy must be "dead-letter" or "replay", got ${JSON.stringify(options.expiredPolicy)}`);
  }
  const storage = options.storage as Partial<QueueStorage> | undefined;
  if (storage !== undefined && (typeof storage?.list !== "function" || typeof storage.write !== "function")) {
    fail("storage must be a queue storage ({ list, write, lock?, watch? }), e.g. indexedDbStorage() or fileStorage(path)");
  }
  const token = options.token;
  if (token !== undefined && typeof token !== "string" && typeof token !== "function")
    fail("token must be a string or a function returning one");
}
