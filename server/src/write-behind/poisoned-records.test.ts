// Issue 5: write-behind that cannot wedge. A record the sink refuses for good is found (the batch
// split until it stands alone), retried alone, and moved to the dead letters after
// `deadLetterAfter` refusals, while every record behind it flows; batches are bounded by bytes.
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { purgeBehave } from "../../test/support/purge-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { shardsOf, sinkCalls, writeBehindStats } from "../../test/support/write-behind.ts";
import { inShard } from "../../test/support/in-object.ts";

/** Puts rows straight into the shard's outbox (as acknowledged writes would), so no early flush races the test. */
async function putRows(ns: string, rows: { key: string; value: unknown }[]): Promise<void> {
  const [shard] = shardsOf(ns);
  await inShard(shard!, (s) => {
    rows.forEach((row, i) => {
      s.cache.writeBehind.outbox.put(ns, row.key, i + 1, JSON.stringify(row.value), Date.now());
    });
  });
}

const delivered = async (ns: string) => (await sinkCalls(ns)).filter((c) => c.status === 200).flatMap((c) => c.records.map((r) => r.key));

describe("a record the sink refuses for good (issue 5)", () => {
  it("one poisoned record among 1,000: 999 reach the sink, 1 is a dead letter with its error, visible in stats", {
    timeout: 60_000,
  }, async () => {
    const ns = "wb-poison"; // one shard, maxBatch 500, deadLetterAfter 5 (defaults)
    const keys = Array.from({ length: 1_000 }, (_, i) => `row-${String(i).padStart(4, "0")}`);
    const poison = "row-0250";
    await purgeBehave(ns, { refuseKey: poison, refuseStatus: 422 });
    await putRows(
      ns,
      keys.map((key, i) => ({ key, value: { i } })),
    );

    // The first flush delivers everything but the poisoned record, which is retried alone later.
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 999, pending: 1, deadLetters: 0 });
    const first = await delivered(ns);
    expect(first).toHaveLength(999);
    expect(new Set(first)).toEqual(new Set(keys.filter((key) => key !== poison)));
    // Each further flush sends it alone, once; the fifth refusal moves it to the dead letters.
    for (let flush = 2; flush <= 4; flush++) {
      const before = (await sinkCalls(ns)).length;
      expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 0, pending: 1, deadLetters: 0 });
      const calls = (await sinkCalls(ns)).slice(before);
      expect(calls.map((c) => [c.status, c.records.map((r) => r.key)])).toEqual([[422, [poison]]]);
    }
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 0, pending: 0, deadLetters: 1 });
    expect(await delivered(ns)).toHaveLength(999); // nothing delivered twice, nothing lost

    expect(await writeBehindStats(ns)).toMatchObject({ pending: 0, flushed: 999, deadLetters: 1 });
    const listed = await ok(query("deadLetters", { namespace: ns }));
    expect(listed).toEqual({
      total: 1,
      deadLetters: [
        {
          key: poison,
          version: 251,
          deleted: false,
          updatedAt: expect.any(Number),
          bytes: expect.any(Number),
          attempts: 5,
          error: `sink answered 422: {"error":"record ${poison} is invalid"}`,
          deadAt: expect.any(Number),
        },
      ],
    });

    // Fixed at the sink: an admin replays it, and the next flush delivers it.
    await purgeBehave(ns, {});
    expect(await ok(mutate("replayDeadLetters", { namespace: ns, all: true }))).toEqual({ replayed: 1, superseded: 0 });
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 1, pending: 0, deadLetters: 0 });
    const last = (await sinkCalls(ns)).at(-1)!;
    expect(last.records.map((r) => [r.key, r.version, r.value])).toEqual([[poison, 251, JSON.stringify({ i: 250 })]]);
    expect(await writeBehindStats(ns)).toMatchObject({ pending: 0, flushed: 1_000, deadLetters: 0 });
  });

  it("replay, supersede and drop: nothing leaves the dead letters but by an admin's call, and 408/429 are outages, not refusals", async () => {
    const ns = "wb-dead"; // two shards, maxBatch 4, deadLetterAfter 2
    const deadLetter = async (key: string) => {
      await purgeBehave(ns, { refuseKey: key, refuseStatus: 400 });
      await ok(mutate("set", { namespace: ns, key, value: key }));
      await ok(mutate("flush", { namespace: ns }));
      return ok(mutate("flush", { namespace: ns }));
    };
    expect(await deadLetter("bad-1")).toMatchObject({ pending: 0, deadLetters: 1 });
    // Replayed while the sink still refuses it: back in the outbox, refused twice more, dead again.
    expect(await ok(mutate("replayDeadLetters", { namespace: ns, keys: ["bad-1"] }))).toEqual({ replayed: 1, superseded: 0 });
    expect((await writeBehindStats(ns)).pending).toBe(1);
    await ok(mutate("flush", { namespace: ns }));
    expect(await ok(mutate("flush", { namespace: ns }))).toMatchObject({ pending: 0, deadLetters: 1 });

    // A newer write of a dead-lettered key supersedes it on replay (the newer one wins in the main database anyway).
    await purgeBehave(ns, { hold: false });
    await ok(mutate("set", { namespace: ns, key: "bad-1", value: "fixed" }));
    expect(await ok(mutate("replayDeadLetters", { namespace: ns, all: true }))).toEqual({ replayed: 0, superseded: 1 });
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 1, pending: 0, deadLetters: 0 });
    expect((await sinkCalls(ns)).at(-1)!.records.map((r) => r.value)).toEqual(['"fixed"']);

    // Dropping needs a selection; then only the named key goes.
    expect(await deadLetter("bad-2")).toMatchObject({ deadLetters: 1 });
    expect(await deadLetter("bad-3")).toMatchObject({ deadLetters: 2 });
    const unnamed = await mutate("dropDeadLetters", { namespace: ns });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.message).toMatch(/keys or all: true/);
    expect((await mutate("replayDeadLetters", { namespace: ns, keys: ["bad-2"], all: true })).status).toBe(400);
    expect(await ok(mutate("dropDeadLetters", { namespace: ns, keys: ["bad-2"] }))).toEqual({ dropped: 1 });
    expect(await ok(query("deadLetters", { namespace: ns }))).toMatchObject({ total: 1, deadLetters: [{ key: "bad-3" }] });
    // Reading or changing dead letters is for admins.
    expect((await query("deadLetters", { namespace: ns }, "test-reader-token-5d21aa")).status).toBe(403);

    // 408 and 429 mean "later": the record stays pending, however often, and never becomes a dead letter.
    for (const status of [408, 429]) {
      await purgeBehave(ns, { refuseKey: `later-${status}`, refuseStatus: status });
      await ok(mutate("set", { namespace: ns, key: `later-${status}`, value: 1 }));
      for (let i = 0; i < 3; i++) {
        expect(await ok(mutate("flush", { namespace: ns }))).toMatchObject({ flushed: 0, pending: 1, deadLetters: 1 });
      }
      await purgeBehave(ns, {});
      expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 1, pending: 0, deadLetters: 1 });
    }
  });
});

