import { describe, expect, it } from "vitest";
import { runInDurableObject } from "cloudflare:test";
import type { CacheShard } from "./cache-shard.ts";
import { shardStub } from "../../test/support/shards.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { ok, query } from "../../test/support/trpc-http.ts";

const inFlight = (namespace: string, key: string) =>
  runInDurableObject(shardStub(namespace, key), (shard: CacheShard) => shard.cache.loadsInFlight);

/**
 * Steady load on one key: the shard's clock is frozen, the key is loaded once, then every step moves
 * the clock 20 ms and reads the key once; a background refresh is let finish before time moves on
 * (a fast origin, deterministically). Only the steps move shard time, however slow the machine.
 */
async function steadyLoad(namespace: string, key: string, steps: number) {
  const states: string[] = [];
  await runInDurableObject(shardStub(namespace, key), (shard: CacheShard) => shard.clock.freeze());
  await ok(query("get", { namespace, key }));
  for (let i = 0; i < steps; i++) {
    await runInDurableObject(shardStub(namespace, key), (shard: CacheShard) => shard.clock.advance(20));
    states.push((await ok(query("get", { namespace, key }))).state);
    while ((await inFlight(namespace, key)) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await runInDurableObject(shardStub(namespace, key), (shard: CacheShard) => shard.clock.thaw());
  return states;
}

describe("refresh-ahead (XFetch)", () => {
  // Hundreds of sequential steps: room for a slow, shared machine (the count does not depend on speed).
  it("under steady load a hot key is never seen stale, with about one origin refresh per fresh window", { timeout: 60_000 }, async () => {
    const key = uniqueKey("hot");
    await behave(key, { latencyMs: 40 });
    await runInDurableObject(shardStub("ahead", key), (shard: CacheShard) => {
      // −ln(0.5) ≈ 0.69: a refresh starts within ~0.69·δ of expiry; δ = 40 ms > one 20 ms step,
      // so some read always lands in that window.
      shard.random = () => 0.5;
      // δ is the origin's latency, not what a loaded machine happens to measure around it: with the
      // clock frozen, the windows (and so the refresh count) depend on nothing but the steps.
      shard.clock.fixedLoadMs = 40;
    });
    const states = await steadyLoad("ahead", key, 300); // 6 s of shard time: 6 fresh windows of 1 s
    await runInDurableObject(shardStub("ahead", key), (shard: CacheShard) => {
      shard.clock.fixedLoadMs = null;
    });
    expect(states.filter((state) => state === "stale")).toEqual([]);
    const refreshes = (await originCount(key)) - 1;
    expect(refreshes).toBeGreaterThanOrEqual(5);
    // Each refresh lands ~0.69·δ ≈ 28 ms early, so a window is a little shorter than 1 s (980 ms in 20 ms steps).
    expect(refreshes).toBeLessThanOrEqual(8);
    expect((await ok(query("stats", { namespace: "ahead" }))).earlyRefreshes).toBe(refreshes);
  });

  // Hundreds of sequential steps: room for a slow, shared machine (the count does not depend on speed).
  it("with beta 0 the same load sees stale reads (the refresh only starts once stale)", { timeout: 60_000 }, async () => {
    const key = uniqueKey("off");
    await behave(key, { latencyMs: 40 });
    const states = await steadyLoad("no-ahead", key, 150);
    expect(states.filter((state) => state === "stale").length).toBeGreaterThan(0);
  });

  it("a cold key is not refreshed at all", async () => {
    const key = uniqueKey("cold");
    await ok(query("get", { namespace: "ahead", key }));
    await runInDurableObject(shardStub("ahead", key), (shard: CacheShard) => shard.clock.advance(5_000));
    expect(await originCount(key)).toBe(1);
  });
});
