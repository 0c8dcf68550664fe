import { describe, expect, it } from "vitest";
import { runDurableObjectAlarm } from "cloudflare:test";
import { advanceShardClock, loadsInFlight, loadsSettled, shardStub } from "../../test/support/shards.ts";
import { eventually } from "../../test/support/write-behind.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { ok, query } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

/** The shard's refresh-ahead made deterministic: a fixed coin (−ln 0.5 ≈ 0.69), δ = 40 ms, a frozen clock. */
function pinShard(namespace: string, key: string) {
  return inShard(shardStub(namespace, key), (shard) => {
    shard.random = () => 0.5;
    shard.clock.fixedLoadMs = 40;
    shard.clock.freeze();
  });
}

function unpinShard(namespace: string, key: string) {
  return inShard(shardStub(namespace, key), (shard) => {
    shard.clock.fixedLoadMs = null;
    shard.clock.thaw();
  });
}

/**
 * Steady load on one key: the shard's clock is frozen, the key is loaded once, then every step moves
 * the clock 20 ms and reads the key once; a background refresh is let finish before time moves on
 * (a fast origin, deterministically). Only the steps move shard time, however slow the machine.
 */
async function steadyLoad(namespace: string, key: string, steps: number) {
  const states: string[] = [];
  await inShard(shardStub(namespace, key), (shard) => shard.clock.freeze());
  await ok(query("get", { namespace, key }));
  for (let i = 0; i < steps; i++) {
    await advanceShardClock(namespace, key, 20);
    states.push((await ok(query("get", { namespace, key }))).state);
    await loadsSettled(namespace, key);
  }
  await inShard(shardStub(namespace, key), (shard) => shard.clock.thaw());
  return states;
}

describe("refresh-ahead (XFetch)", () => {
  // Hundreds of sequential steps: room for a slow, shared machine (the count does not depend on speed).
  it("under steady load a hot key is never seen stale, with about one origin refresh per fresh window", { timeout: 60_000 }, async () => {
    const key = uniqueKey("hot");
    await behave(key, { latencyMs: 40 });
    await inShard(shardStub("ahead", key), (shard) => {
      // −ln(0.5) ≈ 0.69: a refresh starts within ~0.69·δ of expiry; δ = 40 ms > one 20 ms step,
      // so some read always lands in that window.
      shard.random = () => 0.5;
      // δ is the origin's latency, not what a loaded machine happens to measure around it: with the
      // clock frozen, the windows (and so the refresh count) depend on nothing but the steps.
      shard.clock.fixedLoadMs = 40;
    });
    const states = await steadyLoad("ahead", key, 300); // 6 s of shard time: 6 fresh windows of 1 s
    await inShard(shardStub("ahead", key), (shard) => {
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

  // With the coin at 0.5 and δ = 40 ms a read refreshes ahead only within −40·ln(0.5) ≈ 28 ms of
  // expiry ("ahead": fresh for 1 s). Both keys are loaded at t0 and read the same number of times;
  // only when they are read differs.
  it("a cold key is not refreshed at all: read once long before expiry it goes stale, while a key read near expiry is refreshed ahead", async () => {
    const ns = "ahead";
    const key = uniqueKey("cold");
    const near = uniqueKey("near");
    const read = (k: string) => ok(query("get", { namespace: ns, key: k }));
    await pinShard(ns, key); // one shard: both keys live on it
    try {
      const before = (await ok(query("stats", { namespace: ns }))).earlyRefreshes;
      await read(key); // t0: loaded
      await read(near); // t0: loaded
      await advanceShardClock(ns, key, 500);
      expect(await read(key)).toMatchObject({ state: "fresh" }); // t0 + 500: 500 ms before expiry, no refresh
      await advanceShardClock(ns, key, 490);
      expect(await read(near)).toMatchObject({ state: "fresh" }); // t0 + 990: 10 ms before expiry, refreshed ahead
      await loadsSettled(ns, near);
      expect(await originCount(near)).toBe(2);
      expect(await originCount(key)).toBe(1);
      // Nothing else refreshes the cold key: not a timer (the shard's alarm runs now), not time passing.
      await runDurableObjectAlarm(shardStub(ns, key));
      await advanceShardClock(ns, key, 20); // t0 + 1,010: past the first expiry
      expect(await originCount(key)).toBe(1);
      expect(await read(near)).toMatchObject({ state: "fresh" }); // its refresh landed before expiry
      expect(await read(key)).toMatchObject({ state: "stale" }); // never refreshed ahead: the first read after expiry sees it stale
      await loadsSettled(ns, key); // the ordinary stale-while-revalidate refresh, not an early one
      expect(await originCount(key)).toBe(2);
      expect((await ok(query("stats", { namespace: ns }))).earlyRefreshes - before).toBe(1);
    } finally {
      await unpinShard(ns, key);
    }
  });

  // "ahead-held": the same policy in front of a slow origin, so a refresh stays in flight for seconds.
  it("a refresh-ahead refresh is still coalesced: a herd of reads near expiry, then past it, makes one origin request", {
    timeout: 30_000,
  }, async () => {
    const ns = "ahead-held";
    const key = uniqueKey("herd");
    const read = () => ok(query("get", { namespace: ns, key }));
    const stats = () => ok(query("stats", { namespace: ns }));
    await pinShard(ns, key);
    try {
      expect(await read()).toMatchObject({ state: "miss", value: { key, fetch: 1 } }); // t0: fresh until t0 + 1 s
      await behave(key, { latencyMs: 5_000 }); // the refresh is held at the origin for 5 s
      const before = await stats();
      await advanceShardClock(ns, key, 990); // 10 ms before expiry: inside the ≈ 28 ms window, for every reader
      const nearExpiry = await Promise.all(Array.from({ length: 20 }, read));
      expect(nearExpiry.map((result) => result.state)).toEqual(Array(20).fill("fresh"));
      await eventually(async () => (await originCount(key)) >= 2, "the early refresh to reach the origin");
      expect(await loadsInFlight(ns, key)).toBe(1);
      // Past expiry with the refresh still in flight: readers are served stale and join it.
      await advanceShardClock(ns, key, 20);
      const pastExpiry = await Promise.all(Array.from({ length: 10 }, read));
      expect(pastExpiry.map((result) => result.state)).toEqual(Array(10).fill("stale"));
      expect(await loadsInFlight(ns, key)).toBe(1); // all of them arrived while it was in flight
      await loadsSettled(ns, key);
      expect(await originCount(key)).toBe(2);
      const after = await stats();
      expect({
        earlyRefreshes: after.earlyRefreshes - before.earlyRefreshes,
        originFetches: after.originFetches - before.originFetches,
        staleServed: after.staleServed - before.staleServed,
        coalesced: after.coalesced - before.coalesced,
      }).toEqual({ earlyRefreshes: 1, originFetches: 1, staleServed: 10, coalesced: 10 });
      expect(await read()).toMatchObject({ state: "fresh", value: { key, fetch: 2 } });
      expect(await originCount(key)).toBe(2);
    } finally {
      await unpinShard(ns, key);
    }
  });
});
