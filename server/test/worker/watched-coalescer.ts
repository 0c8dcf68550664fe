/**
 * The shard's load coalescer, watched: tests await the loads running now (a background refresh,
 * say) instead of polling for them to end.
 */
import { LoadCoalescer, type LoadToken } from "../../src/shard/load-coalescer.ts";

export class WatchedCoalescer<T> extends LoadCoalescer<T> {
  private readonly running = new Set<Promise<T>>();

  override run(key: string, options: Parameters<LoadCoalescer<T>["run"]>[1], load: (token: LoadToken) => Promise<T>): Promise<T> {
    const promise = super.run(key, options, load);
    if (!this.running.has(promise)) {
      this.running.add(promise);
      const forget = () => this.running.delete(promise);
      promise.then(forget, forget);
    }
    return promise;
  }

  /** Resolves once no load is running, including loads that started while it waited. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
