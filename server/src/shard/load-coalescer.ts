/**
 * Request coalescing: concurrent loads of one key share one in-flight promise, successful or
 * failed. A failure is remembered for a short backoff so an outage is not hit again by every
 * caller (no herd). A write to the key while its load is in flight supersedes the load: the
 * load must not store its older result over the write (no resurrection by a slow load).
 */
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
        if (options.errorBackoffMs > 0) this.failures.set(key, { error, until: options.now() + options.errorBackoffMs });
        throw error;
      },
    );
    this.inFlight.set(key, { promise, token });
    return promise;
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
