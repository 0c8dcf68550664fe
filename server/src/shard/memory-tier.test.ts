import { describe, expect, it } from "vitest";
import { runDurableObjectAlarm } from "cloudflare:test";
import { MemoryLru } from "./memory-lru.ts";
import { advanceShardClock, shardStub } from "../../test/support/shards.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

// Namespace "tiny": one shard, memory bound 10,000 bytes / 1,000 entries.
const MEMORY_MAX_BYTES = 10_000;

const memoryOf = (key: string) => inShard(shardStub("tiny", key), (shard) => shard.cache.stats());

describe("memory tier", () => {
  it("never exceeds its byte bound under a write loop of 10x its size", async () => {
    const value = "v".repeat(480); // ~500 bytes serialized per entry
    let peak = 0;
    for (let i = 0; i < 200; i++) {
      await ok(mutate("set", { namespace: "tiny", key: `loop-${i}`, value }));
      peak = Math.max(peak, (await memoryOf(`loop-${i}`)).memoryBytes);
    }
    const stats = await memoryOf("loop-0");
    expect(peak).toBeLessThanOrEqual(MEMORY_MAX_BYTES);
    expect(stats.memoryBytes).toBeGreaterThan(MEMORY_MAX_BYTES / 2);
    expect(stats.evictions).toBeGreaterThan(150);
    expect(stats.entries).toBe(200);
  });

  it("an evicted entry is still read, from SQLite, and then from memory again", async () => {
    const first = await ok(query("get", { namespace: "tiny", key: "loop-0" }));
    expect(first).toMatchObject({ found: true, source: "storage", state: "fresh" });
    expect(await ok(query("get", { namespace: "tiny", key: "loop-0" }))).toMatchObject({ source: "memory" });
  });

  it("evicts the least recently used entry first", () => {
    const lru = new MemoryLru<{ size: number }>({ maxEntries: 3, maxBytes: 1_000 });
    lru.set("a", { size: 1 });
    lru.set("b", { size: 1 });
    lru.set("c", { size: 1 });
    lru.get("a");
    lru.set("d", { size: 1 });
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBeDefined();
    expect(lru.count).toBe(3);
  });
});

describe("expiry sweep", () => {
  it("the alarm deletes expired entries from SQLite and memory", async () => {
    const key = "sweep-me";
    await ok(mutate("set", { namespace: "tiny", key, value: 1, ttlMs: 1_000, staleMs: 1_000 }));
    await ok(mutate("set", { namespace: "tiny", key: "keep-me", value: 2, ttlMs: 600_000 }));
    const before = (await memoryOf(key)).entries;
    await advanceShardClock("tiny", key, 2_001);
    expect(await runDurableObjectAlarm(shardStub("tiny", key))).toBe(true);
    const rows = await inShard(
      shardStub("tiny", key),
      (_shard, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM entries WHERE key = ?", key).one().n,
    );
    expect(rows).toBe(0);
    expect((await memoryOf(key)).entries).toBeLessThan(before);
    expect(await ok(query("get", { namespace: "tiny", key }))).toMatchObject({ found: false });
    expect(await ok(query("get", { namespace: "tiny", key: "keep-me" }))).toMatchObject({ found: true, value: 2 });
  });

  it("after a sweep the alarm is booked again for the next expiry", async () => {
    const next = await inShard(shardStub("tiny", "keep-me"), (_shard, state) => state.storage.getAlarm());
    expect(next).not.toBeNull();
  });
});
