/**
 * Accepting jobs and answering for them: validation, idempotency keys, the queue bound and the
 * `InvalidationStatus` of a stored job. Running them is the JobRunner's part.
 */
import { LIMITS, invalidateInput, warmInput, type InvalidationStatus, type CacheConfig, type NamespaceConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { validated } from "../validation/zod-errors.ts";
import { PRIORITY_RANK, selectorsOf, type JobRow } from "./job.ts";
import type { JobStore } from "./job-store.ts";
import { tagWarmTargetsFor } from "./tag-warm-targets.ts";
import { targetLabel, targetsFor, warmTargetsFor } from "./targets.ts";

/**
 * What a refused caller is told to wait. Jobs usually finish in well under a second; a full
 * queue means a backlog or a failing target, so ask for a few seconds rather than a spin.
 */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

type ColoTierKind = CacheConfig["coloTier"];

export class JobQueue {
  constructor(
    private readonly store: JobStore,
    private readonly transaction: <T>(work: () => T) => T,
  ) {}

  /**
   * Stores the job (with one row per target) and answers its status, `queued`. Its targets are
   * held for `holdMs` while the caller takes the shards' fences, then released (coordinator/fence.ts).
   */
  accept(
    input: unknown,
    settings: NamespaceConfig,
    now: number,
    { holdMs = 0, coloTier = "off" }: { holdMs?: number; coloTier?: ColoTierKind } = {},
  ): InvalidationStatus {
    const request = validated(invalidateInput, input);
    const stored = JSON.stringify(selectorsOf(request));
    return this.enqueue(
      request,
      stored,
      PRIORITY_RANK[request.priority],
      targetsFor(request.namespace, settings, coloTier),
      settings,
      now,
      holdMs,
    );
  }

  /**
   * A warm job: the keys are loaded in chunks through their shards (coalesced with other reads),
   * at most `invalidation.concurrency` chunks — so origin requests — at a time. Tags add one
   * target per shard, which reloads the keys it has seen with them (tag-warm-targets.ts). Its
   * `invalidatedKeys` counts the keys that were found and are now cached.
   */
  acceptWarm(input: unknown, settings: NamespaceConfig, now: number): InvalidationStatus {
    const request = validated(warmInput, input);
    if (!settings.origin && settings.writeBehind?.sink !== "d1") {
      throw new CacheError("BAD_REQUEST", `namespace "${request.namespace}" has no origin to warm keys from`);
    }
    const keys = [...new Set(request.keys)];
    const tags = [...new Set(request.tags)];
    // A keys-only job is stored as before tags existed; tags ride along for the shard targets.
    const stored = JSON.stringify(tags.length > 0 ? { warm: keys, tags } : { warm: keys });
    const targets = [...warmTargetsFor(keys), ...(tags.length > 0 ? tagWarmTargetsFor(request.namespace, settings) : [])];
    return this.enqueue({ namespace: request.namespace }, stored, PRIORITY_RANK.low, targets, settings, now);
  }

  private enqueue(
    request: { namespace: string; idempotencyKey?: string | undefined },
    stored: string,
    priority: number,
    targets: ReturnType<typeof targetsFor>,
    settings: NamespaceConfig,
    now: number,
    holdMs = 0,
  ): InvalidationStatus {
    return this.transaction(() => {
      if (request.idempotencyKey !== undefined) {
        const earlier = this.store.byIdempotencyKey(request.idempotencyKey);
        if (earlier) return this.replay(earlier, request.idempotencyKey, stored, priority);
      }
      const unfinished = this.store.unfinishedCount();
      if (unfinished >= settings.invalidation.maxQueuedJobs) {
        throw new CacheError(
          "TOO_MANY_REQUESTS",
          `namespace "${request.namespace}" has ${unfinished} invalidation jobs queued or running (at most ${settings.invalidation.maxQueuedJobs}); retry after ${QUEUE_FULL_RETRY_AFTER_SECONDS} s`,
          { namespace: request.namespace, retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_SECONDS },
        );
      }
      const job = this.store.insert(
        {
          id: crypto.randomUUID(),
          namespace: request.namespace,
          idempotencyKey: request.idempotencyKey,
          request: stored,
          priority,
          createdAt: now,
        },
        targets,
        now + holdMs,
      );
      return this.statusOf(job);
    });
  }

  status(namespace: string, id: string): InvalidationStatus {
    const job = this.store.byId(id);
    if (!job) {
      throw new CacheError("NOT_FOUND", `no invalidation job "${id}" in namespace "${namespace}" (finished jobs are kept for 24 hours)`, {
        namespace,
        id,
      });
    }
    return this.statusOf(job);
  }

  /** The namespace's most recent jobs as callers see them, newest first (at most LIMITS.jobsPerList). */
  recent(limit: number): InvalidationStatus[] {
    const bounded = Math.min(LIMITS.jobsPerList, Math.max(1, Math.floor(limit) || LIMITS.jobsPerListDefault));
    return this.store.recent(bounded).map((job) => this.statusOf(job));
  }

  /** A replay answers the first job, but only for the same invalidation: a reused key is a caller bug. */
  private replay(earlier: JobRow, idempotencyKey: string, stored: string, priority: number): InvalidationStatus {
    if (earlier.request !== stored || earlier.priority !== priority) {
      throw new CacheError(
        "BAD_REQUEST",
        `idempotencyKey "${idempotencyKey}" was already used for a different invalidation (job ${earlier.id}); use a new key`,
        { jobId: earlier.id },
      );
    }
    return this.statusOf(earlier);
  }

  private statusOf(job: JobRow): InvalidationStatus {
    const progress = this.store.progress(job.seq);
    const finishedTargets = progress.completed + progress.failed;
    return {
      id: job.id,
      namespace: job.namespace,
      state: job.state,
      // Floored, so 100 means every target is finished.
      progress: progress.total === 0 ? 100 : Math.floor((100 * finishedTargets) / progress.total),
      totalTargets: progress.total,
      completedTargets: progress.completed,
      failedTargets: progress.failed,
      invalidatedKeys: progress.invalidatedKeys,
      errors: progress.failures.map(
        (target) => `${targetLabel(target)}: ${target.last_error ?? "failed"} (gave up after ${target.attempts} attempts)`,
      ),
      createdAt: job.created_at,
      startedAt: job.started_at,
      finishedAt: job.finished_at,
    };
  }
}
