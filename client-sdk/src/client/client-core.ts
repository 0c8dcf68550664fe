/**
 * The calls themselves: fill in the namespace, run with a timeout, route mutations through the
 * offline queue when needed, and answer reads from queued writes (read-your-writes).
 */
import { CacheError } from "../errors/cache-error.ts";
import type { InvalidationStatus, JsonValue } from "../generated/wire-types.ts";
import { invalidationHandle, type InvalidationHandle } from "../invalidation/invalidation-handle.ts";
import type { OfflineQueue } from "../queue/offline-queue.ts";
import type { QueuedMutation } from "../storage/queue-storage.ts";
import type { InputOf, OutputOf, ProcedureName, Transport } from "../transport/transport.ts";
import { callScope, raceSignal, type CallOptions } from "../util/abort.ts";
import { randomId } from "../util/ids.ts";
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

interface CoreOptions {
  transport: Transport;
  queue: OfflineQueue;
  timeoutMs: number;
  namespace: string;
  offlineQueue: boolean;
  readYourWrites: boolean;
}

type QueueableProcedure = QueuedMutation["procedure"];

/** Splits the per-call options (signal, timeout) from the procedure input. */
function split<T extends CallOptions>(options: T): [Omit<T, keyof CallOptions>, CallOptions] {
  const { signal, timeoutMs, ...input } = options;
  return [input, { ...(signal ? { signal } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) }];
}

function abortedBeforeStart(signal: AbortSignal): CacheError {
  return new CacheError({ code: "ABORTED", message: "the call was aborted by its signal", cause: signal.reason });
}

/** Procedures that only read, so repeating one cannot change anything. */
const READS: ReadonlySet<string> = new Set(["get", "status", "stats"]);

function checkKey(key: unknown, call: string): void {
  if (typeof key !== "string" || key === "") throw new TypeError(`${call}: key must be a non-empty string, got ${JSON.stringify(key)}`);
}

