/**
 * A failing sink is retried with exponentially growing delays; writes during the outage do not
 * pull the retry earlier; a restart does not turn an unrelated alarm (a sweep) into a flush.
 * Backoff: 1 s · 2^(failures − 1), ±20 % jitter (flusher.ts).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { purgeBehave } from "../../test/support/purge-control.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";
import { advanceAndRunAlarm, alarmOf, shardsOf, sinkCalls, writeBehindStats } from "../../test/support/write-behind.ts";
import { inShard } from "../../test/support/in-object.ts";

const INTERVAL_MS = 600_000;
const backoffMs = (failures: number) => 1_000 * 2 ** (failures - 1);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("retry backoff", () => {
  it("books each retry after an exponentially growing delay, within the jitter", async () => {
    const ns = "wb-backoff";
    const [shard] = shardsOf(ns);
    await purgeBehave(ns, { failTimes: 1_000 });
    await ok(mutate("set", { namespace: ns, key: "row", value: 1 }));

    let lastFailures = 0;
    // Up to 5 failures: 16 s × 1.2 is still before the next sweep (≥ 30 s), so the alarm read is the retry.
    for (let round = 1; round <= 5; round++) {
      const before = Date.now();
      await advanceAndRunAlarm(shard!, INTERVAL_MS + 1); // whatever is booked is due now
      const { alarm, failures, after } = await inShard(shard!, async (s, state) => ({
        alarm: await state.storage.getAlarm(),
        failures: s.cache.stats().writeBehind.failedAttempts,
        after: Date.now(),
      }));
      // Normally failures === round; a retry that fired by itself on a slow machine adds one,
      // and the delay then belongs to that count.
      expect(failures).toBeGreaterThan(lastFailures);
      lastFailures = failures;
      const delay = backoffMs(failures);
      expect(alarm!).toBeGreaterThanOrEqual(before + 0.8 * delay - 1);
      expect(alarm!).toBeLessThanOrEqual(after + 1.2 * delay + 1);
    }
    // Every attempt reached the sink and failed; the row is still owed.
    const calls = await sinkCalls(ns);
    expect(calls).toHaveLength(lastFailures);
    expect(calls.every((c) => c.status === 503)).toBe(true);
    expect((await writeBehindStats(ns)).pending).toBe(1);

    await purgeBehave(ns, {}); // the sink is back
    await advanceAndRunAlarm(shard!, INTERVAL_MS + 1);
    expect(await writeBehindStats(ns)).toMatchObject({ pending: 0, flushed: 1 });
    const delivered = await inShard(shard!, (s) => s.cache.stats().writeBehind as unknown as { consecutiveFailures: number });
    expect(delivered.consecutiveFailures).toBe(0); // the next failure starts again at 1 s
  });

  it("writes during a failing streak, even maxBatch of them, do not pull the booked retry earlier", async () => {
    const ns = "wb-streak"; // maxBatch 5
    const [shard] = shardsOf(ns);
    await purgeBehave(ns, { failTimes: 1_000 });
    await ok(mutate("set", { namespace: ns, key: "s0", value: 0 }));
    // Jitter at its late end while the retries are booked …
    const random = vi.spyOn(Math, "random").mockReturnValue(0.999);
    for (let round = 1; round <= 5; round++) await advanceAndRunAlarm(shard!, INTERVAL_MS + 1);
    const booked = await alarmOf(shard!); // ≈ now + 16 s × 1.2
    const failures = (await writeBehindStats(ns)).failedAttempts;
    expect(failures).toBeGreaterThanOrEqual(5); // one more if a retry fired by itself on a slow machine

    // … and at its early end for the writes: a write that booked "now + backoff" afresh would
    // land ≈ 6 s earlier. Six keys also take the outbox past maxBatch.
    random.mockReturnValue(0);
    for (let i = 1; i <= 6; i++) await ok(mutate("set", { namespace: ns, key: `s${i}`, value: i }));
    random.mockRestore();
    expect(await alarmOf(shard!)).toBe(booked);
    expect(await sinkCalls(ns)).toHaveLength(failures); // no extra attempt at the down sink
    expect((await writeBehindStats(ns)).pending).toBe(7);

    await purgeBehave(ns, {}); // the sink is back: the booked retry delivers everything
    await advanceAndRunAlarm(shard!, INTERVAL_MS + 1);
    const delivered = (await sinkCalls(ns)).filter((c) => c.status === 200).flatMap((c) => c.records.map((r) => r.key));
    expect(delivered.sort()).toEqual(["s0", "s1", "s2", "s3", "s4", "s5", "s6"]);
    expect((await writeBehindStats(ns)).pending).toBe(0);
  });
});

describe("after a restart", () => {
  it("an alarm that is not the flush's (a sweep) does not flush early; the booked flush still happens", async () => {
    const ns = "wb-restart";
    // Entries swept after 1 s, so the earliest alarm is a sweep at +30 s, long before the 10 min flush.
    await ok(mutate("set", { namespace: ns, key: "r1", value: 1, ttlMs: 1_000, staleMs: 0 }));
    await abortAllDurableObjects(); // memory gone; storage and the alarm stay
    const [shard] = shardsOf(ns); // a stub from before the restart would be broken by it

    expect(await runDurableObjectAlarm(shard!)).toBe(true); // the sweep
    expect(await sinkCalls(ns)).toHaveLength(0);
    expect((await writeBehindStats(ns)).pending).toBe(1);
    expect(await alarmOf(shard!)).not.toBeNull(); // the flush is still booked

    await advanceAndRunAlarm(shard!, INTERVAL_MS + 1);
    expect((await sinkCalls(ns)).flatMap((c) => c.records.map((r) => r.key))).toEqual(["r1"]);
    expect((await writeBehindStats(ns)).pending).toBe(0);
  });

  it("a booked time further off than any wait the policy books (a clock that moved back) flushes at once", async () => {
    const ns = "wb-restart";
    const [before] = shardsOf(ns);
    await inShard(before!, (s) => s.clock.advance(24 * 3_600_000)); // a day ahead
    await ok(mutate("set", { namespace: ns, key: "r2", value: 2 }));
    // The restart loses the clock's lead: the booking now looks a day away. Rows must not wait that long.
    await abortAllDurableObjects();
    const [shard] = shardsOf(ns);
    expect(await runDurableObjectAlarm(shard!)).toBe(true); // the sweep, ≥ 30 s off
    expect(await alarmOf(shard!)).not.toBeNull();
    expect((await sinkCalls(ns)).flatMap((c) => c.records.map((r) => r.key))).toEqual(["r1", "r2"]);
    expect((await writeBehindStats(ns)).pending).toBe(0);
  });
});
