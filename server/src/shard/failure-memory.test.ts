// Issue 4: the coalescer remembers failed loads (so an outage is not hammered), but only so many:
// distinct failing keys, asked for by anyone, cannot grow a shard's memory without limit.
import { describe, expect, it } from "vitest";
import { FAILURE_MEMORY_CAP } from "./load-coalescer.ts";
import { behave, originCount } from "../../test/support/origin-control.ts";
import { send } from "../../test/support/trpc-http.ts";
import { shardStub } from "../../test/support/shards.ts";
import { inShard } from "../../test/support/in-object.ts";

const ns = "open-failing"; // publicRead, one shard, origin errorBackoffMs 10 s

describe("failure memory of the load coalescer (issue 4)", () => {
  it("2,000 distinct failing keys read anonymously, in batches, leave the shard's failure memory at its cap", {
    timeout: 120_000,
  }, async () => {
    const group = `flood-${crypto.randomUUID()}`;
    await behave(group, { status: 500 }); // every key "<group>:…" fails at the origin
    const keys = Array.from({ length: 2_000 }, (_, i) => `${group}:${i}`);
    for (let i = 0; i < keys.length; i += 50) {
      const batch = keys.slice(i, i + 50);
      const input = Object.fromEntries(batch.map((key, j) => [j, { namespace: ns, key }]));
      const path = `/trpc/${batch.map(() => "get").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
      const response = await send(path, { token: null });
      expect(response.status).toBe(502); // every call of the batch failed the same way
    }
    const remembered = await inShard(shardStub(ns, keys[0]!), (shard) => shard.failuresRemembered);
    expect(remembered).toBe(FAILURE_MEMORY_CAP);
    expect(FAILURE_MEMORY_CAP).toBe(1_000);

    // The most recent failures are the ones kept: a key failed just now is not asked of the origin again ...
    const last = keys.at(-1)!;
    const before = await originCount(last);
    expect(
      (await send(`/trpc/get?input=${encodeURIComponent(JSON.stringify({ namespace: ns, key: last }))}`, { token: null })).status,
    ).toBe(502);
    expect(await originCount(last)).toBe(before);
    // ... while the oldest was forgotten, which costs one more origin call, nothing else.
    const first = keys[0]!;
    const firstBefore = await originCount(first);
    expect(
      (await send(`/trpc/get?input=${encodeURIComponent(JSON.stringify({ namespace: ns, key: first }))}`, { token: null })).status,
    ).toBe(502);
    expect(await originCount(first)).toBe(firstBefore + 1);
  });
});
