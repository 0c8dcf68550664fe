// Issue 16: the read path built on its own, over a Durable Object's SQLite, with a clock the test
// moves by hand. The origin is the local test origin (products: fresh 10 s, stale 60 s).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { emptyCounters } from "../metrics/shard-metrics.ts";
import { inShard } from "../../test/support/in-object.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { TestClock } from "../../test/worker/test-clock.ts";
import { WatchedCoalescer } from "../../test/worker/watched-coalescer.ts";
import type { CacheEntry } from "./entry.ts";
import { ReadPath } from "./read-path.ts";
import { Tiers } from "./tiers.ts";

const namespace = "products";
const ns = namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace);

/** A shard of its own, so nothing but the test's read path touches its SQLite. */
const freshShard = () => env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(`read-path-${crypto.randomUUID()}`));

function readPath(state: DurableObjectState, clock: TestClock) {
  const loads = new WatchedCoalescer<CacheEntry>();
  const tiers = new Tiers({ sql: state.storage.sql, transaction: (work) => state.storage.transactionSync(work), loads, onEvict: () => {} });
  const counters = emptyCounters();
  const sweeps: number[] = [];
  const reads = new ReadPath({
    ...{ tiers, clock, counters, random: () => 0.5, mainDb: env.MAIN_DB },
    previousOwner: () => undefined,
    pendingWrite: () => undefined,
    scheduleSweep: async (at) => void sweeps.push(at),
    readDone: () => {},
  });
  return { reads, tiers, counters, loads, sweeps };
}

function frozenClock(): TestClock {
  const clock = new TestClock();
  clock.freeze();
  return clock;
}

describe("the read path, built directly (issue 16)", () => {
  it("a miss loads once and is stored: memory answers next, and new tiers over the same SQLite answer from storage", async () => {
    const key = uniqueKey("direct-miss");
    await inShard(freshShard(), async (_shard, state) => {
      const clock = frozenClock();
      const { reads, sweeps } = readPath(state, clock);
      const miss = await reads.get({ namespace, key }, ns);
      expect(miss).toMatchObject({ found: true, state: "miss", source: "origin", ageMs: 0 });
      expect(JSON.parse(miss.valueJson)).toEqual({ key, fetch: 1 });
      expect(miss.freshness).toEqual({ modifiedAt: clock.now(), freshForMs: ns.freshMs, staleForMs: ns.staleMs });
      expect(sweeps).toEqual([clock.now() + ns.freshMs + ns.staleMs]);

      const hit = await reads.get({ namespace, key }, ns);
      expect(hit).toMatchObject({ state: "fresh", source: "memory", version: miss.version });
      expect(hit.valueJson).toBe(miss.valueJson);

      clock.advance(1_000);
      const fromStorage = await readPath(state, clock).reads.get({ namespace, key }, ns);
      expect(fromStorage).toMatchObject({ state: "fresh", source: "storage", version: miss.version, ageMs: 1_000 });
      expect(fromStorage.valueJson).toBe(miss.valueJson);
    });
    expect(await originCount(key)).toBe(1);
  });

  it("past freshUntil on the injected clock, serves the stale copy at once and refreshes it once in the background", async () => {
    const key = uniqueKey("direct-swr");
    await inShard(freshShard(), async (_shard, state) => {
      const clock = frozenClock();
      const { reads, counters, loads } = readPath(state, clock);
      await reads.get({ namespace, key }, ns);
      clock.advance(ns.freshMs + 1);
      const [first, second] = await Promise.all([reads.get({ namespace, key }, ns), reads.get({ namespace, key }, ns)]);
      for (const answer of [first, second]) {
        expect(answer).toMatchObject({ state: "stale", source: "memory" });
        expect(JSON.parse(answer.valueJson)).toEqual({ key, fetch: 1 });
      }
      expect(counters).toMatchObject({ staleServed: 2, coalesced: 1 });
      await loads.settled();
      const refreshed = await reads.get({ namespace, key }, ns);
      expect(refreshed).toMatchObject({ state: "fresh", source: "memory" });
      expect(JSON.parse(refreshed.valueJson)).toEqual({ key, fetch: 2 });
    });
    expect(await originCount(key)).toBe(2);
  });

  it("serveStale: false waits for the refresh instead of answering with the stale copy", async () => {
    const key = uniqueKey("direct-no-stale");
    await inShard(freshShard(), async (_shard, state) => {
      const clock = frozenClock();
      const { reads } = readPath(state, clock);
      await reads.get({ namespace, key }, ns);
      clock.advance(ns.freshMs);
      const answer = await reads.get({ namespace, key, serveStale: false }, ns);
      expect(answer).toMatchObject({ state: "miss", source: "origin" });
      expect(JSON.parse(answer.valueJson)).toEqual({ key, fetch: 2 });
    });
  });

  it("stale-if-error: while the origin fails the stale copy is served until staleUntil, and after that the error surfaces", async () => {
    const key = uniqueKey("direct-sie");
    await inShard(freshShard(), async (_shard, state) => {
      const clock = frozenClock();
      const { reads, counters, loads } = readPath(state, clock);
      await reads.get({ namespace, key }, ns);
      await behave(key, { status: 503 });
      clock.advance(ns.freshMs + 1);
      expect(await reads.get({ namespace, key }, ns)).toMatchObject({ state: "stale" });
      await loads.settled();
      expect(counters.originErrors).toBe(1);
      clock.advance(ns.staleMs - 2);
      expect(await reads.get({ namespace, key }, ns)).toMatchObject({ state: "stale" });
      await loads.settled();
      clock.advance(2);
      await expect(reads.get({ namespace, key }, ns)).rejects.toMatchObject({ name: "CacheError" });
    });
  });
});
