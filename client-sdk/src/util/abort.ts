/** Signals and waits that every call shares: a caller's signal plus a timeout, as one. */
import { CacheError } from "../errors/cache-error.ts";

/**
 * What every call accepts besides its own options: an `AbortSignal` and a time limit. A call that
 * is aborted rejects with a CacheError `ABORTED`; one that runs out of time with `TIMEOUT`.
 *
 * @example
 * const controller = new AbortController();
 * await cache.set("draft", text, { signal: controller.signal, timeoutMs: 3_000 });
 */
export interface CallOptions {
  /** Cancels the call; it rejects with a CacheError `ABORTED`. */
  signal?: AbortSignal;
  /** Gives up after this long with a CacheError `TIMEOUT`. @default the client's `timeoutMs` */
  timeoutMs?: number;
}

export interface CallScope {
  signal: AbortSignal;
  /** The error to throw now that `signal` fired: TIMEOUT or ABORTED. */
  reason(): CacheError;
  dispose(): void;
}

/** One signal that fires on the caller's abort or when `timeoutMs` passes, and knows which. */
export function callScope(options: CallOptions, defaultTimeoutMs: number): CallScope {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  let timedOut = false;
  const timer =
    Number.isFinite(timeoutMs) && timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    reason: () =>
      timedOut
        ? new CacheError({ code: "TIMEOUT", message: `no answer within ${timeoutMs} ms` })
        : new CacheError({ code: "ABORTED", message: "the call was aborted by its signal", cause: options.signal?.reason }),
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    },
  };
}

/** Waits `ms`, or rejects as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Settles with `work`, or rejects when `signal` fires (for transports that cannot cancel). */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {}); // nobody waits for it any more: its failure must not surface as unhandled
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
