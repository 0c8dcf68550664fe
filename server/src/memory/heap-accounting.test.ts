// Issue 4: memory bounds count an estimate of heap size, not JSON length — a 1 MB `[{},…]` value
// takes ~21 MB of heap (server/scripts/measure-heap.ts) — in the shard's memory tier and in the
// isolate's micro-cache, which now has a byte bound too.
import { describe, expect, it } from "vitest";
import type { GetResult, JsonValue } from "@cache-sync/contracts";
import { HotCache } from "../service/hot-cache.ts";
import { estimateHeapBytes } from "./heap-size.ts";
import { read, seed } from "../../test/support/bulk-entries.ts";
import { shardStub } from "../../test/support/shards.ts";
import { inShard } from "../../test/support/in-object.ts";

const emptyObjects = (jsonBytes: number): JsonValue => Array.from({ length: Math.floor((jsonBytes - 2) / 3) }, () => ({}));
const jsonBytes = (value: JsonValue) => JSON.stringify(value).length;

describe("heap size estimate", () => {
  it("charges a 1 MB [{},…] about 21 times its JSON length, and a 1 MB string about its length", () => {
    const objects = emptyObjects(1_000_000);
    expect(estimateHeapBytes(objects) / jsonBytes(objects)).toBeGreaterThan(20);
    const text = "x".repeat(1_000_000);
    expect(estimateHeapBytes(text) / jsonBytes(text)).toBeCloseTo(1, 1);
    // Nesting deeper than the call stack allows is counted, not a crash.
    let deep: JsonValue = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(estimateHeapBytes(deep)).toBeGreaterThan(200_000 * 48);
  });
});

// A value stays under the contract's node cap (LIMITS.valueMaxNodes, 100,000), so the largest
// [{},…] a caller may write is ~300 KB of JSON: ~6.4 MB of heap, which a 4 MiB tier cannot keep.
describe("the shard's memory tier (namespace heapy: 4 MiB)", () => {
  const memory = (key: string) => inShard(shardStub("heapy", key), (shard) => shard.cache.stats());

  it("does not keep a 300 KB [{},…] value that would take ~6.4 MB of heap; serves it from SQLite", async () => {
    const key = `objects-${crypto.randomUUID()}`;
    const value = emptyObjects(299_000); // 99,666 objects: under the node cap
    expect(jsonBytes(value)).toBeLessThan(300_000); // within maxValueBytes, far below the 4 MiB bound
    await seed("heapy", [{ key, value }]);
    const stats = await memory(key);
    expect(stats.memoryEntries).toBe(0);
    expect(stats.memoryBytes).toBe(0);
    expect(await read("heapy", key)).toMatchObject({ found: true, source: "storage" });
    expect((await memory(key)).memoryEntries).toBe(0);
  });

  it("charges what it keeps by heap estimate, and stays under its bound", async () => {
    // 120 KB of [{},…] each: ~2.6 MB of heap, so at most one fits in 4 MiB (by JSON length, thirty would).
    const keys = Array.from({ length: 5 }, (_, i) => `chunk-${i}-${crypto.randomUUID()}`);
    for (const key of keys) await seed("heapy", [{ key, value: emptyObjects(120_000) }]);
    const stats = await memory(keys[0]!);
    expect(stats.memoryEntries).toBe(1);
    expect(stats.memoryBytes).toBeGreaterThan(2_500_000);
    expect(stats.memoryBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe("the isolate's micro-cache", () => {
  const result = (value: JsonValue): GetResult => ({ found: true, value, state: "fresh", source: "memory", version: 1, ageMs: 0, tags: [] });
  const limits = { maxEntries: 1_000, maxBytes: 1024 * 1024 };

  it("holds at most maxBytes of estimated heap, evicting the oldest first", () => {
    const cache = new HotCache();
    for (let i = 0; i < 10; i++) cache.put("ns", `k${i}`, result("v".repeat(200_000)), limits);
    expect(cache.bytes).toBeLessThanOrEqual(limits.maxBytes);
    expect(cache.count).toBe(5);
    expect(cache.get("ns", "k0", 60_000)).toBeUndefined();
    expect(cache.get("ns", "k9", 60_000)?.value).toHaveLength(200_000);
  });

  it("does not keep a value whose heap estimate exceeds the bound, though its JSON is small", () => {
    const cache = new HotCache();
    const value = emptyObjects(100_000); // ~2.1 MB of heap
    expect(jsonBytes(value)).toBeLessThan(limits.maxBytes / 10);
    cache.put("ns", "objects", result(value), limits);
    expect(cache.get("ns", "objects", 60_000)).toBeUndefined();
    expect(cache.bytes).toBe(0);
    cache.put("ns", "small", result({ a: 1 }), limits);
    cache.forget("ns", "small");
    expect(cache.bytes).toBe(0);
  });
});
