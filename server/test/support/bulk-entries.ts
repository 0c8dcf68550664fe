/**
 * Writes and reads many entries straight through the owning shards' RPC. The tRPC route is the
 * thing under test elsewhere; here it would only be slow: `exports.default.fetch` in the
 * vitest pool gets slower with every request a test file has made (≈ 50 ms per call after 800).
 */
import { env } from "cloudflare:workers";
import { getInput, setInput, type GetResult, type SetInput } from "@cache-sync/contracts";
import { loadConfig } from "../../src/config/load-config.ts";
import { unwrap } from "../../src/errors.ts";
import { shardForKey } from "../../src/routing/shard-stub.ts";
import { answerToResult } from "../../src/shard/get-answer.ts";

const shardOf = (namespace: string, key: string) => shardForKey(env, loadConfig(env.CACHE_CONFIG), namespace, key);

export async function seed(namespace: string, entries: Omit<SetInput, "namespace">[]): Promise<void> {
  await Promise.all(entries.map(async (entry) => unwrap(await shardOf(namespace, entry.key).set(setInput.parse({ namespace, ...entry })))));
}

export async function read(namespace: string, key: string): Promise<GetResult> {
  return answerToResult(unwrap(await shardOf(namespace, key).get(getInput.parse({ namespace, key }))));
}

/** The keys of `keys` that are still found, sorted. */
export async function foundKeys(namespace: string, keys: string[]): Promise<string[]> {
  const results = await Promise.all(keys.map((key) => read(namespace, key)));
  return keys.filter((_, i) => results[i]!.found).sort();
}
