/**
 * The shard side of warming by tag: find the keys this shard has seen with the tags (the
 * `entry_tags` index, which keeps stale and not-yet-swept entries — exactly the ones worth warming)
 * and bring each back fresh from its source, a bounded number at a time.
 */
import type { GetAnswer } from "./get-answer.ts";
import { CacheError } from "../errors.ts";
import type { ShardGetRequest } from "./shard-rpc.ts";

/** What a namespace's coordinator sends one shard for a warm job with tags. */
export interface ShardTagWarm {
  namespace: string;
  /** The coordinator's job id: a retry while the first attempt still runs joins it. */
  jobId: string;
  tags: string[];
  /** Keys loaded at once by this shard (the coordinator's share of its origin concurrency). */
  concurrency: number;
}

export interface ShardTagWarmResult {
  /** Tagged keys that exist at their source and are fresh now (loaded, or already fresh). */
  warmedKeys: number;
}

export interface TagWarmDeps {
  /** Keys the shard has seen with any of the tags (EntryStore.taggedKeys). */
  taggedKeys: (tags: string[]) => string[];
  /** The shard's read path (memory → SQLite → coalesced load), so warming joins live reads' loads. */
  get: (request: ShardGetRequest) => Promise<GetAnswer>;
}

export class TagWarmer {
  /** Runs by job id: an attempt the coordinator timed out keeps running, and its retry waits for it. */
  private readonly running = new Map<string, Promise<ShardTagWarmResult>>();

  constructor(private readonly deps: TagWarmDeps) {}

  warm(request: ShardTagWarm): Promise<ShardTagWarmResult> {
    const running = this.running.get(request.jobId);
    if (running) return running;
    const run = this.run(request).finally(() => this.running.delete(request.jobId));
    this.running.set(request.jobId, run);
    return run;
  }

  private async run({ namespace, tags, concurrency }: ShardTagWarm): Promise<ShardTagWarmResult> {
    const keys = this.deps.taggedKeys(tags);
    let warmedKeys = 0;
    const failures: { key: string; message: string }[] = [];
    // Every key is tried even when some fail, so one bad key does not keep the rest cold; the
    // coordinator's retry then costs nothing for the keys that are fresh by then.
    await forEachBounded(keys, concurrency, async (key) => {
      try {
        const result = await this.deps.get({ namespace, key, serveStale: false });
        if (result.found) warmedKeys++;
      } catch (error) {
        failures.push({ key, message: error instanceof Error ? error.message : String(error) });
      }
    });
    const first = failures[0];
    if (first) {
      throw new CacheError(
        "BAD_GATEWAY",
        `${failures.length} of ${keys.length} tagged keys failed to load; first "${first.key}": ${first.message}`,
      );
    }
    return { warmedKeys };
  }
}

/** Runs `work` on every item with at most `limit` running at once. */
async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
