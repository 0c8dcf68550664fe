/** A handle on an invalidation job: its id, its current status, and `done()` to await the end. */
import { CacheError } from "../errors/cache-error.ts";
import type { InvalidationStatus } from "../generated/wire-types.ts";
import { callScope, raceSignal, sleep, type CallOptions } from "../util/abort.ts";

/**
 * Options of `done()`: progress reports, failure handling, the polling schedule (fast at first,
 * slower later) and the overall limit.
 *
 * @example
 * await job.done({ onProgress: (s) => bar.set(s.progress), throwOnFailure: true, timeoutMs: 60_000, signal });
 */
export interface DoneOptions extends CallOptions {
  /** Called with each status that differs from the last one reported; progress never goes back. */
  onProgress?: (status: InvalidationStatus) => void;
  /** Reject with a CacheError `JOB_FAILED` (carrying the status as `job`) when the job fails. @default false */
  throwOnFailure?: boolean;
  /** First wait between polls; later waits grow by 1.5× up to `maxIntervalMs`. @default 100 */
  initialIntervalMs?: number;
  /** @default 2000 */
  maxIntervalMs?: number;
  /** Overall limit; unlike plain calls, `done` waits without one unless given. @default Infinity */
  timeoutMs?: number;
}

/**
 * What `invalidate()` returns.
 *
 * @example
 * const job = await cache.invalidate({ tags: ["catalog"] });
 * const final = await job.done({ onProgress: (s) => bar.set(s.progress), timeoutMs: 60_000 });
 * console.log(final.invalidatedKeys, "entries invalidated");
 */
export interface InvalidationHandle {
  /** The job id; undefined while the invalidation waits in the offline queue. */
  readonly id: string | undefined;
  /** True while the invalidation waits in the offline queue. */
  readonly queued: boolean;
  /** Resolves with the job's first status once the server accepted it (at once unless queued). */
  readonly accepted: Promise<InvalidationStatus>;
  /**
   * The job's current status (waits for `accepted` first).
   * @example
   * const { progress } = await job.status({ timeoutMs: 2_000 });
   */
  status(options?: CallOptions): Promise<InvalidationStatus>;
  /**
   * Polls until the job is `completed` or `failed` and resolves with that status.
   * @example
   * const final = await job.done({ timeoutMs: 30_000 });
   * if (final.state === "failed") console.warn(final.errors);
   */
  done(options?: DoneOptions): Promise<InvalidationStatus>;
}

const FINAL_STATES = new Set<InvalidationStatus["state"]>(["completed", "failed"]);

export type FetchStatus = (id: string, namespace: string, options: CallOptions) => Promise<InvalidationStatus>;

export function invalidationHandle(accepted: Promise<InvalidationStatus>, queued: boolean, fetchStatus: FetchStatus): InvalidationHandle {
  let job: InvalidationStatus | undefined;
  const tracked = accepted.then((status) => (job = status));
  tracked.catch(() => {}); // reported through `accepted`/`done` to whoever asks
  return {
    get id() {
      return job?.id;
    },
    get queued() {
      return job === undefined && queued;
    },
    accepted: tracked,
    async status(options = {}) {
      const first = await tracked;
      return fetchStatus(first.id, first.namespace, options);
    },
    done: (options = {}) => pollUntilDone(tracked, fetchStatus, options),
  };
}

async function pollUntilDone(
  accepted: Promise<InvalidationStatus>,
  fetchStatus: FetchStatus,
  options: DoneOptions,
): Promise<InvalidationStatus> {
  const scope = callScope(options, Number.POSITIVE_INFINITY);
  const maxInterval = options.maxIntervalMs ?? 2_000;
  let interval = options.initialIntervalMs ?? 100;
  let reported: InvalidationStatus | undefined;
  const report = (status: InvalidationStatus) => {
    const changed = !reported || status.state !== reported.state || status.progress > reported.progress;
    if (changed && (!reported || status.progress >= reported.progress)) {
      reported = status;
      options.onProgress?.(status);
    }
  };
  try {
    let status = await raceSignal(accepted, scope.signal);
    for (;;) {
      report(status);
      if (FINAL_STATES.has(status.state)) break;
      await sleep(interval, scope.signal);
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
      try {
        status = await fetchStatus(status.id, status.namespace, { signal: scope.signal });
      } catch (error) {
        // A dropped poll is not the job's failure: keep polling through outages until told to stop.
        if (scope.signal.aborted || !(error instanceof CacheError) || !error.retryable) throw error;
      }
    }
    if (status.state === "failed" && options.throwOnFailure) {
      throw new CacheError({
        code: "JOB_FAILED",
        message: `invalidation ${status.id} failed: ${status.errors.join("; ") || "no reason given"}`,
        job: status,
      });
    }
    return status;
  } catch (error) {
    if (scope.signal.aborted) throw scope.reason();
    throw error;
  } finally {
    scope.dispose();
  }
}