describe("a record the D1 sink refuses (issue 5)", () => {
  it("a constraint error is a refusal: the other records land, the refused one is a dead letter", async () => {
    const ns = "wb-d1-poison"; // one shard, deadLetterAfter 1
    // A rule of the main database the record breaks (a CHECK or trigger: SQLITE_CONSTRAINT).
    await env.MAIN_DB.exec(
      "CREATE TRIGGER IF NOT EXISTS refuse_poison BEFORE INSERT ON cache_records WHEN NEW.key = 'd1-poison' BEGIN SELECT RAISE(ABORT, 'd1-poison breaks a rule'); END",
    );
    await putRows(
      ns,
      ["d1-a", "d1-poison", "d1-b"].map((key) => ({ key, value: key })),
    );
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 2, pending: 0, deadLetters: 1 });
    const rows = await env.MAIN_DB.prepare("SELECT key FROM cache_records WHERE namespace = ? ORDER BY key")
      .bind(ns)
      .all<{ key: string }>();
    expect(rows.results.map((r) => r.key)).toEqual(["d1-a", "d1-b"]);
    const listed = await ok(query("deadLetters", { namespace: ns }));
    expect(listed.deadLetters).toMatchObject([{ key: "d1-poison", attempts: 1 }]);
    expect(listed.deadLetters[0].error).toMatch(/D1 refused the batch: .*d1-poison breaks a rule/);
  });
});

describe("batches bounded by bytes (issue 5)", () => {
  it("no batch carries more than maxBatchBytes, except a single record bigger than that, which goes alone", async () => {
    const ns = "wb-bytes"; // maxBatchBytes 100,000
    const value = (n: number) => "x".repeat(n);
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => ({ key: `r${i + 1}`, value: value(30_000) })),
      { key: "big", value: value(250_000) },
      ...Array.from({ length: 2 }, (_, i) => ({ key: `r${i + 9}`, value: value(30_000) })),
    ];
    await putRows(ns, rows);
    expect(await ok(mutate("flush", { namespace: ns }))).toEqual({ flushed: 10, pending: 0, deadLetters: 0 });
    const calls = await sinkCalls(ns);
    expect(calls.map((c) => c.records.map((r) => r.key))).toEqual([["r1", "r2", "r3"], ["r4", "r5", "r6"], ["r7"], ["big"], ["r9", "r10"]]);
    for (const call of calls) {
      const bytes = call.records.reduce((sum, r) => sum + (r.value?.length ?? 0) + r.key.length + 2, 0);
      if (call.records.length > 1) expect(bytes).toBeLessThanOrEqual(100_000);
    }
  });
});
