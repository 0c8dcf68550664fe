/**
 * The targets of a job and one attempt at each: a CacheShard of the namespace (DO RPC), the colo
 * tier (when `coloTier` is on and the namespace's answers may be kept by shared caches), or an
 * external purge target (external-targets.ts). An attempt either returns how many keys it
 * invalidated (and, for a shard working in chunks, whether it is done) or throws an Error whose
 * message is listed on failure.
 */
import type { CacheConfig, NamespaceConfig } from "@cache-sync/contracts";
import type { ColoIndex } from "../colo/colo-index.ts";
import type { ColoPurge } from "../colo/colo-tier.ts";
import type { ShardGetRequest } from "../shard/shard-rpc.ts";
import { loadConfig } from "../config/load-config.ts";
import { unwrap } from "../errors.ts";
import { shardByName, shardForKey } from "../routing/shard-stub.ts";
import { shardName } from "../routing/shard-routing.ts";
import { attemptExternal } from "./external-targets.ts";
import type { DueTarget, NewTarget } from "./job.ts";
import { warmTagsOn } from "./tag-warm-targets.ts";

export type { PurgeRequest } from "./external-targets.ts";

/**
 * Every shard of the namespace (of both counts while `shards` changes), then the colo tier, then
 * every purge target, in the order they are tried.
 */
export function targetsFor(namespace: string, settings: NamespaceConfig, coloTier: CacheConfig["coloTier"] = "off"): NewTarget[] {
  // While a change of `shards` settles, entries may still sit in shards of the previous count.
  const count = Math.max(settings.shards, settings.previousShards ?? 0);
  const shards = Array.from(
    { length: count },
    (_, index): NewTarget => ({
      kind: "shard",
      address: shardName(namespace, index),
    }),
  );
  // Only a public namespace's answers are ever kept by a shared cache (proxy/http-caching.ts).
  const colo: NewTarget[] =
    coloTier !== "off" && settings.publicRead && settings.httpCache.sharedMaxAgeMs > 0
      ? [{ kind: "workers-cache", address: coloTier }]
      : [];
  const external = (settings.purgeTargets ?? []).map((target): NewTarget => {
    if (!("kind" in target)) return { kind: "url", address: target.url };
    return { kind: target.kind, address: JSON.stringify(target) };
  });
  return [...shards, ...colo, ...external];
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

/** How a target is named in `errors`: never a secret, nor a URL's query (which may hold one). */
export function targetLabel(target: Pick<DueTarget, "kind" | "address">): string {
  switch (target.kind) {
    case "shard":
      return `shard ${target.address}`;
    case "warm":
      return `warm of ${(JSON.parse(target.address) as string[]).join(", ")}`;
    case "warm-tags":
      return `tag warm on shard ${target.address}`;
    case "workers-cache":
      return `colo tier (${target.address})`;
    case "cloudflare-zone":
      return `cloudflare zone ${(JSON.parse(target.address) as { zoneId: string }).zoneId}`;
    case "http":
      return `http purge target ${urlWithoutQuery((JSON.parse(target.address) as { url: string }).url)}`;
    case "url":
      return `purge target ${urlWithoutQuery(target.address)}`;
  }
}

function urlWithoutQuery(address: string): string {
  const url = new URL(address);
  return `${url.origin}${url.pathname}`;
}

/** What an attempt needs beyond the target: the coordinator's colo index, and the entrypoint serving `/r`. */
export interface AttemptDeps {
  coloIndex: ColoIndex;
  entrypoint: () => { purgeColoTier(purge: ColoPurge): Promise<number> };
}

/** What an attempt achieved: keys so far; `done: false` asks for another call (no failure, no backoff). */
export interface AttemptResult {
  keys: number;
  done: boolean;
}

export async function attempt(env: Env, target: DueTarget, timeoutMs: number, deps: AttemptDeps): Promise<AttemptResult> {
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
  if (target.kind === "workers-cache") {
    const purge: ColoPurge = {
      namespace: target.namespace,
      tags: selectors.tags,
      keys: selectors.keys,
      keyPrefixes: selectors.prefixes,
      soft: selectors.mode === "stale",
    };
    // Answers removed from the colo tier are not keys: the shards count those.
    if (target.address === "cache-api") await withTimeout(deps.coloIndex.purge(purge), timeoutMs);
    else await withTimeout(deps.entrypoint().purgeColoTier(purge), timeoutMs);
    return { keys: 0, done: true };
  }
  await attemptExternal(env, target, timeoutMs);
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
