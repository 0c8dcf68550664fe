/**
 * Resharding handoff. While a namespace's `shards` changes (`previousShards` set: README "Changing
 * `shards`"), a key may have moved to a shard that has never seen it, while its entry still sits in
 * the shard that owned it under the previous count. The new owner then:
 *
 * - on a miss, asks the previous owner for the entry before the origin (or D1): a value still
 *   cached there is found, not lost or loaded again — the only copy, in a namespace with no origin;
 * - on a write of a key it does not hold, asks the previous owner for the key's version and goes
 *   above it, so versions stay monotonic per key across the move and the main database's "higher
 *   version wins" never drops the newer write.
 */
import { utf8Bytes, type NamespaceConfig } from "@cache-sync/contracts";
import type { Outcome } from "../errors.ts";
import type { OriginResult } from "../origin/origin-client.ts";
import { shardIndex } from "../routing/shard-routing.ts";
import type { LoadSource } from "./load-source.ts";

/** What a shard holds for a key, without loading it: a live entry's text, version and tags. */
export type PeekResult = { found: true; json: string; version: number; tags: string[] } | { found: false; version: number };

export interface PreviousOwner {
  peek(request: { namespace: string; key: string }): Promise<Outcome<PeekResult>>;
}

/** Finds the shard that owned a key under `previousShards`, while a change of `shards` settles. */
export type FindPreviousOwner = (namespace: string, key: string, ns: NamespaceConfig) => PreviousOwner | undefined;

/** How long a key the previous owner does not hold counts as absent, in a namespace with no source of its own. */
const HANDOFF_NEGATIVE_TTL_MS = 1_000;

/** The key's owner under `previousShards`, when a change is settling and it is not this shard's index. */
export function previousOwnerIndex(key: string, ns: NamespaceConfig): number | undefined {
  if (ns.previousShards === undefined || ns.previousShards === ns.shards) return undefined;
  const previous = shardIndex(key, ns.previousShards);
  return previous === shardIndex(key, ns.shards) ? undefined : previous;
}

/** The previous owner first; then the namespace's own source, if it has one. */
export function withHandoff(base: LoadSource | undefined, owner: PreviousOwner, namespace: string): LoadSource {
  return {
    errorBackoffMs: base?.errorBackoffMs ?? 1_000,
    negativeTtlMs: base?.negativeTtlMs ?? HANDOFF_NEGATIVE_TTL_MS,
    async load(key: string): Promise<OriginResult> {
      const peeked = await owner.peek({ namespace, key });
      if (peeked.ok && peeked.value.found) {
        const { json, version, tags } = peeked.value;
        return { kind: "found", json, size: utf8Bytes(json), tags, version };
      }
      return base ? base.load(key) : { kind: "not-found" };
    },
  };
}

/** The version a write must exceed: the previous owner's for the key (0 when it holds none or cannot say). */
export async function versionFloor(owner: PreviousOwner, namespace: string, key: string): Promise<number> {
  const peeked = await owner.peek({ namespace, key }).catch(() => undefined);
  return peeked?.ok ? peeked.value.version : 0;
}
