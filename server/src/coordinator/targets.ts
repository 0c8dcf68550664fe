/**
 * The targets of a job and one attempt at each: a CacheShard of the namespace (DO RPC), or an
 * external purge target (an HTTP POST of the selectors; any 2xx is success). An attempt either
 * returns how many keys it invalidated (and, for a shard working in chunks, whether it is done)
 * or throws an Error whose message is listed on failure.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import type { ShardGetRequest } from "../shard/shard-rpc.ts";
import { loadConfig } from "../config/load-config.ts";
import { unwrap } from "../errors.ts";
import { shardByName, shardForKey } from "../routing/shard-stub.ts";
import { shardName } from "../routing/shard-routing.ts";
import type { DueTarget, NewTarget } from "./job.ts";
import { warmTagsOn } from "./tag-warm-targets.ts";

/** Every shard of the namespace (of both counts while `shards` changes), then every purge target, in the order they are tried. */
export function targetsFor(namespace: string, settings: NamespaceConfig): NewTarget[] {
  // While a change of `shards` settles, entries may still sit in shards of the previous count.
  const count = Math.max(settings.shards, settings.previousShards ?? 0);
  const shards = Array.from({ length: count }, (_, index): NewTarget => ({
    kind: "shard",
    address: shardName(namespace, index),
  }));
  const urls = (settings.purgeTargets ?? []).map(({ url }): NewTarget => ({ kind: "url", address: url }));
  return [...shards, ...urls];
}

/** Keys per warm target: small, so progress moves and a failed chunk retries little. */
export const WARM_CHUNK = 10;

export function warmTargetsFor(keys: string[]): NewTarget[] {
  const targets: NewTarget[] = [];
  for (let i = 0; i < keys.length; i += WARM_CHUNK) {
    targets.push({ kind: "warm", address: JSON.stringify(keys.slice(i, i + WARM_CHUNK)) });
  }
  return targets;
}

/** How a target is named in `errors`: the shard's name, or the URL without its query (which may hold a secret). */
export function targetLabel(target: Pick<DueTarget, "kind" | "address">): string {
  if (target.kind === "shard") return `shard ${target.address}`;
  if (target.kind === "warm") return `warm of ${(JSON.parse(target.address) as string[]).join(", ")}`;
  if (target.kind === "warm-tags") return `tag warm on shard ${target.address}`;
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

/** What an attempt achieved: keys so far; `done: false` asks for another call (no failure, no backoff). */
export interface AttemptResult {
  keys: number;
  done: boolean;
}

export async function attempt(env: Env, target: DueTarget, timeoutMs: number): Promise<AttemptResult> {
  if (target.kind === "warm") return { keys: await withTimeout(warmChunk(env, target), timeoutMs), done: true };
  if (target.kind === "warm-tags") return { keys: await withTimeout(warmTagsOn(env, target), timeoutMs), done: true };
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
    // A shard of an older build answers without `done`: it did everything in one go.
    return { keys: outcome.value.invalidatedKeys, done: outcome.value.done !== false };
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
  return { keys: 0, done: true };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
}

/**
 * Loads a chunk of keys one after another through their shards, as reads that accept nothing
 * stale: a fresh key costs nothing, the others are loaded (coalesced with concurrent readers).
 * Returns how many keys exist at the origin; a failed load fails the chunk, which is retried.
 */
async function warmChunk(env: Env, target: DueTarget): Promise<number> {
  const config = loadConfig(env.CACHE_CONFIG);
  let found = 0;
  for (const key of JSON.parse(target.address) as string[]) {
    // Not maxStaleMs: 0, which still serves an entry that went stale this very millisecond.
    const request: ShardGetRequest = { namespace: target.namespace, key, serveStale: false };
    const result = unwrap(await shardForKey(env, config, target.namespace, key).get(request));
    if (result.found) found++;
  }
  return found;
}
