/**
 * The targets of a job and one attempt at each: a CacheShard of the namespace (DO RPC), or an
 * external purge target (an HTTP POST of the selectors; any 2xx is success). An attempt either
 * returns how many keys it invalidated or throws an Error whose message is listed on failure.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import { shardByName } from "../routing/shard-stub.ts";
import { shardName } from "../routing/shard-routing.ts";
import type { DueTarget, NewTarget } from "./job.ts";

/** Every shard of the namespace, then every purge target, in the order they are tried. */
export function targetsFor(namespace: string, settings: NamespaceConfig): NewTarget[] {
  const shards = Array.from({ length: settings.shards }, (_, index): NewTarget => ({
    kind: "shard",
    address: shardName(namespace, index),
  }));
  const urls = (settings.purgeTargets ?? []).map(({ url }): NewTarget => ({ kind: "url", address: url }));
  return [...shards, ...urls];
}

/** How a target is named in `errors`: the shard's name, or the URL without its query (which may hold a secret). */
export function targetLabel(target: Pick<DueTarget, "kind" | "address">): string {
  if (target.kind === "shard") return `shard ${target.address}`;
  const url = new URL(target.address);
  return `purge target ${url.origin}${url.pathname}`;
}

/** The body a purge target receives. */
export interface PurgeRequest {
  jobId: string;
  namespace: string;
  tags: string[];
  keys: string[];
  prefixes: string[];
  mode: "purge" | "stale";
  createdAt: number;
}

export async function attempt(env: Env, target: DueTarget, timeoutMs: number): Promise<number> {
  const { selectors } = target;
  if (target.kind === "shard") {
    const outcome = await withTimeout(
      shardByName(env, target.address).invalidate({
        namespace: target.namespace,
        jobId: target.jobId,
        ...selectors,
        acceptedAt: target.createdAt,
      }),
      timeoutMs,
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value.invalidatedKeys;
  }
  const body: PurgeRequest = { jobId: target.jobId, namespace: target.namespace, ...selectors, createdAt: target.createdAt };
  let response: Response;
  try {
    response = await fetch(target.address, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : String(error);
    throw new Error(reason);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`answered ${response.status}`);
  return 0;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
}
