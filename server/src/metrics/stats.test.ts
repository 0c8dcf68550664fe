import { describe, expect, it } from "vitest";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { shardName } from "../routing/shard-routing.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { ok, query } from "../../test/support/trpc-http.ts";
import { BUCKET_BOUNDS_MS, emptyHistogram, quantile, record } from "./latency-histogram.ts";

const stats = () => ok(query("stats", { namespace: "metered" }));

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
});
