/** Where the offline queue lives between page loads and process restarts. */
import type { CacheErrorInit } from "../errors/cache-error.ts";
import type { DeleteInput, InvalidateInput, SetInput } from "../generated/wire-types.ts";

/** A mutation waiting to reach the server; its input already carries its `idempotencyKey`. */
export type QueuedMutation =
  | { id: string; procedure: "set"; input: SetInput & { idempotencyKey: string }; queuedAt: number }
  | { id: string; procedure: "delete"; input: DeleteInput & { idempotencyKey: string }; queuedAt: number }
  | { id: string; procedure: "invalidate"; input: InvalidateInput & { idempotencyKey: string }; queuedAt: number };

/** A queued mutation the server rejected for good, kept with the reason. */
export interface DeadLetter {
  mutation: QueuedMutation;
  error: CacheErrorInit;
  failedAt: number;
}

/** Everything the queue persists, as one JSON document. */
export interface QueueState {
  version: 1;
  mutations: QueuedMutation[];
  deadLetters: DeadLetter[];
}

/**
 * A place to keep the queue. `save` receives the whole state each time; the client never runs
 * two saves at once, so an adapter needs no locking of its own.
 *
 * @example
 * // A custom adapter over any key-value store:
 * const storage: QueueStorage = {
 *   load: async () => (await kv.get("queue")) ?? undefined,
 *   save: (state) => kv.put("queue", state),
 * };
 */
export interface QueueStorage {
  load(): Promise<QueueState | undefined>;
  save(state: QueueState): Promise<void>;
}

export const emptyQueueState = (): QueueState => ({ version: 1, mutations: [], deadLetters: [] });

/** Accepts what an adapter read back, or explains why not (a corrupt file should not vanish quietly). */
export function parseQueueState(raw: unknown, where: string): QueueState {
  const state = raw as Partial<QueueState> | null;
  if (!state || state.version !== 1 || !Array.isArray(state.mutations) || !Array.isArray(state.deadLetters)) {
    throw new Error(`${where}: not a cache-sync queue (version 1); move it away to start with an empty queue`);
  }
  return state as QueueState;
}
