/**
 * The capacity model's parts (issue 18) checked against brute force and against queueing theory,
 * so that `npm run simulate` and docs/capacity.md rest on formulas that hold.
 */
import { describe, expect, it } from "vitest";
import { d1RowsPerSecond, fanOutMs, shardsForStorage } from "../src/simulate/capacity.ts";
import { exponential, herdLatencies, openQueueDelays, percentileOf } from "../src/simulate/queues.ts";
import { keyRatesAtShards, searchShards } from "../src/simulate/shard-loads.ts";
import { keysCarrying, powerSum, zipfPopularity } from "../src/simulate/popularity.ts";
import { passedThrough } from "../src/simulate/tiers.ts";
import { mulberry32 } from "../src/zipf.ts";

describe("Zipf popularity without materialising every key", () => {
  it("matches a brute-force sum, head exact and tail in buckets, for s below, at and above 1", () => {
    for (const s of [0.8, 1, 1.2]) {
      const keys = 300_000;
      let total = 0;
      const exact = new Float64Array(keys);
      for (let k = 1; k <= keys; k++) total += exact[k - 1] = k ** -s;
      const model = zipfPopularity({ keys, s, headKeys: 2_000 });
      expect(model.head[0]).toBeCloseTo(1 / total, 12);
      expect(model.head[1_999]).toBeCloseTo(exact[1_999]! / total, 12);
      const tailMass = model.tail.reduce((sum, b) => sum + b.share, 0);
      let exactTail = 0;
      for (let k = 2_001; k <= keys; k++) exactTail += exact[k - 1]! / total;
      expect(Math.abs(tailMass - exactTail) / exactTail).toBeLessThan(1e-9);
      expect(model.tail.reduce((n, b) => n + b.count, 0)).toBe(keys - 2_000);
      // Half the traffic: the same rank within the tail's bucket resolution (1 %).
      let carried = 0;
      let half = 0;
      while (carried < 0.5) carried += exact[half++]! / total;
      expect(Math.abs(keysCarrying(model, 0.5) - half) / half).toBeLessThan(0.01);
    }
  });

  it("sums 10^8 keys with Euler–Maclaurin: H(10^8) = ln 10^8 + γ to 1e-9", () => {
    const gamma = 0.5772156649015329;
    expect(powerSum(1, 1e8, 1)).toBeCloseTo(Math.log(1e8) + gamma + 1 / 2e8, 9);
    expect(zipfPopularity({ keys: 1e8, s: 1 }).head[0]).toBeCloseTo(1 / (Math.log(1e8) + gamma), 9);
  });
});

describe("a cache tier in front of the shards", () => {
  it("passes λ / (1 + λ·window / copies) of a key's requests, as a simulation of the copies finds", () => {
    const random = mulberry32(11);
    for (const [rate, copies, window] of [
      [5_000, 300, 1],
      [50, 30, 2],
      [2, 10, 1],
    ] as const) {
      // Poisson arrivals at `rate`, each to a uniformly chosen copy; a copy misses when its copy is
      // older than `window`. Counted after a warm-up of 5 windows (the first misses are compulsory).
      const expiresAt = new Float64Array(copies).fill(-1);
      const warmUp = 5 * window;
      let time = 0;
      let misses = 0;
      for (let i = 0; i < 400_000; i++) {
        time += exponential(random, rate);
        const copy = Math.floor(random() * copies);
        if (time >= expiresAt[copy]!) {
          if (time > warmUp) misses++;
          expiresAt[copy] = time + window;
        }
      }
      const simulated = misses / (time - warmUp);
      expect(Math.abs(passedThrough(rate, { copies, windowSeconds: window }) - simulated) / simulated).toBeLessThan(0.05);
    }
  });

  it("bounds the hottest key at copies / window however hot it is", () => {
    expect(passedThrough(1e7, { copies: 300, windowSeconds: 60 })).toBeLessThanOrEqual(5);
    expect(passedThrough(1e7, { copies: 300, windowSeconds: 60 })).toBeGreaterThan(4.99);
    expect(passedThrough(0.001, { copies: 300, windowSeconds: 60 })).toBeCloseTo(0.001, 6);
  });
});

