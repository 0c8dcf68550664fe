import { describe, expect, it } from "vitest";
import { fnv1a, shardIndex, shardNameForKey } from "./shard-routing.ts";

describe("shard routing", () => {
  it("is stable: FNV-1a test vectors and the same shard for the same key", () => {
    // Published FNV-1a 32-bit vectors.
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
    expect(shardNameForKey("products", "SKU123", 8)).toBe(shardNameForKey("products", "SKU123", 8));
  });

  it("spreads keys over every shard", () => {
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[shardIndex(`key-${i}`, 16)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
