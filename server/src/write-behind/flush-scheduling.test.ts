/**
 * When a write-behind shard flushes: early once maxBatch rows are pending, every row acknowledged
 * by version (a rewrite during a flush is kept for the next one), and what `flush` answers.
 * The namespaces' interval is 10 min, so a flush the test did not cause is an early one.
 */
import { describe, expect, it } from "vitest";
import { purgeBehave, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";
import { advanceAndRunAlarm, alarmOf, eventually, shardsOf, sinkCalls, writeBehindStats } from "../../test/support/write-behind.ts";
import { inShard } from "../../test/support/in-object.ts";

const INTERVAL_MS = 600_000;

describe("early flush at maxBatch", () => {
  it("flushes as soon as maxBatch distinct keys are pending, without waiting for the interval", async () => {
    const ns = "wb-batch"; // maxBatch 5
    const [shard] = shardsOf(ns);
    for (let i = 0; i < 4; i++) await ok(mutate("set", { namespace: ns, key: `k${i}`, value: i }));
    // A rewrite coalesces into its key's row: still 4 rows, still below maxBatch.
    await ok(mutate("set", { namespace: ns, key: "k0", value: "again" }));
    expect((await writeBehindStats(ns)).pending).toBe(4);
    // Nothing is due soon: the earliest alarm is a sweep (≥ 30 s) or the 10 min interval.
    expect((await alarmOf(shard!))! - Date.now()).toBeGreaterThan(20_000);

    await ok(mutate("set", { namespace: ns, key: "k4", value: 4 }));
    // No clock is moved: only an alarm booked for now can have sent this.
    await waitForPurgeCalls(ns, 1);
    await eventually(async () => (await writeBehindStats(ns)).pending === 0, "the early flush to be acknowledged");
    const calls = await sinkCalls(ns);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.records.map((r) => r.key).sort()).toEqual(["k0", "k1", "k2", "k3", "k4"]);
    expect(JSON.parse(calls[0]!.records.find((r) => r.key === "k0")!.value!)).toBe("again");
  });
});

describe("a row rewritten while its batch is in flight", () => {
  it("is kept, and its newer version is delivered by the next flush", async () => {
    const ns = "wb-inflight";
    const [shard] = shardsOf(ns);
    await purgeBehave(ns, { hold: true });
    const v1 = await ok(mutate("set", { namespace: ns, key: "doc", value: "v1" }));
    const flushing = ok(mutate("flush", { namespace: ns }));
    await waitForPurgeCalls(ns, 1); // the sink holds the batch carrying v1
    const v2 = await ok(mutate("set", { namespace: ns, key: "doc", value: "v2" }));
    await purgeRelease(ns);

    // The sink acknowledged v1 only: v2 replaced the row meanwhile and is still owed.
    expect(await flushing).toEqual({ flushed: 1, pending: 1, deadLetters: 0 });
    expect((await writeBehindStats(ns)).pending).toBe(1);
    // It is scheduled, not stranded: the next interval's alarm sends it.
    expect(await alarmOf(shard!)).not.toBeNull();
    await advanceAndRunAlarm(shard!, INTERVAL_MS + 1);

    const calls = await sinkCalls(ns);
    expect(calls.map((c) => c.records.map((r) => [r.key, r.version, r.value]))).toEqual([
      [["doc", v1.version, '"v1"']],
      [["doc", v2.version, '"v2"']],
    ]);
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    expect(await writeBehindStats(ns)).toMatchObject({ pending: 0, flushed: 2 });
  });
});

describe("the flush procedure's answer", () => {
  it("reports flushed as the rows it sent, and pending 0", async () => {
    const ns = "wb-report"; // 2 shards
    const keys = ["a", "b", "c", "d", "e", "f", "g"];
    for (let i = 0; i < 10; i++) await ok(mutate("set", { namespace: ns, key: keys[i % keys.length], value: i }));
    expect((await writeBehindStats(ns)).pending).toBe(7);

    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 7, pending: 0, deadLetters: 0 });
    const calls = await sinkCalls(ns);
    expect(
      calls
        .flatMap((c) => c.records)
        .map((r) => r.key)
        .sort(),
    ).toEqual(keys);
    // Nothing left: a second flush sends nothing and says so.
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 0, pending: 0, deadLetters: 0 });
    expect(await sinkCalls(ns)).toHaveLength(calls.length);
  });

  it("counts every batch of a flush that takes several (maxBatch 3, 7 rows)", async () => {
    const ns = "wb-drain";
    const [shard] = shardsOf(ns);
    // Rows put straight into the outbox, so no early flush (maxBatch) races the procedure.
    await inShard(shard!, (_s, state) => {
      for (let i = 1; i <= 7; i++) {
        state.storage.sql.exec(
          `INSERT INTO outbox (key, namespace, version, value, deleted, updated_at, tags) VALUES (?, ?, ?, ?, 0, ?, '[]')`,
          `row-${i}`,
          ns,
          i,
          JSON.stringify(i),
          Date.now(),
        );
      }
    });
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 7, pending: 0, deadLetters: 0 });
    const calls = await sinkCalls(ns);
    expect(calls.map((c) => c.records.length)).toEqual([3, 3, 1]);
    expect(new Set(calls.map((c) => c.batchId)).size).toBe(3);
    expect(calls.flatMap((c) => c.records.map((r) => r.version))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await writeBehindStats(ns)).toMatchObject({ pending: 0, flushed: 7 });
  });
});
