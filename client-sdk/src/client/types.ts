/** The public shapes of `CacheClient` calls, derived from the generated wire types. */
import type { DeleteInput, GetInput, GetResult, InvalidateInput, JsonValue, SetInput, WarmInput } from "../generated/wire-types.ts";
import type { CallOptions } from "../util/abort.ts";

/** What `get` returns: the wire `GetResult` with a typed value. */
export type CacheEntry<T = JsonValue> = Omit<GetResult, "value"> & {
  value: T | null;
  /** True when the value comes from a queued `set`/`delete` not yet applied by the server. */
  pending: boolean;
};

/**
 * Options of `get`: the wire input without the key (`namespace`, `maxStaleMs`) plus `signal` and `timeoutMs`.
 * @example
 * await cache.get("SKU123", { namespace: "products", maxStaleMs: 5_000, timeoutMs: 2_000 });
 */
export type GetOptions = Omit<GetInput, "key"> & CallOptions;
/**
 * Options of `set`: the wire input without key and value (`ttlMs`, `staleMs`, `tags`, `ifVersion`,
 * `writeBehind`, `idempotencyKey`, `namespace`) plus `signal` and `timeoutMs`.
 * @example
 * await cache.set("SKU123", product, { ttlMs: 60_000, tags: ["catalog"], ifVersion: 3 });
 */
export type SetOptions = Omit<SetInput, "key" | "value"> & CallOptions;
/** Options of `delete`: `namespace` and `idempotencyKey`, plus `signal` and `timeoutMs`. */
export type DeleteOptions = Omit<DeleteInput, "key"> & CallOptions;
/**
 * What `invalidate` takes: the selectors (`tags`, `keys`, `prefixes`), `mode`, `priority` and
 * `namespace`, plus `signal` and `timeoutMs`.
 * @example
 * await cache.invalidate({ prefixes: ["user:42:"], mode: "stale", priority: "high" });
 */
export type InvalidateOptions = InvalidateInput & CallOptions;
/**
 * What `warm` loads: a list of keys, or `{ keys, tags }` — the keys the shards have seen with those
 * tags are reloaded from the origin too (at least one key or tag).
 * @example
 * await cache.warm({ tags: ["catalog"] });
 */
export type WarmSelection = string[] | Pick<WarmInput, "keys" | "tags">;
/** Options of the calls that only need a namespace (`stats`, `flush`, `warm`, `jobStatus`), plus `signal` and `timeoutMs`. */
export type NamespaceOptions = { namespace?: string } & CallOptions;

/** A mutation that reached the server: its result. */
export type Applied<T> = T & { queued: false };

/** A mutation kept in the offline queue, to be replayed when the server is reachable. */
export interface Queued<T> {
  queued: true;
  /** The queue entry's id (also in `applied`/`dead-letter` events). */
  id: string;
  /** The key the server deduplicates replays by. */
  idempotencyKey: string;
  /**
   * Settles when it is replayed, by this client or by the one holding the shared storage's lock:
   * resolves with the result, or rejects with the CacheError that sent it to the dead-letter list
   * (`EXPIRED` when it waited past `replayWindowMs`). After a restart, listen to `subscribe` events instead.
   */
  applied: Promise<T>;
}

/** The result of `set`/`delete`: applied now, or queued. */
export type MutationOutcome<T> = Applied<T> | Queued<T>;
