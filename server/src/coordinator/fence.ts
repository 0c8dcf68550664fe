/**
 * Fences: "written before the invalidate call" without comparing two machines' clocks.
 *
 * A namespace's shards and its coordinator are separate objects, possibly on separate machines, so
 * a shard's `Date.now()` and the coordinator's disagree by an unknown skew. Instead of comparing
 * them, every shard keeps its own sequence (its version counter: shard/entry-store.ts). Each entry
 * records the sequence at which its data was known — a write's version, or the sequence when the
 * load that fetched it began — and an invalidate call, before it answers, asks every shard of the
 * namespace for a fence: the shard's sequence now, F, after which the shard moves its sequence
 * past F. The job then reaches exactly the entries at or below F:
 *
 * - a write acknowledged before the call began was given its sequence before the fence was taken
 *   (a Durable Object runs one event at a time), so it is at or below F, and is invalidated;
 * - a write that begins after the call returned comes after the fence, above F, and survives;
 * - a load that began before the fence carries a sequence at or below F, so what it brings back
 *   is invalidated even if it lands later.
 *
 * The job's targets are held while the fences are taken, so no shard works on the job before its
 * fence exists. A shard that cannot be reached within FENCE_TIMEOUT_MS gets no fence; the job is
 * released anyway and that shard falls back to comparing `written_at` with the job's acceptance
 * time, the clock-based rule (exact only while clocks agree). The hold ends by itself after
 * FENCE_HOLD_MS, so a coordinator that dies mid-call does not strand its job.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import { shardByName } from "../routing/shard-stub.ts";
import { targetsFor } from "./targets.ts";

/** How long an invalidate call waits for the shards' fences. */
export const FENCE_TIMEOUT_MS = 2_000;
/** How long a new job's targets are held for their fences at most (more than FENCE_TIMEOUT_MS). */
export const FENCE_HOLD_MS = 5_000;

export interface FenceOutcome {
  fenced: number;
  /** Shards that gave no fence in time; they use the clock-based rule for this job. */
  unfenced: string[];
}

/** Takes the fence of every shard the job will reach, in parallel, within FENCE_TIMEOUT_MS. */
export async function takeFences(env: Env, namespace: string, settings: NamespaceConfig, jobId: string): Promise<FenceOutcome> {
  const shards = targetsFor(namespace, settings).filter((target) => target.kind === "shard");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), FENCE_TIMEOUT_MS)));
  try {
    const fenced = await Promise.all(
      shards.map(({ address }) => {
        const taken = shardByName(env, address)
          .fence({ jobId, namespace })
          .then((outcome) => outcome.ok)
          .catch(() => false);
        return Promise.race([taken, deadline]);
      }),
    );
    const unfenced = shards.filter((_, i) => !fenced[i]).map(({ address }) => address);
    return { fenced: shards.length - unfenced.length, unfenced };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
