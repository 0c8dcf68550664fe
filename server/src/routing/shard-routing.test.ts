// Issue 18, acceptance 3: routing that moves few keys when `shards` changes.
import { describe, expect, it } from "vitest";
import { fnv1a, shardIndex } from "./shard-routing.ts";

const keys = Array.from({ length: 100_000 }, (_, i) => `key-${i}-${((i * 2654435761) >>> 0).toString(36)}`);

describe("jump consistent hash routing", () => {
  it("moving from 8 to 9 shards relocates at most 15 % of 100,000 keys, all of them to the new shard", () => {
    const moved = keys.filter((key) => shardIndex(key, 8) !== shardIndex(key, 9));
    expect(moved.length / keys.length).toBeLessThanOrEqual(0.15);
    expect(moved.length / keys.length).toBeGreaterThan(0.08); // about 1/9: the new shard takes its share
    expect(moved.every((key) => shardIndex(key, 9) === 8)).toBe(true);
  });

  it("spreads keys evenly: every one of 16 shards gets 6.25 % ± 0.5 %", () => {
    const counts = new Array<number>(16).fill(0);
    for (const key of keys) counts[shardIndex(key, 16)]!++;
    for (const count of counts) expect(Math.abs(count / keys.length - 1 / 16)).toBeLessThan(0.005);
  });

  it("is stable and in range for every count from 1 to 1024", () => {
    for (const shards of [1, 2, 3, 7, 64, 1024]) {
      for (const key of keys.slice(0, 2_000)) {
        const index = shardIndex(key, shards);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(shards);
        expect(shardIndex(key, shards)).toBe(index);
      }
    }
  });
});

describe("FNV-1a over UTF-8", () => {
  /** The reference: hash the bytes TextEncoder gives. */
  const reference = (text: string) => {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
    return hash >>> 0;
  };

  it("hashes exactly the key's UTF-8 bytes: ASCII, 2-, 3- and 4-byte characters, lone surrogates", () => {
    for (const key of ["", "a", "key-123", "é", "ā", "字", "€uro", "😀", "a😀b", "\ud800", "x\udc00y", "\ud83d"]) {
      expect(fnv1a(key), key).toBe(reference(key));
    }
  });
});
