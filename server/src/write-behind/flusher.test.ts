// Issue 16: the Flusher built on its own, over a Durable Object's SQLite, with a sink the test scripts.
import { env } from "cloudflare:workers";
import type { WriteBehindConfig } from "@cache-sync/contracts";
import { describe, expect, it } from "vitest";
import { inShard } from "../../test/support/in-object.ts";
import { DeadLetterStore } from "./dead-letters.ts";
import { Flusher } from "./flusher.ts";
import { Outbox } from "./outbox.ts";
import { SinkRefusal, type SinkBatch } from "./sinks.ts";

const namespace = "flusher-direct";
const config: WriteBehindConfig = { sink: "d1", flushIntervalMs: 1_000, maxBatch: 3, maxBatchBytes: 1024 * 1024, deadLetterAfter: 2 };

const freshShard = () => env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(`flusher-${crypto.randomUUID()}`));

function flusherOver(state: DurableObjectState, keys: string[]) {
  const outbox = new Outbox(state.storage.sql);
  const deadLetters = new DeadLetterStore(state.storage.sql);
  const flusher = new Flusher(outbox, deadLetters, (work) => state.storage.transactionSync(work));
  keys.forEach((key, i) => {
    outbox.put(namespace, key, i + 1, JSON.stringify(key), Date.now());
  });
  return { flusher, outbox, deadLetters };
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

describe("the Flusher, built directly (issue 16)", () => {
  it("delivers every pending record in batches of at most maxBatch, each with its own batchId, and removes what was acknowledged", async () => {
    const batches: SinkBatch[] = [];
    const outcome = await inShard(freshShard(), async (_shard, state) => {
      const { flusher, outbox } = flusherOver(state, keys(7));
      const outcome = await flusher.flush(namespace, config, async (batch) => void batches.push(batch));
      return { ...outcome, stats: outbox.stats() };
    });
    expect(outcome).toMatchObject({ flushed: 7, pending: 0, deadLetters: 0, stats: { flushed: 7, consecutiveFailures: 0 } });
    expect(batches.map((batch) => batch.records.length)).toEqual([3, 3, 1]);
    expect(new Set(batches.map((batch) => batch.batchId)).size).toBe(3);
    expect(batches.flatMap((batch) => batch.records.map((record) => record.key)).sort()).toEqual(keys(7).sort());
  });

  it("a record the sink refuses is isolated by halving while the rest are delivered, and is a dead letter after deadLetterAfter refusals", async () => {
    const delivered: string[] = [];
    const sink = async ({ records }: SinkBatch) => {
      if (records.some((record) => record.key === "k2")) throw new SinkRefusal("k2 breaks a constraint");
      delivered.push(...records.map((record) => record.key));
    };
    const [first, second] = await inShard(freshShard(), async (_shard, state) => {
      const { flusher } = flusherOver(state, keys(5));
      return [await flusher.flush(namespace, config, sink), await flusher.flush(namespace, config, sink)];
    });
    expect(first).toMatchObject({ flushed: 4, pending: 1, deadLetters: 0 });
    expect(second).toMatchObject({ flushed: 0, pending: 0, deadLetters: 1 });
    expect(delivered.sort()).toEqual(["k0", "k1", "k3", "k4"]);
  });

  it("an unavailable sink stops the flush and keeps every row, reporting the error and counting the failure", async () => {
    let calls = 0;
    const outcome = await inShard(freshShard(), async (_shard, state) => {
      const { flusher, outbox } = flusherOver(state, keys(5));
      const outcome = await flusher.flush(namespace, config, async () => {
        calls++;
        throw new Error("sink is down");
      });
      return { ...outcome, stats: outbox.stats() };
    });
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ flushed: 0, pending: 5, error: "sink is down", stats: { failedAttempts: 1, consecutiveFailures: 1 } });
  });
});