export function clientCore({ transport, queue, timeoutMs, namespace, offlineQueue, readYourWrites }: CoreOptions) {
  /** One call with its scope; no effect on the connection status. */
  async function rawCall<P extends ProcedureName>(procedure: P, input: InputOf<P>, options: CallOptions): Promise<OutputOf<P>> {
    const scope = callScope(options, timeoutMs);
    try {
      // Raced, not only passed on: tRPC's batch link aborts a request only once every call in its
      // batch is aborted, so a call batched with slower ones would otherwise outlive its own limit.
      return await raceSignal(transport.call(procedure, input, scope.signal), scope.signal);
    } catch (error) {
      if (scope.signal.aborted) throw scope.reason();
      throw error instanceof CacheError ? error : new CacheError({ code: "NETWORK_ERROR", message: String(error), cause: error });
    } finally {
      scope.dispose();
    }
  }

  /**
   * A read that got no answer at all is sent once more at once: the usual cause is a keep-alive
   * connection the server closed just as it was reused, and a read is safe to repeat. A second
   * failure is the caller's (or the offline queue's) to handle.
   */
  async function readOrRetryOnce<P extends ProcedureName>(procedure: P, input: InputOf<P>, options: CallOptions): Promise<OutputOf<P>> {
    try {
      return await rawCall(procedure, input, options);
    } catch (error) {
      if (!READS.has(procedure) || !(error instanceof CacheError) || error.code !== "NETWORK_ERROR" || options.signal?.aborted) throw error;
      return rawCall(procedure, input, options);
    }
  }

  /** A call made by the user: its outcome tells the queue whether the server is reachable. */
  async function call<P extends ProcedureName>(procedure: P, input: InputOf<P>, options: CallOptions): Promise<OutputOf<P>> {
    try {
      const output = await readOrRetryOnce(procedure, input, options);
      queue.noteReachable();
      return output;
    } catch (error) {
      if (error instanceof CacheError && error.retryable) queue.noteUnreachable(error.retryAfterMs);
      else if (error instanceof CacheError && error.status > 0) queue.noteReachable();
      throw error;
    }
  }

  /** Sends a mutation now, or queues it (when others wait, when offline, or when it could not get through). */
  async function mutate<P extends QueueableProcedure>(
    procedure: P,
    input: InputOf<P>,
    options: CallOptions,
  ): Promise<{ queued: false; output: OutputOf<P> } | { queued: true; mutation: QueuedMutation; applied: Promise<OutputOf<P>> }> {
    await queue.ready;
    // A caller who gave up before the call started gets ABORTED, even when the write would only be
    // queued: an aborted write must not reach the server later.
    if (options.signal?.aborted) throw abortedBeforeStart(options.signal);
    // Every mutation carries an idempotency key, so a send whose answer was lost can be replayed safely.
    const keyed = { ...input, idempotencyKey: input.idempotencyKey ?? randomId() };
    const mutation = { id: randomId(), procedure, input: keyed, queuedAt: Date.now() } as QueuedMutation;
    const enqueue = async () => {
      const { applied } = await queue.enqueue(mutation);
      return { queued: true as const, mutation, applied: applied as Promise<OutputOf<P>> };
    };
    if (offlineQueue && queue.mustQueue) return enqueue();
    try {
      return { queued: false, output: await call(procedure, keyed, options) };
    } catch (error) {
      if (offlineQueue && error instanceof CacheError && error.retryable) return enqueue();
      throw error;
    }
  }

  async function fetchStatus(id: string, ns: string, options: CallOptions): Promise<InvalidationStatus> {
    return call("status", { id, namespace: ns }, options);
  }

  /** The last queued write of a key, if any: what the server will hold once the queue drains. */
  function queuedWrite(ns: string, key: string): QueuedMutation | undefined {
    return queue.mutations.findLast(
      (m) => (m.procedure === "set" || m.procedure === "delete") && m.input.key === key && (m.input.namespace ?? namespace) === ns,
    );
  }

  async function startJob(result: Awaited<ReturnType<typeof mutate<"invalidate">>>): Promise<InvalidationHandle> {
    return result.queued
      ? invalidationHandle(result.applied, true, fetchStatus)
      : invalidationHandle(Promise.resolve(result.output), false, fetchStatus);
  }

  return {
    async get<T = JsonValue>(key: string, options: GetOptions = {}): Promise<CacheEntry<T>> {
      checkKey(key, "get");
      const [input, callOptions] = split(options);
      const ns = input.namespace ?? namespace;
      await queue.ready;
      const queued = readYourWrites ? queuedWrite(ns, key) : undefined;
      if (queued?.procedure === "set") {
        const { value, tags } = queued.input;
        return { found: true, value: value as T, state: "fresh", source: null, version: null, ageMs: 0, tags: tags ?? [], pending: true };
      }
      if (queued?.procedure === "delete") {
        return { found: false, value: null, state: "miss", source: null, version: null, ageMs: null, tags: [], pending: true };
      }
      const result = await call("get", { ...input, key, namespace: ns }, callOptions);
      return { ...result, value: result.value as T | null, pending: false };
    },

    async set(key: string, value: unknown, options: SetOptions = {}): Promise<MutationOutcome<OutputOf<"set">>> {
      checkKey(key, "set");
      if (value === undefined) throw new TypeError("set: value is undefined; JSON has no undefined (use null, or delete the key)");
      const [input, callOptions] = split(options);
      const result = await mutate(
        "set",
        { ...input, key, value: value as JsonValue, namespace: input.namespace ?? namespace },
        callOptions,
      );
      return result.queued
        ? { queued: true, id: result.mutation.id, idempotencyKey: result.mutation.input.idempotencyKey, applied: result.applied }
        : { ...result.output, queued: false };
    },

    async delete(key: string, options: DeleteOptions = {}): Promise<MutationOutcome<OutputOf<"delete">>> {
      checkKey(key, "delete");
      const [input, callOptions] = split(options);
      const result = await mutate("delete", { ...input, key, namespace: input.namespace ?? namespace }, callOptions);
      return result.queued
        ? { queued: true, id: result.mutation.id, idempotencyKey: result.mutation.input.idempotencyKey, applied: result.applied }
        : { ...result.output, queued: false };
    },

    async invalidate(options: InvalidateOptions): Promise<InvalidationHandle> {
      if (typeof options !== "object" || options === null) throw new TypeError("invalidate: pass { tags?, keys?, prefixes? }");
      const [input, callOptions] = split(options);
      return startJob(await mutate("invalidate", { ...input, namespace: input.namespace ?? namespace }, callOptions));
    },

    jobStatus(id: string, options: NamespaceOptions = {}): Promise<InvalidationStatus> {
      if (typeof id !== "string" || id === "") throw new TypeError("jobStatus: id must be the job's id string");
      const [input, callOptions] = split(options);
      return fetchStatus(id, input.namespace ?? namespace, callOptions);
    },

    stats(options: NamespaceOptions = {}) {
      const [input, callOptions] = split(options);
      return call("stats", { namespace: input.namespace ?? namespace }, callOptions);
    },

    flush(options: NamespaceOptions = {}) {
      const [input, callOptions] = split(options);
      return call("flush", { namespace: input.namespace ?? namespace }, callOptions);
    },

    async warm(selection: WarmSelection, options: NamespaceOptions = {}): Promise<InvalidationHandle> {
      const { keys, tags } = Array.isArray(selection) ? { keys: selection, tags: undefined } : (selection ?? {});
      if ((keys !== undefined && !Array.isArray(keys)) || (tags !== undefined && !Array.isArray(tags))) {
        throw new TypeError("warm: give an array of keys, or { keys?, tags? } with arrays");
      }
      const [input, callOptions] = split(options);
      const status = await call(
        "warm",
        { ...(keys && { keys }), ...(tags && { tags }), namespace: input.namespace ?? namespace },
        callOptions,
      );
      return invalidationHandle(Promise.resolve(status), false, fetchStatus);
    },

    /** Replays one queued mutation (used by the queue). */
    send(mutation: QueuedMutation): Promise<unknown> {
      return rawCall(mutation.procedure, mutation.input as never, {});
    },
  };
}
