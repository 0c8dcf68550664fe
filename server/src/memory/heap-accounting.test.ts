// Issue 4: memory bounds count an estimate of heap size, not JSON length — a parsed 1 MB `[{},…]`
// takes ~21 MB of heap (server/scripts/measure-heap.ts) — in the shard's memory tier and in the
// isolate's micro-cache, which now has a byte bound too.
import { describe, expect, it } from "vitest";
import type { JsonValue } from "@cache-sync/contracts";
import type { GetAnswer } from "../shard/get-answer.ts";
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

// Issue 14: the shard holds each value as the JSON text it was serialized to once (get-answer.ts),
// so the heap a value takes is its text's: the parsed [{},…] that took 21× its JSON never exists.
describe("the shard's memory tier (namespace heapy: 4 MiB)", () => {
  const memory = (key: string) => inShard(shardStub("heapy", key), (shard) => shard.cache.stats());

  it("keeps a 300 KB [{},…] value as its text, charged ~300 KB, not the ~6.4 MB its parsed form would take", async () => {
    const key = `objects-${crypto.randomUUID()}`;
    const value = emptyObjects(299_000); // 99,666 objects: under the node cap
    await seed("heapy", [{ key, value }]);
    const stats = await memory(key);
    expect(stats.memoryEntries).toBe(1);
    expect(stats.memoryBytes).toBeGreaterThan(299_000);
    expect(stats.memoryBytes).toBeLessThan(310_000);
    const answer = await read("heapy", key);
    expect(answer).toMatchObject({ found: true, source: "memory" });
    expect(answer.value).toEqual(value);
  });

  it("charges what it keeps by heap estimate (2 bytes per character beyond Latin-1), and stays under its bound", async () => {
    // 500,000 characters of "ā" each: ~1 MB of heap (by JSON length 500 K), so four fit in 4 MiB, not five.
    const keys = Array.from({ length: 5 }, (_, i) => `chunk-${i}-${crypto.randomUUID()}`);
    for (const key of keys) await seed("heapy", [{ key, value: "ā".repeat(500_000) }]);
    const stats = await memory(keys[0]!);
    expect(stats.memoryEntries).toBe(4);
    expect(stats.memoryBytes).toBeGreaterThan(4 * 1_000_000);
    expect(stats.memoryBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe("the isolate's micro-cache", () => {
  const result = (value: JsonValue): GetAnswer => ({
    found: true,
    valueJson: JSON.stringify(value),
    state: "fresh",
    source: "memory",
    version: 1,
    ageMs: 0,
    tags: [],
  });
  const limits = { maxEntries: 1_000, maxBytes: 1024 * 1024 };

  it("holds at most maxBytes of estimated heap, evicting the oldest first", () => {
    const cache = new HotCache();
    for (let i = 0; i < 10; i++) cache.put("ns", `k${i}`, result("v".repeat(200_000)), limits);
    expect(cache.bytes).toBeLessThanOrEqual(limits.maxBytes);
    expect(cache.count).toBe(5);
    expect(cache.get("ns", "k0", 60_000)).toBeUndefined();
    expect(cache.get("ns", "k9", 60_000)?.valueJson).toHaveLength(200_002);
  });

  it("does not keep a value whose heap estimate exceeds the bound, though its JSON is shorter", () => {
    const cache = new HotCache();
    const value = "ā".repeat(600_000); // 600,002 characters of JSON, ~1.2 MB of heap (2 bytes each)
    expect(jsonBytes(value)).toBeLessThan(limits.maxBytes);
    cache.put("ns", "objects", result(value), limits);
    expect(cache.get("ns", "objects", 60_000)).toBeUndefined();
    expect(cache.bytes).toBe(0);
    cache.put("ns", "small", result({ a: 1 }), limits);
    cache.forget("ns", "small");
    expect(cache.bytes).toBe(0);
  });
});
