/**
 * The Coordinator's RPC surface as the Worker sees it, declared by hand like ShardRpc (the class
 * `implements` it), and the stub of a namespace's coordinator: one per namespace, by name.
 */
import type { InvalidationStatus } from "@cache-sync/contracts";
import type { ColoEntry } from "../colo/colo-tier.ts";
import type { Outcome } from "../errors.ts";
import type { JobState } from "./job.ts";

export interface CoordinatorRpc {
  /** Validates and stores the job; answers `queued` at once. The work runs from the alarm. */
  invalidate(input: unknown): Promise<Outcome<InvalidationStatus>>;
  /** A warm job: loads the keys from the origin in the background, polled with `status`. */
  warm(input: unknown): Promise<Outcome<InvalidationStatus>>;
  status(request: { namespace: string; id: string }): Promise<Outcome<InvalidationStatus>>;
  /** Jobs held now, by state, for `stats.invalidations`. */
  counts(): Promise<Record<JobState, number>> | Record<JobState, number>;
  /** The most recent `limit` jobs (invalidations and warms), newest first, for the `jobs` procedure. */
  recentJobs(limit: number): Promise<InvalidationStatus[]> | InvalidationStatus[];
  /** Keeps an answer in the colo tier (`coloTier: "cache-api"`) unless an invalidation since its start matches it. */
  coloStore(entry: ColoEntry): Promise<boolean>;
}

export function coordinatorFor(env: Env, namespace: string): CoordinatorRpc {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName(namespace)) as unknown as CoordinatorRpc;
}
