/**
 * Request coalescing: concurrent loads of one key share one in-flight promise, successful or
 * failed. A failure is remembered for a short backoff so an outage is not hit again by every
 * caller (no herd). A write to the key while its load is in flight supersedes the load: the
 * load must not store its older result over the write (no resurrection by a slow load).
 *
 * The failure memory is bounded (FAILURE_MEMORY_CAP, least recently failed forgotten first): a
 * caller asking for many distinct keys that all fail must not grow the shard's memory without
 * limit. Forgetting a failure early only costs one more origin call for that key.
 */
export const FAILURE_MEMORY_CAP = 1_000;
export interface LoadToken {
  /** Set when the key was written, deleted or invalidated after the load started. */
  superseded: boolean;
}

interface InFlight<T> {
  promise: Promise<T>;
  token: LoadToken;
}

export class LoadCoalescer<T> {
  private readonly inFlight = new Map<string, InFlight<T>>();
  private readonly failures = new Map<string, { error: unknown; until: number }>();

  /** Whether a load of `key` is running. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** Failed loads remembered now (at most FAILURE_MEMORY_CAP). */
  get failuresRemembered(): number {
    return this.failures.size;
  }

  /** Number of loads running now. */
  get size(): number {
    return this.inFlight.size;
  }

  /**
   * Joins the key's running load, or rethrows its recent failure, or starts `load`.
   * `onJoin` is told when the caller shares another caller's load (for the `coalesced` counter).
   */
  run(
    key: string,
    options: { now: () => number; errorBackoffMs: number; onJoin: () => void },
    load: (token: LoadToken) => Promise<T>,
  ): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) {
      options.onJoin();
      return running.promise;
    }
    const failure = this.failures.get(key);
    if (failure && failure.until > options.now()) return Promise.reject(failure.error);
    this.failures.delete(key);

    const token: LoadToken = { superseded: false };
    const promise = load(token).then(
      (value) => {
        this.inFlight.delete(key);
        return value;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        if (options.errorBackoffMs > 0) this.rememberFailure(key, error, options.now() + options.errorBackoffMs);
        throw error;
      },
    );
    this.inFlight.set(key, { promise, token });
    return promise;
  }

  /** A Map keeps insertion order: re-inserting puts the key last, so the first is the oldest failure. */
  private rememberFailure(key: string, error: unknown, until: number): void {
    this.failures.delete(key);
    this.failures.set(key, { error, until });
    while (this.failures.size > FAILURE_MEMORY_CAP) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }

  /** A write landed: a running load of this key must not store its result, and a remembered failure no longer applies. */
  supersede(key: string): void {
    const running = this.inFlight.get(key);
    if (running) running.token.superseded = true;
    this.failures.delete(key);
  }

  /** Supersedes every running load (an invalidation by tag or prefix may match any of them). */
  supersedeAll(matches: (key: string) => boolean = () => true): void {
    for (const [key, running] of this.inFlight) if (matches(key)) running.token.superseded = true;
    for (const key of [...this.failures.keys()]) if (matches(key)) this.failures.delete(key);
  }
}
