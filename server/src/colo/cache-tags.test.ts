/**
 * The key's Cache-Tag is a contract with every shared cache that was told it: purges computed
 * later must name the same tag. It stays the first 64 bits of SHA-256 over the key's UTF-8 bytes,
 * as `crypto.subtle.digest` over TextEncoder's bytes gives them, now computed synchronously.
 */
import { describe, expect, it } from "vitest";
import { answerTags, keyTag } from "./cache-tags.ts";

async function subtleKeyTag(namespace: string, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `${namespace}/key/${[...digest.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

describe("Cache-Tag of a key", () => {
  it("is the first 64 bits of the key's SHA-256, known values", () => {
    expect(keyTag("catalog", "sku 1")).toBe("catalog/key/6e39c1cf6576e89a");
    expect(keyTag("catalog", "ключ/é")).toBe("catalog/key/e6cb42eb5fb14be3");
  });

  it("hashes the bytes TextEncoder gives, a lone surrogate as U+FFFD, as the Web Crypto digest did", async () => {
    for (const key of ["sku 1", "ключ/é", "a\ud800b", "\udfff", "emoji 🧪", "x".repeat(1_000)]) {
      expect(keyTag("ns", key)).toBe(await subtleKeyTag("ns", key));
    }
    expect(keyTag("ns", "a\ud800b")).toBe("ns/key/05087813392efc16");
  });

  it("answers carry the entry's own tags, the key's and the namespace's, without waiting on a promise", () => {
    const tags = answerTags("catalog", "sku 1", ["shoes", "bad tag"]);
    expect(tags).toEqual(["catalog:shoes", "catalog/key/6e39c1cf6576e89a", "catalog"]);
  });
});
