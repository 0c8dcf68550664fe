/**
 * The shard's part in an invalidation job, wired to its tiers: the fence the coordinator takes
 * while the invalidate call is in progress (coordinator/fence.ts), and the chunked purge or soft
 * purge itself (invalidation.ts), which must reach the memory tier and the loads in flight too.
 */
import type { Clock } from "../clock/clock.ts";
import { invalidateEntries, type ShardInvalidation, type ShardInvalidationResult } from "./invalidation.ts";
import type { JobMemoStore } from "./job-memo-store.ts";
import type { Tiers } from "./tiers.ts";

export interface InvalidatorDeps {
  tiers: Tiers;
  jobMemos: JobMemoStore;
  clock: Clock;
  transaction: <T>(work: () => T) => T;
  /** Books the sweep that drops the job's memo once it expires (upkeep). */
  scheduleSweep: (expiresAt: number) => Promise<void>;
}

export class Invalidator {
  constructor(private readonly deps: InvalidatorDeps) {}

  /**
   * Takes this shard's fence for a job whose invalidate call is in progress: what it knows now,
   * the job reaches; what it learns from now on, the job leaves alone. A retry gets the same fence.
   */
  fence({ jobId, namespace }: { jobId: string; namespace: string }): { fence: number } {
    const { clock, transaction, jobMemos, tiers } = this.deps;
    const now = clock.now();
    const fence = transaction(() => {
      const existing = jobMemos.read(jobId, now);
      if (existing !== undefined) return existing.fence ?? null;
      const taken = tiers.store.fence();
      jobMemos.saveFence(jobId, namespace, taken, now);
      return taken;
    });
    return { fence: fence ?? -1 };
  }

  /** One coordinator job's share of an invalidation: up to a bounded number of chunks (invalidation.ts). */
  async invalidate(request: ShardInvalidation): Promise<ShardInvalidationResult> {
    const { clock, transaction, jobMemos, tiers } = this.deps;
    const now = clock.now();
    const effects = {
      forget: (key: string) => tiers.forget(key),
      supersedeLoads: (matches: (key: string) => boolean) => tiers.supersedeLoads(matches),
    };
    const result = invalidateEntries({ store: tiers.store, transaction, memos: jobMemos, effects }, request, now);
    await this.deps.scheduleSweep(now); // the job's memo expires like any idempotency record
    return result;
  }
}
