/**
 * The Coordinator's RPC surface as the Worker sees it, declared by hand like ShardRpc (the class
 * `implements` it), and the stub of a namespace's coordinator: one per namespace, by name.
 */
import type { InvalidationStatus } from "@cache-sync/contracts";
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
}

export function coordinatorFor(env: Env, namespace: string): CoordinatorRpc {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName(namespace)) as unknown as CoordinatorRpc;
}