describe("one object as a FIFO queue", () => {
  it("gives the M/M/1 p99 queueing delay: ln(ρ / 0.01) / (μ − λ)", () => {
    const [arrivalRate, serviceRate] = [700, 1_000];
    const delays = openQueueDelays({ arrivalRate, serviceRate, arrivals: 400_000, random: mulberry32(3) });
    const analytic = Math.log(arrivalRate / serviceRate / 0.01) / (serviceRate - arrivalRate);
    expect(Math.abs(percentileOf(delays, 99) - analytic) / analytic).toBeLessThan(0.1);
  });

  it("answers a herd of N readers after one origin load, the last after N requests' work", () => {
    const latencies = herdLatencies({ readers: 1_000, serviceRate: 500, originLatencySeconds: 0.2 });
    // All work is 1,000 / 500 = 2 s; the origin's 200 ms hides behind the first half's work.
    expect(Math.max(...latencies)).toBeCloseTo(2, 6);
    expect(percentileOf(latencies, 50)).toBeCloseTo(1 + 0.5, 2);
    // A small herd waits for the origin: nothing answers before the load is back.
    const small = herdLatencies({ readers: 10, serviceRate: 1_000, originLatencySeconds: 0.2 });
    expect(Math.min(...small)).toBeGreaterThan(0.2);
    expect(Math.max(...small)).toBeLessThan(0.2 + 0.011);
  });
});

describe("shards needed", () => {
  it("finds the smallest count whose hottest shard stays within capacity, above the mean's bound", () => {
    const popularity = zipfPopularity({ keys: 1e6, s: 0.9, headKeys: 50_000 });
    // The hottest key is ~3.3 % of 10,000 req/s: warm, within one object.
    const rates = keyRatesAtShards(popularity, 10_000, {});
    const capacity = 700;
    const found = searchShards({ rates, capacity, minShards: 1, maxShards: 1_024, seed: 5, random: mulberry32 });
    expect(found.reachable).toBe(true);
    expect(found.hotKeys).toBe(0);
    expect(found.shards).toBeGreaterThan(Math.ceil(10_000 / capacity));
    expect(Math.max(...found.loads)).toBeLessThanOrEqual(capacity);
    const fewer = searchShards({ rates, capacity, minShards: found.shards - 1, maxShards: found.shards - 1, seed: 5, random: mulberry32 });
    expect(fewer.reachable).toBe(false);
  });

  it("names the hot keys, which no shard count helps, and a colo tier cools them", () => {
    const popularity = zipfPopularity({ keys: 1e6, s: 1.1, headKeys: 50_000 });
    const bare = searchShards({
      rates: keyRatesAtShards(popularity, 100_000, {}),
      capacity: 700,
      minShards: 1,
      maxShards: 1_024,
      seed: 1,
      random: mulberry32,
    });
    expect(bare.hotKeys).toBeGreaterThan(0);
    const tiered = keyRatesAtShards(popularity, 100_000, { colo: { copies: 300, windowSeconds: 60 } });
    expect(tiered.head[0]).toBeLessThanOrEqual(5);
    expect(searchShards({ rates: tiered, capacity: 700, minShards: 1, maxShards: 1_024, seed: 1, random: mulberry32 }).hotKeys).toBe(0);
  });

  it("storage, fan-out and D1 follow their formulas", () => {
    // 10^8 keys of 1 KiB (+128 B overhead) at half of 10 GB per object.
    expect(shardsForStorage({ keys: 1e8, valueBytes: 1_024, fill: 0.5 })).toBe(Math.ceil((1e8 * 1_152) / 5e9));
    // 100 shards, 8 at a time: 13 waves of (50 ms + 100 keys × 0.1 ms).
    expect(fanOutMs({ shards: 100, concurrency: 8, roundTripMs: 50, taggedKeys: 10_000, purgeMsPerKey: 0.1 })).toBeCloseTo(13 * 60, 6);
    // One key written 100×/s with a 60 s flush: one row a minute. 10^6 keys written once an hour: ~all rows.
    expect(d1RowsPerSecond({ popularity: zipfPopularity({ keys: 1, s: 1 }), writeRate: 100, flushIntervalSeconds: 60 })).toBeCloseTo(
      1 / 60,
      6,
    );
    const uniform = zipfPopularity({ keys: 1e6, s: 0 });
    expect(d1RowsPerSecond({ popularity: uniform, writeRate: 1e6 / 3_600, flushIntervalSeconds: 60 })).toBeCloseTo(
      (1e6 * (1 - Math.exp(-60 / 3_600))) / 60,
      0,
    );
  });
});
