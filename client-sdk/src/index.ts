/** @cache-sync/client — the typed cache-sync SDK for browsers, Node ≥ 20 and Workers. */
export { createCacheClient } from "./client/create-client.ts";
export type { CacheClient } from "./client/create-client.ts";
export type { CacheClientOptions, HttpClientOptions, BindingClientOptions } from "./client/options.ts";
export type {
  CacheEntry,
  GetOptions,
  SetOptions,
  DeleteOptions,
  InvalidateOptions,
  NamespaceOptions,
  WarmSelection,
  MutationOutcome,
  Applied,
  Queued,
} from "./client/types.ts";
export type { JsonInput } from "./client/json-input.ts";
export { CacheError, isCacheError } from "./errors/cache-error.ts";
export type { CacheErrorCode, CacheErrorDetails, CacheErrorIssue, CacheErrorInit } from "./errors/cache-error.ts";
export type { InvalidationHandle, DoneOptions } from "./invalidation/invalidation-handle.ts";
export type { CacheEvent, CacheListener, ConnectionStatus } from "./queue/events.ts";
export type { NetworkSignals } from "./network/network-signals.ts";
export { memoryStorage } from "./storage/memory-storage.ts";
export { webStorage } from "./storage/web-storage.ts";
export type { WebStorageOptions, WebStorageLike } from "./storage/web-storage.ts";
export { indexedDbStorage } from "./storage/indexed-db-storage.ts";
export type { IndexedDbStorageOptions, IndexedDbFactoryLike } from "./storage/indexed-db-storage.ts";
export type { QueueStorage, QueueRecord, QueueWriteBatch, QueueLock, QueuedMutation, DeadLetter } from "./storage/queue-storage.ts";
export type { CacheBinding, CacheRpcBinding, FetchBinding, RpcOutcome } from "./transport/binding-transport.ts";
export type { FetchLike } from "./transport/http-transport.ts";
export type { TokenSource } from "./transport/transport.ts";
export type { CallOptions } from "./util/abort.ts";
export type { BackoffOptions } from "./util/backoff.ts";
export type {
  JsonValue,
  GetInput,
  GetResult,
  SetInput,
  SetResult,
  DeleteInput,
  DeleteResult,
  InvalidateInput,
  InvalidationStatus,
  StatusInput,
  StatsInput,
  NamespaceStats,
  FlushInput,
  FlushResult,
  WarmInput,
  Procedures,
} from "./generated/wire-types.ts";
