import { describe, expect, it } from "vitest";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { NamespaceStats } from "@cache-sync/contracts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { shardIndex, shardName } from "../routing/shard-routing.ts";
import { finishedJob, jobStatus } from "../../test/support/coordinator.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { purgeBehave, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { shardStub } from "../../test/support/shards.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { BUCKET_BOUNDS_MS, emptyHistogram, quantile, record } from "./latency-histogram.ts";
import { inShard } from "../../test/support/in-object.ts";

const stats = () => ok(query("stats", { namespace: "metered" }));

const shardsOf = (namespace: string) => namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace).shards;

/** A fresh key (see uniqueKey) that the namespace routes to its shard `index`. */
function keyOnShard(namespace: string, index: number, label: string): string {
  for (;;) {
    const key = uniqueKey(label);
    if (shardIndex(key, shardsOf(namespace)) === index) return key;
  }
}

const loadsInFlight = (namespace: string, key: string) => inShard(shardStub(namespace, key), (shard) => shard.loadsInFlight);

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The bucket bound a histogram reports for `ms`: what a percentile equal to `ms` may read as. */
const bucketOf = (ms: number) => BUCKET_BOUNDS_MS.find((bound) => ms <= bound)!;

describe("stats", () => {
  it("match a scripted workload exactly, and survive a restart of every shard", async () => {
    const keys = Array.from({ length: 5 }, () => uniqueKey("metered"));
    // Slow enough that the other readers of a key arrive while its load is in flight, even on a
    // loaded machine (the namespace's origin timeout is well above it).
    for (const key of keys) await behave(key, { latencyMs: 2_000 });
    // 5 cold keys × 4 concurrent readers: 5 origin fetches, 15 coalesced, 20 misses. The first reader
    // of each key starts its load; the other 3 are sent once the origin has that request, so the
    // load is certainly in flight when they reach the shard.
    const read = (key: string) => ok(query("get", { namespace: "metered", key }));
    const firstReads = Promise.all(keys.map(read));
    for (const key of keys) while ((await originCount(key)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const joiningReads = Promise.all(keys.flatMap((key) => Array.from({ length: 3 }, () => read(key))));
    await Promise.all([firstReads, joiningReads]);
    // 3 more reads of each: 15 hits.
    for (let i = 0; i < 3; i++) for (const key of keys) await ok(query("get", { namespace: "metered", key }));
    // One key the origin fails: a miss with an origin error.
    const broken = uniqueKey("broken");
    await behave(broken, { status: 500 });
    expect((await query("get", { namespace: "metered", key: broken })).status).toBe(502);

    const expected = { hits: 15, misses: 20, originFetches: 6, originErrors: 1, coalesced: 15, staleServed: 0, entries: 5 };
    const before = await stats();
    expect(before).toMatchObject(expected);
    expect(before.hitRate).toBeCloseTo(15 / 35, 10);
    expect(before.latencyMs.p99).toBeGreaterThanOrEqual(before.latencyMs.p50);
    expect(before.latencyMs.p99).toBeGreaterThanOrEqual(150); // the origin loads (2 s) are the slow tail

    // The alarm persists the counters; a restart (eviction) must not reset them.
    const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), "metered");
    for (let i = 0; i < shards; i++) {
      await runDurableObjectAlarm(env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardName("metered", i))));
    }
    await abortAllDurableObjects();
    expect(await stats()).toMatchObject({ ...expected, latencyMs: before.latencyMs });
  });

  it("percentiles from the histogram are within one bucket of the true value", () => {
    const samples = Array.from({ length: 1_000 }, (_, i) => (i % 100) * 0.7 + 0.05);
    const histogram = emptyHistogram();
    for (const sample of samples) record(histogram, sample);
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
      const reported = quantile(histogram, q);
      const bucket = BUCKET_BOUNDS_MS.findIndex((bound) => truth <= bound);
      expect(reported).toBeGreaterThanOrEqual(truth);
      expect(reported).toBe(BUCKET_BOUNDS_MS[bucket]);
    }
  });

  // Namespace "observed": 2 shards, 3 entries of memory each, fresh 10 s + stale 60 s, refresh-ahead
  // off, one purge target, jobs run one target at a time with a single attempt.
  it("count stale served, evictions, entries, bytes and the coordinator's jobs exactly", { timeout: 60_000 }, async () => {
    const ns = "observed";
    const get = (key: string) => ok(query("get", { namespace: ns, key }));
    // Values of known serialized size (a JSON string of n characters is n + 2 bytes).
    const value = (n: number) => "v".repeat(n);
    const size = (n: number) => JSON.stringify(value(n)).length;

    // Shard 0: four loads through a memory tier of 3 → the 4th evicts a1; reading a1 back (from
    // SQLite) promotes it and evicts a2; a4 is still in memory; a3 is deleted.
    const [a1, a2, a3, a4] = ["a1", "a2", "a3", "a4"].map((label) => keyOnShard(ns, 0, label)) as [string, string, string, string];
    for (const [key, n] of [
      [a1, 10],
      [a2, 20],
      [a3, 30],
      [a4, 40],
    ] as const)
      await behave(key, { value: value(n) });
    for (const key of [a1, a2, a3, a4]) expect(await get(key)).toMatchObject({ state: "miss", source: "origin" }); // 4 misses
    expect(await get(a1)).toMatchObject({ state: "fresh", source: "storage" }); // hit; evicted once, evicts a2
    expect(await get(a4)).toMatchObject({ state: "fresh", source: "memory" }); // hit
    expect(await ok(mutate("delete", { namespace: ns, key: a3 }))).toEqual({ deleted: true });

    // Shard 1: two loads and an origin 404 (a negative entry: a miss, never an entry), then a
    // write: 4 in memory, b1 evicted.
    const [b1, b2, b3, absent] = ["b1", "b2", "b3", "absent"].map((label) => keyOnShard(ns, 1, label)) as [string, string, string, string];
    await behave(b1, { value: value(50) });
    await behave(b2, { value: value(60) });
    await behave(absent, { status: 404 });
    for (const key of [b1, b2]) expect(await get(key)).toMatchObject({ state: "miss", source: "origin" }); // 2 misses
    expect(await get(absent)).toMatchObject({ found: false, state: "miss" }); // miss
    await ok(mutate("set", { namespace: ns, key: b3, value: value(70) })); // evicts b1

    // 15 s later on shard 1: every entry is stale (the negative one has expired). b2 is served stale
    // and its refresh — to a bigger value — is held at the origin for 4 s; a second read in that
    // time is served stale too and joins the refresh (coalesced), no second origin call.
    await inShard(shardStub(ns, b1), (shard) => shard.clock.advance(15_000));
    await behave(b2, { value: value(65), latencyMs: 4_000 });
    expect(await get(b2)).toMatchObject({ state: "stale", source: "memory" }); // stale served; refresh starts
    await until(async () => (await originCount(b2)) === 2, "the refresh of b2 to reach the origin");
    expect(await get(b2)).toMatchObject({ state: "stale", source: "memory" }); // stale served; joins the refresh
    expect(await loadsInFlight(ns, b2)).toBe(1); // it really joined: the refresh was still in flight
    await until(async () => (await loadsInFlight(ns, b2)) === 0, "the refresh of b2 to land");
    // b1 was evicted: read back from SQLite, stale (promoting it evicts `absent`), refreshed in the background.
    expect(await get(b1)).toMatchObject({ state: "stale", source: "storage" });
    await until(async () => (await loadsInFlight(ns, b1)) === 0, "the refresh of b1 to land");
    expect(await originCount(b1)).toBe(2);
    expect(await originCount(b2)).toBe(2);

    // Jobs: one failed (the purge target refuses its single attempt), one completed, one held at
    // the purge target (processing) and one waiting behind it (concurrency 1: queued). The tag
    // matches no entry, so the jobs change no count above.
    const invalidate = () => ok(mutate("invalidate", { namespace: ns, tags: [uniqueKey("no-such-tag")] }));
    await purgeBehave("observed", { failTimes: 1_000_000 });
    const failed = await invalidate();
    expect((await finishedJob(ns, failed.id)).state).toBe("failed");
    await purgeBehave("observed", {});
    const completed = await invalidate();
    expect((await finishedJob(ns, completed.id)).state).toBe("completed");
    await purgeBehave("observed", { hold: true });
    const calls = (await waitForPurgeCalls("observed", 1)).length; // purge calls so far (the 2 jobs above)
    const held = await invalidate();
    await waitForPurgeCalls("observed", calls + 1, 10_000);
    const waiting = await invalidate();
    expect(await jobStatus(ns, held.id)).toMatchObject({ state: "processing" });
    expect(await jobStatus(ns, waiting.id)).toMatchObject({ state: "queued" });

    const expected: Partial<NamespaceStats> = {
      shards: 2,
      misses: 4 + 3,
      hits: 2 + 3, // a stale read is a hit
      staleServed: 3,
      originFetches: 4 + 3 + 2, // the loads, and one refresh each of b2 and b1
      originErrors: 0,
      coalesced: 1,
      evictions: 2 + 2, // a1, a2 on shard 0; b1, absent on shard 1
      earlyRefreshes: 0,
      entries: 3 + 3, // a1, a2, a4 and b1, b2, b3: not the deleted a3, not the negative entry
      bytes: size(10) + size(20) + size(40) + size(50) + size(65) + size(70), // b2 as refreshed
      invalidations: { queued: 1, processing: 1, completed: 1, failed: 1 },
    };
    const during = await ok<NamespaceStats>(query("stats", { namespace: ns }));
    expect(during).toMatchObject(expected);
    expect(during.hitRate).toBeCloseTo(5 / 12, 10);

    await purgeRelease("observed");
    expect((await finishedJob(ns, held.id)).state).toBe("completed");
    expect((await finishedJob(ns, waiting.id)).state).toBe("completed");
    expect(await ok(query("stats", { namespace: ns }))).toMatchObject({
      ...expected,
      invalidations: { queued: 0, processing: 0, completed: 3, failed: 1 },
    });
  });

  // Namespace "latency-mix": 2 shards. Server-side `get` latencies of a known mix: 40 memory hits
  // (≈ 0 ms) and 10 loads of a 1,100 ms origin on shard 0; 10 loads of 1,100 ms and 40 of 2,200 ms
  // on shard 1. Merged, p50 is a 1,100 ms load and p99 a 2,200 ms one — neither shard's own p50
  // (≈ 0 and 2,200), nor their mean, nor their max. Each latency sits low in a wide bucket, so a
  // loaded machine's overhead (hundreds of ms) does not move a load into the next one.
  it("p50 and p99 merged across shards are within one bucket of the true percentiles of the mix", { timeout: 60_000 }, async () => {
    const ns = "latency-mix";
    const get = (key: string) => ok(query("get", { namespace: ns, key }));
    const mid = 1_100; // bucket (1000, 2000]
    const slow = 2_200; // bucket (2000, 5000]
    const keysOf = (index: number, label: string, n: number) => Array.from({ length: n }, () => keyOnShard(ns, index, label));
    const cached = keyOnShard(ns, 0, "cached");
    const midA = keysOf(0, "mid", 10);
    const midB = keysOf(1, "mid", 10);
    const slowB = keysOf(1, "slow", 40);
    for (const key of [...midA, ...midB]) await behave(key, { latencyMs: mid });
    for (const key of slowB) await behave(key, { latencyMs: slow });

    await ok(mutate("set", { namespace: ns, key: cached, value: "here" })); // a write records no latency
    for (let i = 0; i < 40; i++) expect(await get(cached)).toMatchObject({ state: "fresh", source: "memory" });
    const loads = await Promise.all([...midA, ...midB, ...slowB].map(get));
    expect(loads.every((result) => result.state === "miss")).toBe(true);

    // The truth: every `get` of the mix, at the latency it was built to have.
    const truth = [...Array<number>(40).fill(0), ...Array<number>(20).fill(mid), ...Array<number>(40).fill(slow)].sort((a, b) => a - b);
    const truePercentile = (q: number) => truth[Math.ceil(q * truth.length) - 1]!;
    const { latencyMs } = await ok<NamespaceStats>(query("stats", { namespace: ns }));
    for (const [q, reported] of [
      [0.5, latencyMs.p50],
      [0.99, latencyMs.p99],
    ] as const) {
      const exact = truePercentile(q);
      // At least the true value, and no further from it than the width of the bucket holding it.
      expect(reported).toBeGreaterThanOrEqual(exact);
      expect(reported).toBe(bucketOf(exact));
    }
    expect(latencyMs).toEqual({ p50: 2_000, p99: 5_000 });

    // Merging matters: the shards' own percentiles would say something else.
    const own = await Promise.all(
      [0, 1].map((index) =>
        inShard(env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardName(ns, index))), (shard) => {
          const latency = shard.cache.stats().latency;
          return { count: latency.reduce((sum, n) => sum + n, 0), p50: quantile(latency, 0.5) };
        }),
      ),
    );
    expect(own.map((shard) => shard.count)).toEqual([50, 50]);
    expect(own[0]!.p50).toBeLessThan(mid);
    expect(own[1]!.p50).toBe(bucketOf(slow));
  });
});
