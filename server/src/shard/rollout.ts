/**
 * Rollout modes for an origin namespace, so a cache can be put in front of a live API safely:
 * `shadow` proves the cache agrees with the origin before anyone is served from it, `canary`
 * serves a stable share of keys from it.
 */
import { fnv1a } from "../routing/shard-routing.ts";
import type { OriginResult } from "../origin/origin-client.ts";
import { NOT_FOUND_ANSWER, type GetAnswer } from "./get-answer.ts";

/**
 * Whether a key takes the cached path in canary mode. A different hash seed than shard routing,
 * so the canary share is spread evenly over the shards.
 */
export function inCanary(key: string, percent: number): boolean {
  return (fnv1a(`canary:${key}`) % 10_000) / 100 < percent;
}

/** The origin's answer as a read result: what shadow and non-canary reads return. */
export function originAnswer(result: OriginResult, version: number | null): GetAnswer {
  if (result.kind === "not-found") return NOT_FOUND_ANSWER;
  return { found: true, valueJson: result.json, state: "miss", source: "origin", version, ageMs: 0, tags: result.tags };
}

/** Whether the cache's answer differs from the origin's (presence or JSON value). */
export function differs(cached: GetAnswer, origin: OriginResult): boolean {
  if (origin.kind === "not-found") return cached.found;
  return !cached.found || cached.valueJson !== origin.json;
}
