/**
 * The mutations each client queues: 10 keys × 10 steps, round-robin, set(ifVersion: 0), delete,
 * set(ifVersion: 0), …, then a plain set with the final value. A set applied twice, or before its
 * delete, is a CONFLICT (a dead letter); a delete applied twice answers `deleted: false`. So
 * "no dead letters, every delete deleted something" means: applied exactly once, in order.
 */
import type { CacheClient, DeleteResult, SetResult } from "../../../src/index.ts";

export const KEYS = 10;
export const STEPS = 10;

export interface WorkloadOutcome {
  procedure: "set" | "delete";
  key: string;
  result: SetResult | DeleteResult;
}

export async function queueWorkload(cache: CacheClient, prefix: string) {
  const queued: Array<{ procedure: "set" | "delete"; key: string; applied: Promise<SetResult | DeleteResult> }> = [];
  for (let step = 0; step < STEPS; step++) {
    for (let k = 0; k < KEYS; k++) {
      const key = `${prefix}-${k}`;
      const value = { key, step };
      const procedure = step % 2 === 1 && step !== STEPS - 1 ? "delete" : "set";
      const outcome =
        procedure === "delete" ? await cache.delete(key) : await cache.set(key, value, step === STEPS - 1 ? {} : { ifVersion: 0 });
      if (!outcome.queued) throw new Error(`${key} step ${step} was applied at once: the server should be down`);
      queued.push({ procedure, key, applied: outcome.applied });
    }
  }
  return queued;
}
