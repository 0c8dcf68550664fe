/** Reaches write-behind shards and their HTTP sink (the purge recorder) from inside workerd tests. */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { loadConfig, namespaceSettings } from "../../src/config/load-config.ts";
import { shardName } from "../../src/routing/shard-routing.ts";
import type { CacheShard } from "../../src/shard/cache-shard.ts";
import { purgeCalls } from "./purge-control.ts";
import { ok, query } from "./trpc-http.ts";
import { inShard } from "./in-object.ts";

export interface SinkRecord {
  namespace: string;
  key: string;
  value: string | null;
  version: number;
  deleted: number;
}

export interface SinkCall {
  status: number | null;
  batchId: string;
  records: SinkRecord[];
}

export function shardsOf(namespace: string): DurableObjectStub<CacheShard>[] {
  const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace);
  return Array.from({ length: shards }, (_, i) => env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardName(namespace, i))));
}

/** What the HTTP sink at /purge/<path> received, in arrival order. */
export async function sinkCalls(path: string): Promise<SinkCall[]> {
  return (await purgeCalls(path)).map((call) => {
    const body = call.body as unknown as { batchId: string; records: SinkRecord[] };
    return { status: call.status, batchId: body.batchId, records: body.records };
  });
}

/** The shard's alarm (real time, ms) or null. */
export function alarmOf(shard: DurableObjectStub<CacheShard>): Promise<number | null> {
  return inShard(shard, (_s, state) => state.storage.getAlarm());
}

/** Moves the shard's clock forward and runs its alarm, as that much time passing would. */
export async function advanceAndRunAlarm(shard: DurableObjectStub<CacheShard>, ms: number): Promise<void> {
  await inShard(shard, (s) => s.clock.advance(ms));
  await runDurableObjectAlarm(shard);
}

export async function writeBehindStats(namespace: string): Promise<{ pending: number; flushed: number; failedAttempts: number }> {
  return (await ok(query("stats", { namespace }))).writeBehind;
}

/** Polls `check` until it returns true (real background work: an alarm that fires by itself). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
