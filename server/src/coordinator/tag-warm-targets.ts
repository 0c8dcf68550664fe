/**
 * The coordinator side of warming by tag. Only the shards know which keys carry a tag, so a tag
 * warm has one target per shard of the namespace; each shard reloads its own tagged keys,
 * several at a time. The namespace's `invalidation.concurrency` stays the bound on origin loads:
 * a shard's share is `concurrency / min(concurrency, shards)` loads, and the runner counts its
 * target as that many of its slots.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { shardByName } from "../routing/shard-stub.ts";
import { shardName } from "../routing/shard-routing.ts";
import type { DueTarget, NewTarget } from "./job.ts";

export function tagWarmTargetsFor(namespace: string, settings: NamespaceConfig): NewTarget[] {
  return Array.from(
    { length: settings.shards },
    (_, index): NewTarget => ({
      kind: "warm-tags",
      address: shardName(namespace, index),
    }),
  );
}

/**
 * Origin loads one shard runs at once for a tag warm. With at least as many shards as the bound,
 * that is one per shard and the runner spreads the bound over shards; with fewer, the shards
 * split it, so the bound is used without being exceeded.
 */
export function tagWarmConcurrency(settings: NamespaceConfig): number {
  const { concurrency } = settings.invalidation;
  return Math.max(1, Math.floor(concurrency / Math.min(concurrency, settings.shards)));
}

/** How many of the runner's `concurrency` slots a target takes while in flight: its origin loads at most. */
export function slotsOf(target: Pick<DueTarget, "kind">, settings: NamespaceConfig): number {
  return target.kind === "warm-tags" ? tagWarmConcurrency(settings) : 1;
}

/** One shard's share of a tag warm; returns how many tagged keys exist at the origin and are fresh now. */
export async function warmTagsOn(env: Env, target: DueTarget): Promise<number> {
  const settings = namespaceSettings(loadConfig(env.CACHE_CONFIG), target.namespace);
  const outcome = await shardByName(env, target.address).warmTags({
    namespace: target.namespace,
    jobId: target.jobId,
    tags: target.selectors.tags,
    concurrency: tagWarmConcurrency(settings),
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value.warmedKeys;
}
