// Issue 18, item 2 inside workerd: while a change of `shards` settles (`previousShards`), a key
// that moved is handed over from the shard that owned it under the previous count, a write goes
// above the version it had there, and an invalidation reaches the shards of both counts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unwrap } from "../errors.ts";
import { shardIndex, shardName } from "../routing/shard-routing.ts";
import { shardByName } from "../routing/shard-stub.ts";
import { finishedJob } from "../../test/support/coordinator.ts";
import { inShard } from "../../test/support/in-object.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

/** A fresh key whose owner under `from` shards differs from its owner under `to`. */
function movedKey(label: string, from: number, to: number): string {
  for (;;) {
    const key = `${label}-${crypto.randomUUID()}`;
    if (shardIndex(key, from) !== shardIndex(key, to)) return key;
  }
}

/** The shard that owned `key` under `count` shards, reached directly (no routing). */
const ownerUnder = (namespace: string, key: string, count: number) => shardByName(env, shardName(namespace, shardIndex(key, count)));
const stubUnder = (namespace: string, key: string, count: number) =>
  env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardName(namespace, shardIndex(key, count))));

describe("growing from 2 to 4 shards (namespace grown)", () => {
  it("a key cached by its previous shard is handed over to its new one on a miss, with its version", async () => {
    const key = movedKey("handoff", 2, 4);
    const written = unwrap(
      await ownerUnder("grown", key, 2).set({ namespace: "grown", key, value: { copy: "old owner" }, tags: ["moved"] }),
    );
    const read = await ok(query("get", { namespace: "grown", key }));
    expect(read).toMatchObject({ found: true, value: { copy: "old owner" }, version: written.version, tags: ["moved"] });
    // Now held by the new owner: a second read does not need the old one.
    expect(await ok(query("get", { namespace: "grown", key }))).toMatchObject({ found: true, source: "memory" });
  });

  it("a write of a moved key goes above the version its previous shard gave it, even with that shard's clock ahead", async () => {
    const key = movedKey("monotonic", 2, 4);
    await inShard(stubUnder("grown", key, 2), (shard) => {
      shard.clock.offsetMs = 3_600_000; // versions there run an hour ahead of the new owner's clock
    });
    try {
      const before = unwrap(await ownerUnder("grown", key, 2).set({ namespace: "grown", key, value: "first" }));
      const after = await ok(mutate("set", { namespace: "grown", key, value: "second" }));
      expect(after.version).toBeGreaterThan(before.version);
      expect(await ok(query("get", { namespace: "grown", key }))).toMatchObject({ value: "second", version: after.version });
    } finally {
      await inShard(stubUnder("grown", key, 2), (shard) => {
        shard.clock.offsetMs = 0;
      });
    }
  });

  it("a key neither shard holds is simply not found", async () => {
    expect(await ok(query("get", { namespace: "grown", key: movedKey("absent", 2, 4) }))).toMatchObject({ found: false });
  });
});

describe("shrinking from 4 to 2 shards (namespace shrunk)", () => {
  it("an invalidation by tag reaches a shard the new count no longer routes to", async () => {
    const key = movedKey("shrink", 4, 2);
    const formerOwner = ownerUnder("shrunk", key, 4);
    expect(shardIndex(key, 4)).toBeGreaterThanOrEqual(2); // a shard of the old count only
    unwrap(await formerOwner.set({ namespace: "shrunk", key, value: "left behind", tags: ["swept"] }));
    const job = await ok(mutate("invalidate", { namespace: "shrunk", tags: ["swept"] }));
    const finished = await finishedJob("shrunk", job.id);
    expect(finished).toMatchObject({ state: "completed", totalTargets: 4, invalidatedKeys: 1 });
    expect(unwrap(await formerOwner.peek({ namespace: "shrunk", key }))).toMatchObject({ found: false });
    expect(await ok(query("get", { namespace: "shrunk", key }))).toMatchObject({ found: false });
  });
});
