/** Reaches a namespace's Coordinator from a test: run its alarm now, move its clock, read its tables. */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { InvalidationStatus } from "@cache-sync/contracts";
import type { Coordinator } from "../../src/coordinator/coordinator.ts";
import type { TargetRow } from "../../src/coordinator/job.ts";
import { ok, query } from "./trpc-http.ts";
import { inCoordinator } from "./in-object.ts";

export function coordinatorStub(namespace: string): DurableObjectStub<Coordinator> {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName(namespace));
}

/**
 * Runs the coordinator's alarm now if one is set, then waits for any run still going (an alarm
 * the runtime fired by itself): afterwards every target that was due has had its attempt.
 */
export async function settleCoordinator(namespace: string): Promise<void> {
  const stub = coordinatorStub(namespace);
  await runDurableObjectAlarm(stub);
  await inCoordinator(stub, (coordinator) => coordinator.idle());
}

/** Moves the coordinator's clock forward by `ms`, as if that much time had passed. */
export function advanceCoordinatorClock(namespace: string, ms: number): Promise<void> {
  return inCoordinator(coordinatorStub(namespace), (coordinator) => coordinator.clock.advance(ms));
}

export function jobStatus(namespace: string, id: string): Promise<InvalidationStatus> {
  return ok<InvalidationStatus>(query("status", { namespace, id }));
}

/** Settles the coordinator until the job is finished (for jobs whose targets all answer at once). */
export async function finishedJob(namespace: string, id: string): Promise<InvalidationStatus> {
  for (let round = 0; round < 20; round++) {
    const status = await jobStatus(namespace, id);
    if (status.state === "completed" || status.state === "failed") return status;
    await settleCoordinator(namespace);
  }
  throw new Error(`job ${id} in ${namespace} did not finish: ${JSON.stringify(await jobStatus(namespace, id))}`);
}

/** The job's target rows, as the coordinator stored them. */
export function targetRows(namespace: string, id: string): Promise<TargetRow[]> {
  return inCoordinator(coordinatorStub(namespace), (_coordinator, state) =>
    state.storage.sql
      .exec<TargetRow>(`SELECT t.* FROM targets t JOIN jobs j ON j.seq = t.job_seq WHERE j.id = ? ORDER BY t.idx`, id)
      .toArray(),
  );
}
