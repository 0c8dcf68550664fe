/** The public shapes of `CacheClient` calls, derived from the generated wire types. */
import type { DeleteInput, GetInput, GetResult, InvalidateInput, JsonValue, SetInput } from "../generated/wire-types.ts";
import type { CallOptions } from "../util/abort.ts";

/** What `get` returns: the wire `GetResult` with a typed value. */
export type CacheEntry<T = JsonValue> = Omit<GetResult, "value"> & {
  value: T | null;
  /** True when the value comes from a queued `set`/`delete` not yet applied by the server. */
  pending: boolean;
};

export type GetOptions = Omit<GetInput, "key"> & CallOptions;
export type SetOptions = Omit<SetInput, "key" | "value"> & CallOptions;
export type DeleteOptions = Omit<DeleteInput, "key"> & CallOptions;
export type InvalidateOptions = InvalidateInput & CallOptions;
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
   * Settles when this client replays it: resolves with the result, or rejects with the CacheError
   * that sent it to the dead-letter list. (After a restart, listen to `subscribe` events instead.)
   */
  applied: Promise<T>;
}

/** The result of `set`/`delete`: applied now, or queued. */
export type MutationOutcome<T> = Applied<T> | Queued<T>;
