// Issue 16: the write path built on its own, over a Durable Object's SQLite, with a clock the test holds still.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { ShardWriteBehind } from "../write-behind/shard-write-behind.ts";
import { inShard } from "../../test/support/in-object.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { TestClock } from "../../test/worker/test-clock.ts";
import { AlarmScheduler } from "./alarm-scheduler.ts";
import type { FindPreviousOwner } from "./handoff.ts";
import { IdempotencyStore } from "./idempotency-store.ts";
import { Tiers } from "./tiers.ts";
import { WritePath } from "./write-path.ts";

const config = loadConfig(env.CACHE_CONFIG);
const plain = namespaceSettings(config, "products");
const behind = namespaceSettings(config, "ledger"); // writes behind to D1

const freshShard = () => env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(`write-path-${crypto.randomUUID()}`));

function writePath(state: DurableObjectState, previousOwner: FindPreviousOwner = () => undefined) {
  const clock = new TestClock();
  clock.freeze();
  const { sql } = state.storage;
  const transaction = <T>(work: () => T): T => state.storage.transactionSync(work);
  const tiers = new Tiers({ sql, transaction, onEvict: () => {} });
  const scheduler = new AlarmScheduler(state.storage);
  const writeBehind = new ShardWriteBehind({
    sql,
    transaction,
    scheduler,
    clock,
    mainDb: env.MAIN_DB,
    settings: (n) => namespaceSettings(config, n),
  });
  const sweeps: number[] = [];
  const idempotency = new IdempotencyStore(sql);
  const scheduleSweep = async (at: number) => void sweeps.push(at);
  const writes = new WritePath({ tiers, clock, transaction, idempotency, writeBehind, previousOwner, scheduleSweep });
  return { writes, tiers, clock, sweeps, writeBehind };
}

describe("the write path, built directly (issue 16)", () => {
  it("a set lands in SQLite and memory together, versioned at least the clock, its seq its version", async () => {
    const key = uniqueKey("direct-set");
    await inShard(freshShard(), async (_shard, state) => {
      const { writes, tiers, clock, sweeps } = writePath(state);
      const result = await writes.set({ namespace: "products", key, value: { a: 1 }, tags: ["t", "t"] }, plain);
      expect(result.version).toBeGreaterThanOrEqual(clock.now());
      expect(result).toMatchObject({ freshUntil: clock.now() + plain.freshMs, staleUntil: clock.now() + plain.freshMs + plain.staleMs });
      expect(tiers.store.readRow(key)).toMatchObject({ version: result.version, seq: result.version, tags: '["t"]' });
      expect(await tiers.lookup(key, clock.now())).toMatchObject({ source: "memory", entry: { json: '{"a":1}', version: result.version } });
      expect(sweeps).toEqual([result.staleUntil]);
    });
  });

  it("ifVersion must name the current version, and a replayed idempotency key is answered with the first result, writing nothing", async () => {
    const key = uniqueKey("direct-conditional");
    await inShard(freshShard(), async (_shard, state) => {
      const { writes, tiers } = writePath(state);
      const first = await writes.set({ namespace: "products", key, value: 1 }, plain);
      await expect(writes.set({ namespace: "products", key, value: 2, ifVersion: first.version + 1 }, plain)).rejects.toMatchObject({
        code: "CONFLICT",
      });
      const second = await writes.set({ namespace: "products", key, value: 2, ifVersion: first.version, idempotencyKey: "once" }, plain);
      expect(second.version).toBeGreaterThan(first.version);
      expect(await writes.set({ namespace: "products", key, value: 3, idempotencyKey: "once" }, plain)).toEqual(second);
      expect(tiers.store.readRow(key)).toMatchObject({ value: "2", version: second.version });
    });
  });

  it("a write of a key the previous owner still holds goes above the previous owner's version (resharding handoff)", async () => {
    const key = uniqueKey("direct-floor");
    const floor = Date.now() + 10 * 60_000;
    const owner = { peek: async () => ({ ok: true as const, value: { found: true as const, json: "0", version: floor, tags: [] } }) };
    await inShard(freshShard(), async (_shard, state) => {
      const { writes } = writePath(state, () => owner);
      expect((await writes.set({ namespace: "products", key, value: 1 }, plain)).version).toBe(floor + 1);
    });
  });

  it("a delete in a write-behind namespace drops the key from both tiers and leaves a newer tombstone in the outbox", async () => {
    const key = uniqueKey("direct-delete");
    await inShard(freshShard(), async (_shard, state) => {
      const { writes, tiers, clock, writeBehind } = writePath(state);
      const written = await writes.set({ namespace: "ledger", key, value: "v" }, behind);
      expect(writeBehind.outbox.pendingFor(key)).toMatchObject({ value: '"v"', version: written.version });
      expect(await writes.delete({ namespace: "ledger", key }, behind)).toEqual({ deleted: true });
      expect(await tiers.lookup(key, clock.now())).toBeUndefined();
      expect(tiers.store.readRow(key)).toBeUndefined();
      const tombstone = writeBehind.outbox.pendingFor(key);
      expect(tombstone?.value).toBeNull();
      expect(tombstone?.version).toBeGreaterThan(written.version);
      expect(await writes.delete({ namespace: "ledger", key }, behind)).toEqual({ deleted: false });
      await state.storage.deleteAlarm(); // the flush it booked is not this test's business
    });
  });
});
