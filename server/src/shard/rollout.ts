/**
 * Rollout modes for an origin namespace, so a cache can be put in front of a live API safely:
 * `shadow` proves the cache agrees with the origin before anyone is served from it, `canary`
 * serves a stable share of keys from it.
 */
import type { GetResult } from "@cache-sync/contracts";
import { fnv1a } from "../routing/shard-routing.ts";
import type { OriginResult } from "../origin/origin-client.ts";

/**
 * Whether a key takes the cached path in canary mode. A different hash seed than shard routing,
 * so the canary share is spread evenly over the shards.
 */
export function inCanary(key: string, percent: number): boolean {
  return (fnv1a(`canary:${key}`) % 10_000) / 100 < percent;
}

/** The origin's answer as a read result: what shadow and non-canary reads return. */
export function originAnswer(result: OriginResult, version: number | null): GetResult {
  if (result.kind === "not-found") {
    return { found: false, value: null, state: "miss", source: null, version: null, ageMs: null, tags: [] };
  }
  return { found: true, value: result.value, state: "miss", source: "origin", version, ageMs: 0, tags: result.tags };
}

/** Whether the cache's answer differs from the origin's (presence or JSON value). */
export function differs(cached: GetResult, origin: OriginResult): boolean {
  if (origin.kind === "not-found") return cached.found;
  return !cached.found || JSON.stringify(cached.value) !== origin.json;
}
